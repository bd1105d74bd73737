import { z } from 'zod'
import { DETAIL_LIMITS, USER_CODE_PATTERN } from '../../consent/index.js'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import { displayName, idParam, shownText } from './shapes.js'

/** An entry as the AS sent it: its own fields kept as they are (RFC 9396 §2). */
const authorizationDetail = z.looseObject({
  type: z.string().min(1).max(DETAIL_LIMITS.typeLength),
})

const promptValue = /^(none|login|consent|select_account)( (none|login|consent|select_account))*$/

const createFields = z.strictObject({
  client_id: z.string().min(1).max(128),
  user_id: z.string().min(1).max(300),
  user_name: shownText(300).optional(),
  user_email: shownText(300).optional(),
  audience: z.string().min(1).max(600).optional(),
  scope: z.string().max(20_000),
  /** Required, but with `flow: "device"`, which has no redirect (DESIGN §3.10). */
  redirect_uri: z.url({ error: 'must be an absolute URL' }).max(2000).optional(),
  return_to: z.url({ error: 'must be an absolute URL' }).max(2000),
  state: z.string().max(2048).optional(),
  prompt: z
    .string()
    .regex(promptValue, 'must be space-separated none, login, consent or select_account')
    .optional(),
  ui_locales: z.string().max(200).optional(),
  /** Let the user untick optional lines (DESIGN §3.5), whatever the tenant flag says. */
  granular: z.boolean().optional(),
  /** Space-separated subset of `scope` the user cannot untick; `openid` always is. */
  required_scopes: z.string().max(20_000).optional(),
  /** The AS's "Not you?" URL: allowed as `return_to` is (DESIGN §3.1). */
  switch_account_url: z.url({ error: 'must be an absolute URL' }).max(2000).optional(),
  /** A device sign-in (RFC 8628; DESIGN §3.10). */
  flow: z.literal('device').optional(),
  /** The code the AS showed on the device; required with `flow: "device"`. */
  user_code: z
    .string()
    .regex(USER_CODE_PATTERN, 'must be 1–32 letters, digits and dashes')
    .optional(),
  device: z.strictObject({ name: displayName(100).optional() }).optional(),
  /**
   * RFC 9396 entries (DESIGN §3.9): each a JSON object whose `type` the audience declares and
   * whose schema accepts it. Their number, size and depth are checked with the types, so every
   * refusal is one `invalid_authorization_details` naming the entry.
   */
  authorization_details: z
    .array(authorizationDetail)
    .max(1000)
    .optional()
    .describe(
      `RFC 9396 authorization_details: at most ${DETAIL_LIMITS.entries} entries and ${DETAIL_LIMITS.bytes / 1024} KiB, each of a type the audience declares (400 invalid_authorization_details otherwise). A request carrying them always shows the page; nothing about them is remembered in the grant.`,
    ),
})

// The device fields go together: a code without the flow would be shown nowhere.
const createBody = createFields.superRefine((body, ctx) => {
  if (body.flow === 'device' && body.user_code === undefined)
    ctx.addIssue({ code: 'custom', path: ['user_code'], message: 'is required with flow device' })
  if (body.flow !== 'device') {
    for (const field of ['user_code', 'device'] as const)
      if (body[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'is only used with flow device' })
  }
})

const createdSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'accepted', 'denied']),
  consent_url: z.string(),
  effective_scopes: z.array(z.string()),
  dropped_scopes: z.array(z.string()),
  granted_scopes: z.array(z.string()),
  expires_at: z.string(),
  error: z.string().optional(),
})

/** A decision is an outcome: the browser's answer once the AS redeemed it (DESIGN §3.4). */
const decisionSchema = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'denied']),
  user_id: z.string(),
  client_id: z.string(),
  audience: z.string().nullable(),
  granted_scopes: z.array(z.string()),
  scope: z.string(),
  error: z.string().optional(),
  declined_scopes: z.array(z.string()).optional(),
  receipt_id: z.string().optional(),
  /** The duration the user chose, in seconds; `null`: until removed (DESIGN §3.5.1). */
  duration: z.number().int().nullable().optional(),
  permissions: z.array(z.string()).optional(),
  /** The RFC 9396 entries the user approved, exactly as requested (DESIGN §3.9). */
  authorization_details: z.array(authorizationDetail).optional(),
})

/**
 * Before the verifier is redeemed, the request without its decision (DESIGN §3.4): `answered`
 * says the browser answered and nothing of how; `expired` that it can no longer be answered or
 * redeemed.
 */
const undecidedSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'answered', 'expired']),
  expires_at: z.string(),
})

// Missing or wrong, the verifier is a 403 `invalid_verifier` (DESIGN §3.4), not a malformed body.
const verifyBody = z.strictObject({ consent_verifier: z.string().max(256).optional() })

const tag = 'Consent requests'

/** `/consent-requests`: how an authorization server asks for consent and reads the answer (DESIGN §3). */
export const create = managementRoute({
  method: 'post',
  path: '/consent-requests',
  summary: 'Open a consent request; answers at once when no page is needed',
  tag,
  scopes: ['create:consent_requests'],
  request: { body: jsonRequest(createBody) },
  responses: { 201: jsonContent(createdSchema, 'The consent request') },
  errors: [404, 413, 429],
})

export const get = managementRoute({
  method: 'get',
  path: '/consent-requests/{id}',
  summary:
    'Read a request; the decision once its verifier was redeemed, or when decided at creation',
  tag,
  scopes: ['read:consent_requests'],
  request: { params: idParam },
  responses: {
    200: jsonContent(z.union([decisionSchema, undecidedSchema]), 'The request, or its decision'),
  },
  errors: [404],
})

export const verify = managementRoute({
  method: 'post',
  path: '/consent-requests/{id}/verify',
  summary:
    'Redeem the consent_verifier the browser brought back: the decision, and on the first call the grant',
  tag,
  scopes: ['read:consent_requests'],
  request: { params: idParam, body: jsonRequest(verifyBody) },
  responses: { 200: jsonContent(decisionSchema, 'The decision: the scopes to put in the token') },
  errors: [404, 409, 410],
})
