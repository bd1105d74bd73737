import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../app/env.js'
import type { AppDeps } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { checkPermissions, withApis } from './permissions.js'
import { listJson, pageOf, roleJson, userPermissionJson } from './shapes.js'
import type * as routes from './users.routes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/** The handlers of `/users/{id}/permissions` and `/users/{id}/roles` (DESIGN §4). */
export function userHandlers({ store }: AppDeps) {
  const listPermissions: Handler<'listPermissions'> = async (c) => {
    const tenantId = c.get('tenant').id
    const query = c.req.valid('query')
    const { items, total } = await store.permissions.ofUser(
      tenantId,
      c.req.valid('param').id,
      pageOf(query),
    )
    const listed = await withApis(store, tenantId, items)
    return c.json(
      listJson(
        'permissions',
        listed.map(([p, api]) => userPermissionJson(p, api)),
        total,
        query,
      ),
      200,
    )
  }

  const addPermissions: Handler<'addPermissions'> = async (c) => {
    const tenantId = c.get('tenant').id
    const userId = c.req.valid('param').id
    const refs = await checkPermissions(store, tenantId, c.req.valid('json'))
    for (const audience of new Set(refs.map((ref) => ref.resourceServerIdentifier))) {
      const names = refs
        .filter((ref) => ref.resourceServerIdentifier === audience)
        .map((ref) => ref.permissionName)
      await store.permissions.grantToUser(tenantId, userId, audience, names)
    }
    return c.body(null, 201)
  }

  const removePermissions: Handler<'removePermissions'> = async (c) => {
    await store.permissions.removeFromUser(
      c.get('tenant').id,
      c.req.valid('param').id,
      c.req.valid('json').permissions.map((p) => ({
        resourceServerIdentifier: p.resource_server_identifier,
        permissionName: p.permission_name,
      })),
    )
    return c.body(null, 204)
  }

  const listRoles: Handler<'listRoles'> = async (c) => {
    const query = c.req.valid('query')
    const { items, total } = await store.userRoles.list(
      c.get('tenant').id,
      c.req.valid('param').id,
      pageOf(query),
    )
    return c.json(listJson('roles', items.map(roleJson), total, query), 200)
  }

  const addRoles: Handler<'addRoles'> = async (c) => {
    const tenantId = c.get('tenant').id
    const roles = [...new Set(c.req.valid('json').roles)]
    for (const id of roles) {
      if (!(await store.roles.get(tenantId, id)))
        throw new AppError(404, 'inexistent_role', `The role ${id} does not exist`)
    }
    await store.userRoles.add(tenantId, c.req.valid('param').id, roles)
    return c.body(null, 204)
  }

  const removeRoles: Handler<'removeRoles'> = async (c) => {
    await store.userRoles.remove(c.get('tenant').id, c.req.valid('param').id, [
      ...new Set(c.req.valid('json').roles),
    ])
    return c.body(null, 204)
  }

  return { listPermissions, addPermissions, removePermissions, listRoles, addRoles, removeRoles }
}
