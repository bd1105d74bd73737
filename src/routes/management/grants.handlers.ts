import type { RouteHandler } from '@hono/zod-openapi'
import type { AppDeps } from '../../app/types.js'
import { consentLifetimeFor } from '../../consent/index.js'
import { AppError } from '../../errors.js'
import { grantDeleted } from '../../services/consent/evidence.js'
import type { AppEnv } from '../../web/context.js'
import type * as routes from './grants.routes.js'
import { grantJson, listJson, pageOf } from './shapes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/** The handlers of `/grants` (DESIGN §4). */
export function grantHandlers({ store }: AppDeps) {
  const list: Handler<'list'> = async (c) => {
    const query = c.req.valid('query')
    const { items, total } = await store.grants.list(
      c.get('tenant').id,
      { userId: query.user_id, clientId: query.client_id, audience: query.audience },
      pageOf(query),
    )
    // Where a consent lifetime applies, each grant says when it stops counting (§3.5.1).
    const tenant = c.get('tenant')
    const json = await Promise.all(
      items.map(async (grant) => {
        const client = await store.clients.get(tenant.id, grant.clientId)
        const lifetime = client
          ? consentLifetimeFor(client, tenant.settings)
          : (tenant.settings.consent_lifetime ?? null)
        return grantJson(grant, lifetime)
      }),
    )
    return c.json(listJson('grants', json, total, query), 200)
  }

  const remove: Handler<'remove'> = async (c) => {
    if (!(await store.grants.delete(c.get('tenant').id, c.req.valid('param').id, grantDeleted)))
      throw new AppError(404, 'inexistent_grant', 'The grant does not exist')
    return c.body(null, 204)
  }

  const removeForUser: Handler<'removeForUser'> = async (c) => {
    await store.grants.deleteForUser(c.get('tenant').id, c.req.valid('query').user_id, grantDeleted)
    return c.body(null, 204)
  }

  return { list, remove, removeForUser }
}
