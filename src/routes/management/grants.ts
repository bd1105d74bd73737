import { z } from 'zod'
import type { AppDeps } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { defineOperation } from './operation.js'
import { grantJson, grantSchema, listJson, listSchema, pageOf, paginationQuery } from './shapes.js'

const id = z.string().min(1).max(300)
const listQuery = paginationQuery.extend({
  user_id: id.optional(),
  client_id: id.optional(),
  audience: z.string().min(1).max(600).optional(),
})
const deleteQuery = z.strictObject({ user_id: id })

/** `/grants`: what users accepted, per client and API (DESIGN §4). */
export function grantOperations({ store }: AppDeps) {
  return [
    defineOperation({
      method: 'get',
      path: '/grants',
      summary: 'List grants',
      tag: 'Grants',
      scopes: ['read:grants'],
      query: listQuery,
      response: {
        status: 200,
        schema: listSchema('grants', grantSchema),
        description: 'The grants',
      },
      errors: [],
      async handle({ tenant, query }) {
        const { items, total } = await store.grants.list(
          tenant.id,
          { userId: query.user_id, clientId: query.client_id, audience: query.audience },
          pageOf(query),
        )
        return listJson('grants', items.map(grantJson), total, query)
      },
    }),
    defineOperation({
      method: 'delete',
      path: '/grants/{id}',
      summary: 'Delete a grant: the next prompt asks again',
      tag: 'Grants',
      scopes: ['delete:grants'],
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      async handle({ tenant, params }) {
        if (!(await store.grants.delete(tenant.id, params.id ?? ''))) {
          throw new AppError(404, 'inexistent_grant', 'The grant does not exist')
        }
      },
    }),
    defineOperation({
      method: 'delete',
      path: '/grants',
      summary: 'Delete every grant of a user',
      tag: 'Grants',
      scopes: ['delete:grants'],
      query: deleteQuery,
      response: { status: 204, description: 'Deleted' },
      errors: [],
      async handle({ tenant, query }) {
        await store.grants.deleteForUser(tenant.id, query.user_id)
      },
    }),
  ]
}
