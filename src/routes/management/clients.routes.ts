import { z } from 'zod'
import { fieldsQuery, withFields } from './fields.js'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import {
  clientSchema,
  displayName,
  durationChoices,
  httpsUrl,
  listSchema,
  paginationQuery,
} from './shapes.js'

/** A link shown on the prompt: checked by the clients service (https, or http on loopback). */
const link = z
  .union([httpsUrl, z.literal('')])
  .nullable()
  .optional()

const fields = {
  name: displayName(200),
  description: z.string().max(140).optional(),
  logo_uri: z.union([httpsUrl, z.literal('')]).optional(),
  is_first_party: z.boolean().optional(),
  callbacks: z.array(z.url().max(2000)).max(100).optional(),
  app_type: z.enum(['native', 'spa', 'regular_web', 'non_interactive']).optional(),
  /** Extension (DESIGN §3.5.2): `false` warns users that the tenant has not verified it. */
  is_verified: z.boolean().optional(),
  /** Extension (DESIGN §3.5.1): seconds a grant counts; `null` follows the tenant. */
  consent_lifetime: z
    .number()
    .int()
    .min(60)
    .max(10 * 366 * 86_400)
    .nullable()
    .optional(),
  /** Extension (DESIGN §3.5.1): the durations the prompt offers; `null` follows the tenant. */
  consent_duration_choices: durationChoices.nullable().optional(),
  /** The app's home page; its host is shown for a self-registered app (DESIGN §3.10). */
  client_uri: link,
  /** Linked on the prompt (DESIGN §3.2.1). */
  policy_uri: link,
  tos_uri: link,
}

const createBody = z.strictObject({
  // Beyond Auth0: the AS names its own clients, so Assent takes the id it already uses.
  client_id: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{1,128}$/, 'must be 1–128 letters, digits or . _ ~ -')
    .optional(),
  /** Extension (DESIGN §3.10): the app registered itself; unverified and never first-party. */
  is_dynamic: z.boolean().optional(),
  ...fields,
})

const updateBody = z.strictObject({ ...fields, name: fields.name.optional() })

const clientIdParam = z.object({ client_id: z.string() })

const tag = 'Clients'
const client = jsonContent(clientSchema, 'The client')

/** `/clients`: the applications that ask for consent (DESIGN §2). */
export const list = managementRoute({
  method: 'get',
  path: '/clients',
  summary: 'List clients',
  tag,
  scopes: ['read:clients'],
  request: { query: paginationQuery.extend(fieldsQuery) },
  responses: {
    200: jsonContent(listSchema('clients', withFields(clientSchema)), 'The clients'),
  },
  errors: [],
})

export const create = managementRoute({
  method: 'post',
  path: '/clients',
  summary: 'Create a client',
  tag,
  scopes: ['create:clients'],
  request: { body: jsonRequest(createBody) },
  responses: { 201: client },
  errors: [409, 413],
})

export const get = managementRoute({
  method: 'get',
  path: '/clients/{client_id}',
  summary: 'Get a client',
  tag,
  scopes: ['read:clients'],
  request: { params: clientIdParam, query: z.strictObject(fieldsQuery) },
  responses: { 200: jsonContent(withFields(clientSchema), 'The client') },
  errors: [404],
})

export const update = managementRoute({
  method: 'patch',
  path: '/clients/{client_id}',
  summary: 'Update a client',
  tag,
  scopes: ['update:clients'],
  request: { params: clientIdParam, body: jsonRequest(updateBody) },
  responses: { 200: client },
  errors: [404, 413],
})

export const remove = managementRoute({
  method: 'delete',
  path: '/clients/{client_id}',
  summary: 'Delete a client and the grants users gave it',
  tag,
  scopes: ['delete:clients'],
  request: { params: clientIdParam },
  responses: { 204: { description: 'Deleted' } },
  errors: [404],
})
