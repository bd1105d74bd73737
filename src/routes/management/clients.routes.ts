import { z } from 'zod'
import { ignoredField, LEGACY_CLIENT_READ_ONLY, readOnlyFields } from './auth0-fields.js'
import { fieldsQuery, withFields } from './fields.js'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import {
  appTypes,
  clientKept,
  clientSchema,
  displayName,
  durationChoices,
  httpsUrl,
  listSchema,
  paginationQuery,
} from './shapes.js'

/** A link shown on the prompt: checked by the clients service (DESIGN §3.10, `displayableLink`). */
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
  app_type: z.enum(appTypes).optional(),
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

/**
 * Auth0 answers the secret and takes it on an update; Assent never keeps it (see
 * `CLIENT_OWN_FIELDS`). The legacy fields are Auth0's read-only ones its SDK no longer names.
 */
const ignored = {
  client_secret: z
    .unknown()
    .optional()
    .describe('Accepted and never stored: Assent is not the authorization server.'),
  ...Object.fromEntries(LEGACY_CLIENT_READ_ONLY.map((name) => [name, ignoredField])),
}

const createBody = z.strictObject({
  ...readOnlyFields('Client', ['ClientCreate']),
  ...clientKept.create,
  ...ignored,
  // Beyond Auth0: the AS names its own clients, so Assent takes the id it already uses.
  client_id: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{1,128}$/, 'must be 1–128 letters, digits or . _ ~ -')
    .optional(),
  /** Extension (DESIGN §3.10): the app registered itself; unverified and never first-party. */
  is_dynamic: z.boolean().optional(),
  ...fields,
})

const updateBody = z.strictObject({
  ...readOnlyFields('Client', ['ClientUpdate']),
  ...clientKept.update,
  ...ignored,
  ...fields,
  name: fields.name.optional(),
  // Auth0 takes it on a create only; GET answers it, so it may come back.
  resource_server_identifier: ignoredField,
  /** Set when the client is created; what GET answered may be sent back, a change is refused. */
  is_dynamic: z.boolean().optional(),
  registered_at: ignoredField,
})

/** `true`/`false`, as Auth0's query strings spell booleans. */
const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true')

const listQuery = paginationQuery.extend({
  ...fieldsQuery,
  is_first_party: booleanQuery.optional(),
  /** Auth0's filter; Assent has no global clients, so `true` finds none. */
  is_global: booleanQuery.optional(),
  app_type: z
    .string()
    .max(1000)
    .transform((value) => value.split(',').map((type) => type.trim()))
    .pipe(z.array(z.enum(appTypes)).max(appTypes.length))
    .optional(),
  /** Any part of the name or the client id, whatever its case. */
  q: z.string().min(1).max(200).optional(),
  /** Extension (DESIGN §3.10): only the self-registered clients (`true`), or only the others. */
  is_dynamic: booleanQuery.optional(),
})

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
  request: { query: listQuery },
  responses: {
    200: jsonContent(
      listSchema('clients', withFields(clientSchema)),
      'The clients, only those the filters match when given',
    ),
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
