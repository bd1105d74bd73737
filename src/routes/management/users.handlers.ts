import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import { toRefs } from './permissions.js'
import { listJson, pageOf, roleJson, userPermissionJson } from './shapes.js'
import type * as routes from './users.routes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/** The handlers of `/users/{id}/permissions` and `/users/{id}/roles` (DESIGN §4). */
export function userHandlers({ users }: AppDeps) {
  const listPermissions: Handler<'listPermissions'> = async (c) => {
    const tenantId = c.get('tenant').id
    const query = c.req.valid('query')
    const { items, total } = await users.permissions(
      tenantId,
      c.req.valid('param').id,
      pageOf(query),
    )
    return c.json(
      listJson(
        'permissions',
        items.map(([p, api]) => userPermissionJson(p, api)),
        total,
        query,
      ),
      200,
    )
  }

  const addPermissions: Handler<'addPermissions'> = async (c) => {
    const tenantId = c.get('tenant').id
    const userId = c.req.valid('param').id
    await users.addPermissions(c.get('actor'), tenantId, userId, toRefs(c.req.valid('json')))
    return c.body(null, 201)
  }

  const removePermissions: Handler<'removePermissions'> = async (c) => {
    await users.removePermissions(
      c.get('actor'),
      c.get('tenant').id,
      c.req.valid('param').id,
      toRefs(c.req.valid('json')),
    )
    return c.body(null, 204)
  }

  const listRoles: Handler<'listRoles'> = async (c) => {
    const query = c.req.valid('query')
    const { items, total } = await users.roles(
      c.get('tenant').id,
      c.req.valid('param').id,
      pageOf(query),
    )
    return c.json(listJson('roles', items.map(roleJson), total, query), 200)
  }

  const addRoles: Handler<'addRoles'> = async (c) => {
    await users.addRoles(
      c.get('actor'),
      c.get('tenant').id,
      c.req.valid('param').id,
      c.req.valid('json').roles,
    )
    return c.body(null, 204)
  }

  const removeRoles: Handler<'removeRoles'> = async (c) => {
    await users.removeRoles(
      c.get('actor'),
      c.get('tenant').id,
      c.req.valid('param').id,
      c.req.valid('json').roles,
    )
    return c.body(null, 204)
  }

  return { listPermissions, addPermissions, removePermissions, listRoles, addRoles, removeRoles }
}
