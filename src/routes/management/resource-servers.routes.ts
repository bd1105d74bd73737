import { z } from 'zod'
import { TOKEN_DIALECTS } from '../../consent/index.js'
import { TOKEN_DIALECT_RULE } from '../../services/admin/validation.js'
import { fieldsQuery, withFields } from './fields.js'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import {
  authorizationDetailsInput,
  consentResourcesInput,
  displayName,
  idParam,
  listSchema,
  paginationQuery,
  resourceServerSchema,
  scopesInput,
} from './shapes.js'

/** Auth0 documents `"scopes": {}` as "remove every scope": the same as `[]` (DESIGN §4). */
const scopesOrEmptyObject = z.preprocess(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
      ? []
      : value,
  scopesInput,
)

const settings = {
  name: displayName(200).optional(),
  scopes: scopesOrEmptyObject.optional(),
  signing_alg: z.enum(['RS256', 'PS256', 'HS256']).optional(),
  allow_offline_access: z.boolean().optional(),
  skip_consent_for_verifiable_first_party_clients: z.boolean().optional(),
  token_lifetime: z.int().min(1).max(2_592_000).optional(),
  // The console refuses a bad dialect in the same words (services/validation.ts).
  token_dialect: z.enum(TOKEN_DIALECTS, { error: TOKEN_DIALECT_RULE }).optional(),
  enforce_policies: z.boolean().optional(),
  consent_resources: consentResourcesInput.optional(),
  authorization_details: authorizationDetailsInput.optional(),
}

const createBody = z.strictObject({
  identifier: z
    .string()
    .min(1)
    .max(600)
    .refine((value) => !/[\s\p{Cc}]/u.test(value), 'must not contain spaces or control characters'),
  ...settings,
})

const updateBody = z.strictObject({ ...settings, identifier: z.unknown().optional() })

export type ScopesInput = z.output<typeof scopesInput>
export type ConsentResourcesInput = z.output<typeof consentResourcesInput>
export type AuthorizationDetailsInput = z.output<typeof authorizationDetailsInput>

const tag = 'Resource servers'
const server = jsonContent(resourceServerSchema, 'The resource server')

const listQuery = paginationQuery.extend({
  // Auth0 repeats the parameter: `?identifiers=a&identifiers=b`.
  identifiers: z
    .union([z.string().max(600), z.array(z.string().max(600)).max(100)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .optional(),
  ...fieldsQuery,
})

/** `/resource-servers`: APIs and their scopes (DESIGN §4). */
export const list = managementRoute({
  method: 'get',
  path: '/resource-servers',
  summary: 'List resource servers',
  tag,
  scopes: ['read:resource_servers'],
  request: { query: listQuery },
  responses: {
    200: jsonContent(
      listSchema('resource_servers', withFields(resourceServerSchema)),
      'The resource servers, only those named by `identifiers` when given',
    ),
  },
  errors: [],
})

export const create = managementRoute({
  method: 'post',
  path: '/resource-servers',
  summary: 'Create a resource server',
  tag,
  scopes: ['create:resource_servers'],
  request: { body: jsonRequest(createBody) },
  responses: { 201: server },
  errors: [409, 413],
})

export const get = managementRoute({
  method: 'get',
  path: '/resource-servers/{id}',
  summary: 'Get a resource server by id or URL-encoded identifier',
  tag,
  scopes: ['read:resource_servers'],
  request: { params: idParam, query: z.strictObject(fieldsQuery) },
  responses: { 200: jsonContent(withFields(resourceServerSchema), 'The resource server') },
  errors: [404],
})

export const update = managementRoute({
  method: 'patch',
  path: '/resource-servers/{id}',
  summary: 'Update a resource server; `scopes` replaces the whole list',
  tag,
  scopes: ['update:resource_servers'],
  request: { params: idParam, body: jsonRequest(updateBody) },
  responses: { 200: server },
  errors: [404, 413],
})

export const remove = managementRoute({
  method: 'delete',
  path: '/resource-servers/{id}',
  summary: 'Delete a resource server and every permission on it',
  tag,
  scopes: ['delete:resource_servers'],
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' } },
  errors: [404],
})
