import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import { keptValues } from './auth0-fields.js'
import { toRefs } from './permissions.js'
import type * as routes from './roles.routes.js'
import { listJson, pageOf, permissionJson, roleJson, roleKept } from './shapes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/**
 * The handlers of `/roles` (DESIGN §4). A taken role name is a ConflictError from the store,
 * answered 409 by the error handler.
 */
export function roleHandlers({ roles }: AppDeps) {
  const list: Handler<'list'> = async (c) => {
    const query = c.req.valid('query')
    const { items, total } = await roles.list(c.get('tenant').id, pageOf(query), query.name_filter)
    return c.json(listJson('roles', items.map(roleJson), total, query), 200)
  }

  const create: Handler<'create'> = async (c) => {
    const body = c.req.valid('json')
    const role = await roles.create(c.get('actor'), c.get('tenant').id, {
      id: body.id,
      name: body.name,
      description: body.description,
      auth0: keptValues(body, roleKept.create),
    })
    return c.json(roleJson(role), 200)
  }

  const get: Handler<'get'> = async (c) =>
    c.json(roleJson(await roles.get(c.get('tenant').id, c.req.valid('param').id)), 200)

  const update: Handler<'update'> = async (c) => {
    const body = c.req.valid('json')
    const role = await roles.update(c.get('actor'), c.get('tenant').id, c.req.valid('param').id, {
      name: body.name,
      description: body.description,
      auth0: keptValues(body, roleKept.update),
    })
    return c.json(roleJson(role), 200)
  }

  const remove: Handler<'remove'> = async (c) => {
    await roles.remove(c.get('actor'), c.get('tenant').id, c.req.valid('param').id)
    return c.body(null, 200)
  }

  const listPermissions: Handler<'listPermissions'> = async (c) => {
    const tenantId = c.get('tenant').id
    const query = c.req.valid('query')
    const { items, total } = await roles.permissions(
      tenantId,
      c.req.valid('param').id,
      pageOf(query),
    )
    return c.json(
      listJson(
        'permissions',
        items.map(([p, api]) => permissionJson(p, api)),
        total,
        query,
      ),
      200,
    )
  }

  const addPermissions: Handler<'addPermissions'> = async (c) => {
    const tenantId = c.get('tenant').id
    await roles.addPermissions(
      c.get('actor'),
      tenantId,
      c.req.valid('param').id,
      toRefs(c.req.valid('json')),
    )
    return c.body(null, 201)
  }

  const removePermissions: Handler<'removePermissions'> = async (c) => {
    const tenantId = c.get('tenant').id
    await roles.removePermissions(
      c.get('actor'),
      tenantId,
      c.req.valid('param').id,
      toRefs(c.req.valid('json')),
    )
    return c.body(null, 200)
  }

  const listUsers: Handler<'listUsers'> = async (c) => {
    const tenantId = c.get('tenant').id
    const query = c.req.valid('query')
    const id = c.req.valid('param').id
    const json = (items: { userId: string; name?: string | null; email?: string | null }[]) =>
      items.map((user) => ({
        user_id: user.userId,
        ...(user.name ? { name: user.name } : {}),
        ...(user.email ? { email: user.email } : {}),
      }))
    if (query.take !== undefined || query.from !== undefined) {
      // Checkpoint paging: `from` is the page number this answer's `next` names.
      const page = Number(query.from ?? 0)
      const perPage = query.take ?? 50
      const { items, total } = await roles.users(tenantId, id, { page, perPage })
      const more = (page + 1) * perPage < total
      return c.json({ users: json(items), ...(more ? { next: String(page + 1) } : {}) }, 200)
    }
    const { items, total } = await roles.users(tenantId, id, pageOf(query))
    return c.json(listJson('users', json(items), total, query), 200)
  }

  const addUsers: Handler<'addUsers'> = async (c) => {
    const tenantId = c.get('tenant').id
    await roles.addUsers(
      c.get('actor'),
      tenantId,
      c.req.valid('param').id,
      c.req.valid('json').users,
    )
    return c.body(null, 200)
  }

  return {
    list,
    create,
    get,
    update,
    remove,
    listPermissions,
    addPermissions,
    removePermissions,
    listUsers,
    addUsers,
  }
}
