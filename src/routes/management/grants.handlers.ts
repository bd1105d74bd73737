import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import type * as routes from './grants.routes.js'
import { grantJson, listJson, pageOf } from './shapes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/** The handlers of `/grants` (DESIGN §4). */
export function grantHandlers({ grants }: AppDeps) {
  const list: Handler<'list'> = async (c) => {
    const query = c.req.valid('query')
    const { items, total } = await grants.list(
      c.get('tenant'),
      { userId: query.user_id, clientId: query.client_id, audience: query.audience },
      pageOf(query),
    )
    // Where a consent lifetime applies, each grant says when it stops counting (§3.5.1).
    const json = items.map(({ grant, lifetimeSeconds }) => grantJson(grant, lifetimeSeconds))
    return c.json(listJson('grants', json, total, query), 200)
  }

  const remove: Handler<'remove'> = async (c) => {
    await grants.remove(c.get('tenant').id, c.req.valid('param').id)
    return c.body(null, 204)
  }

  const removeForUser: Handler<'removeForUser'> = async (c) => {
    await grants.removeForUser(c.get('tenant').id, c.req.valid('query').user_id)
    return c.body(null, 204)
  }

  return { list, remove, removeForUser }
}
