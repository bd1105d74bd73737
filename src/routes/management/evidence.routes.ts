import { z } from 'zod'
import { WEBHOOK_EVENTS } from '../../services/webhooks/webhooks.js'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import { idParam, listSchema, paginationQuery } from './shapes.js'

/* Consent receipts, erasure and webhooks (DESIGN §3.6, §3.8): proof and control after the fact. */

const receiptSchema = z.object({
  receipt_id: z.string(),
  tenant: z.string(),
  user_id: z.string(),
  client_id: z.string(),
  client_name: z.string(),
  audience: z.string().nullable(),
  action: z.enum(['accept', 'deny', 'revoke', 'import']),
  /** Where an imported consent was given (DESIGN §4.2.1). */
  source: z.string().optional(),
  /** A device sign-in (DESIGN §3.10), with the code the user was shown to compare. */
  flow: z.literal('device').optional(),
  user_code: z.string().optional(),
  granted_scopes: z.array(z.string()),
  declined_scopes: z.array(z.string()),
  lines: z.array(z.string()),
  granted_lines: z.array(z.string()).optional(),
  declined_lines: z.array(z.string()).optional(),
  /** For each of `lines`, the claims it opened to as shown (DESIGN §3.9); absent when none did. */
  line_claims: z.array(z.array(z.string())).optional(),
  /** The duration the user chose, in seconds; `null`: until removed (DESIGN §3.5.1). */
  duration: z.number().int().nullable().optional(),
  /** The RFC 9396 entries approved: each one's line as shown, and the entry as sent (§3.9). */
  authorization_details: z
    .array(
      z.object({
        text: z.string(),
        entry: z.looseObject({ type: z.string() }),
      }),
    )
    .optional(),
  locale: z.string().nullable(),
  mode: z.string().nullable(),
  shown_at: z.string().nullable(),
  answered_at: z.string().nullable(),
  recorded_at: z.string(),
  /** The same claims as a compact JWS (ES256), verifiable with the published keys. */
  jws: z.string(),
})

const receiptQuery = paginationQuery.extend({
  user_id: z.string().min(1).max(300).optional(),
  client_id: z.string().min(1).max(300).optional(),
})

export const listReceipts = managementRoute({
  method: 'get',
  path: '/consent-receipts',
  summary: 'List consent receipts, newest first',
  tag: 'Consent receipts',
  scopes: ['read:consent_receipts'],
  request: { query: receiptQuery },
  responses: { 200: jsonContent(listSchema('receipts', receiptSchema), 'The receipts') },
  errors: [],
})

export const getReceipt = managementRoute({
  method: 'get',
  path: '/consent-receipts/{id}',
  summary: 'Get a consent receipt',
  tag: 'Consent receipts',
  scopes: ['read:consent_receipts'],
  request: { params: idParam },
  responses: { 200: jsonContent(receiptSchema, 'The receipt') },
  errors: [404],
})

export const eraseUser = managementRoute({
  method: 'delete',
  path: '/users/{id}/consent-data',
  summary: "Erase a user's grants, requests, receipts, permissions and role assignments",
  tag: 'Users',
  scopes: ['delete:users'],
  request: { params: idParam },
  responses: { 204: { description: 'Erased' } },
  errors: [],
})

const eventType = z.enum(WEBHOOK_EVENTS)

const webhookStatus = z
  .enum(['enabled', 'disabled'])
  .describe('`disabled` after a day in which every attempt failed; nothing is sent to it then')

const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(eventType),
  status: webhookStatus,
  created_at: z.string(),
})

const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an https: URL' })
  .max(2000)
  .describe('`https:`, to a public address: loopback, private and link-local hosts are refused')
const webhookEvents = z.array(eventType).min(1).max(WEBHOOK_EVENTS.length)

const createWebhookBody = z.strictObject({ url: webhookUrl, events: webhookEvents })

const updateWebhookBody = z
  .strictObject({ url: webhookUrl, events: webhookEvents, status: webhookStatus })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'must change url, events or status')

export const createWebhook = managementRoute({
  method: 'post',
  path: '/webhooks',
  summary: 'Register a webhook endpoint; its signing secret is shown once',
  tag: 'Webhooks',
  scopes: ['create:webhooks'],
  request: { body: jsonRequest(createWebhookBody) },
  responses: {
    201: jsonContent(webhookSchema.extend({ secret: z.string() }), 'The endpoint and its secret'),
  },
  errors: [409, 413],
})

export const updateWebhook = managementRoute({
  method: 'patch',
  path: '/webhooks/{id}',
  summary: 'Change a webhook endpoint; `{"status": "enabled"}` brings a disabled one back',
  tag: 'Webhooks',
  scopes: ['update:webhooks'],
  request: { params: idParam, body: jsonRequest(updateWebhookBody) },
  responses: { 200: jsonContent(webhookSchema, 'The endpoint') },
  errors: [404, 413],
})

export const listWebhooks = managementRoute({
  method: 'get',
  path: '/webhooks',
  summary: 'List webhook endpoints',
  tag: 'Webhooks',
  scopes: ['read:webhooks'],
  responses: { 200: jsonContent(z.array(webhookSchema), 'The endpoints') },
  errors: [],
})

export const deleteWebhook = managementRoute({
  method: 'delete',
  path: '/webhooks/{id}',
  summary: 'Delete a webhook endpoint and what was still to be sent to it',
  tag: 'Webhooks',
  scopes: ['delete:webhooks'],
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' } },
  errors: [404],
})

const deliverySchema = z.object({
  id: z.string(),
  webhook_id: z.string().describe('The Standard Webhooks message id, the same on every attempt'),
  type: eventType,
  attempt: z.number().int(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  at: z.string(),
})

export const listDeliveries = managementRoute({
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  summary: 'List the delivery attempts to an endpoint, newest first',
  tag: 'Webhooks',
  scopes: ['read:webhooks'],
  request: { params: idParam, query: paginationQuery },
  responses: { 200: jsonContent(listSchema('deliveries', deliverySchema), 'The attempts') },
  errors: [404],
})
