import { z } from 'zod'
import { jsonContent, managementRoute } from './openapi.js'
import { grantSchema, idParam, listSchema, paginationQuery } from './shapes.js'

const id = z.string().min(1).max(300)
const listQuery = paginationQuery.extend({
  user_id: id.optional(),
  client_id: id.optional(),
  audience: z.string().min(1).max(600).optional(),
})
const deleteQuery = z.strictObject({ user_id: id })

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
