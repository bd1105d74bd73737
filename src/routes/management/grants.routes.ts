import { z } from 'zod'
import { isValidScopeValue, SCOPE_LIMITS } from '../../consent/index.js'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import { grantSchema, idParam, listSchema, paginationQuery } from './shapes.js'

const id = z.string().min(1).max(300)
const listQuery = paginationQuery.extend({
  user_id: id.optional(),
  client_id: id.optional(),
  audience: z.string().min(1).max(600).optional(),
})
const deleteQuery = z.strictObject({ user_id: id })

/** A grant as Auth0's `GET /grants` lists it; its `id` (Auth0's) is not kept. */
const importBody = z.strictObject({
  id: z.string().max(300).optional(),
  user_id: id,
  clientID: z.string().min(1).max(128),
  audience: z.string().min(1).max(600),
  scope: z
    .array(
      z
        .string()
        .refine(
          isValidScopeValue,
          'must be 1–280 characters, without spaces or control characters',
        ),
    )
    .min(1)
    .max(SCOPE_LIMITS.scopesPerApi),
})

const importedSchema = grantSchema.extend({
  /** The `import` receipt; absent when the grant already held every scope. */
  receipt_id: z.string().optional(),
})

const tag = 'Grants'

/** `/grants`: what users accepted, per client and API (DESIGN §4). */
export const list = managementRoute({
  method: 'get',
  path: '/grants',
  summary: 'List grants',
  tag,
  scopes: ['read:grants'],
  request: { query: listQuery },
  responses: { 200: jsonContent(listSchema('grants', grantSchema), 'The grants') },
  errors: [],
})

export const remove = managementRoute({
  method: 'delete',
  path: '/grants/{id}',
  summary: 'Delete a grant: the next prompt asks again',
  tag,
  scopes: ['delete:grants'],
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' } },
  errors: [404],
})

export const removeForUser = managementRoute({
  method: 'delete',
  path: '/grants',
  summary: 'Delete every grant of a user',
  tag,
  scopes: ['delete:grants'],
  request: { query: deleteQuery },
  responses: { 204: { description: 'Deleted' } },
  errors: [],
})

export const importGrant = managementRoute({
  method: 'post',
  path: '/grants',
  summary: 'Import a consent the user gave elsewhere (extension): they are not asked again',
  tag,
  scopes: ['create:grants'],
  request: { body: jsonRequest(importBody) },
  responses: {
    201: jsonContent(importedSchema, 'The grant, with the scopes imported and their receipt'),
    200: jsonContent(importedSchema, 'The grant already held every scope: nothing was written'),
  },
  errors: [404],
})
