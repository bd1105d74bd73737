import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { type Done, emptyForm, type FormState } from '../../presenters/admin-console.js'
import { pickerSearch, roleListModel, roleModel } from '../../presenters/admin-rbac.js'
import type { AppEnv } from '../../web/context.js'
import { limitBody } from '../../web/middleware/body-limit.js'
import type { AppDeps } from '../deps.js'
import {
  afterChange,
  allow,
  attempt,
  can,
  changedFields,
  consoleForm,
  formEcho,
  parsePermissionKey,
  pickerOf,
  renderConsole,
} from './console.js'

const text = (max: number) => z.string().max(max).default('')
const csrf = z.string().max(128).optional()
const roleForm = z.object({ csrf, name: text(200), description: text(600) })
// Each field optional: a post without one leaves it as it is (console.ts, changedFields).
const editForm = z.object({
  csrf,
  name: z.string().max(200).optional(),
  description: z.string().max(600).optional(),
})
const permissionForm = z.object({
  csrf,
  permission: text(1000),
  remove: z.string().max(1000).optional(),
})
const userForm = z.object({ csrf, user_id: text(600), remove: z.string().max(600).optional() })
const ALL = { page: 0, perPage: 100 }

/** The console's Roles section (DESIGN §5): list, create, edit, delete, permissions, users. */
export function adminRoleRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { roles } = deps
  const tenantOf = (c: Context<AppEnv>) => c.get('tenant').id
  // Back to the role, its permission picker where it was.
  const back = (c: Context<AppEnv>, done: Done) =>
    afterChange(
      c,
      `/admin/roles/${encodeURIComponent(c.req.param('id') ?? '')}${pickerSearch(pickerOf(c))}`,
      done,
    )

  const renderList = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const { items } = await roles.list(tenantOf(c), ALL)
    const model = roleListModel({ roles: items, canCreate: can(c, 'create:roles'), form })
    return renderConsole(
      c,
      deps,
      { view: 'admin-roles', section: 'roles', title: 'Roles', ...(status ? { status } : {}) },
      model,
    )
  }

  const renderRole = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const tenantId = tenantOf(c)
    const role = await roles.get(tenantId, c.req.param('id') ?? '')
    const [permissions, users, apis] = await Promise.all([
      roles.permissions(tenantId, role.id, ALL),
      roles.users(tenantId, role.id, ALL),
      deps.resourceServers.list(tenantId, ALL),
    ])
    const model = roleModel({
      role,
      permissions: permissions.items,
      users: users.items,
      apis: apis.items,
      pick: pickerOf(c),
      can: { update: can(c, 'update:roles'), remove: can(c, 'delete:roles') },
      form,
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-role',
        section: 'roles',
        title: `Role ${role.name}`,
        ...(status ? { status } : {}),
      },
      model,
    )
  }

  app.use('*', async function readRoles(c, next) {
    allow(c, 'read:roles')
    await next()
  })

  app.get('/', (c) => renderList(c, emptyForm))

  app.post('/', limitBody('form'), async (c) => {
    const { csrf: _, ...values } = await consoleForm(c, deps, roleForm)
    allow(c, 'create:roles')
    const done = await attempt(values, () => roles.create(c.get('actor'), tenantOf(c), values))
    if (!done.ok) return renderList(c, done.form, 400)
    return afterChange(c, `/admin/roles/${encodeURIComponent(done.value.id)}`, 'created')
  })

  app.get('/:id', (c) => renderRole(c, emptyForm))

  app.post('/:id', limitBody('form'), async (c) => {
    const { csrf: _, ...posted } = await consoleForm(c, deps, editForm)
    allow(c, 'update:roles')
    const [actor, tenantId] = [c.get('actor'), tenantOf(c)]
    const done = await attempt(formEcho(posted), async () => {
      const role = await roles.get(tenantId, c.req.param('id'))
      const changed = changedFields(posted, { name: role.name, description: role.description })
      return changed ? roles.update(actor, tenantId, role.id, changed) : role
    })
    return done.ok ? back(c, 'saved') : renderRole(c, done.form, 400)
  })

  app.post('/:id/delete', limitBody('form'), async (c) => {
    await consoleForm(c, deps, z.object({ csrf }))
    allow(c, 'delete:roles')
    await roles.remove(c.get('actor'), tenantOf(c), c.req.param('id'))
    return afterChange(c, '/admin/roles', 'deleted')
  })

  app.post('/:id/permissions', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, permissionForm)
    allow(c, 'update:roles')
    const [actor, tenantId, id] = [c.get('actor'), tenantOf(c), c.req.param('id')]
    const done = await attempt({ permission: form.permission }, () =>
      form.remove !== undefined
        ? roles.removePermissions(actor, tenantId, id, [parsePermissionKey(form.remove)])
        : roles.addPermissions(actor, tenantId, id, [parsePermissionKey(form.permission)]),
    )
    return done.ok
      ? back(c, form.remove !== undefined ? 'removed' : 'added')
      : renderRole(c, done.form, 400)
  })

  app.post('/:id/users', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, userForm)
    allow(c, 'update:roles')
    const [actor, tenantId, id] = [c.get('actor'), tenantOf(c), c.req.param('id')]
    const done = await attempt({ user_id: form.user_id }, () =>
      form.remove !== undefined
        ? roles.removeUser(actor, tenantId, id, form.remove)
        : roles.addUsers(actor, tenantId, id, [form.user_id]),
    )
    return done.ok
      ? back(c, form.remove !== undefined ? 'removed' : 'added')
      : renderRole(c, done.form, 400)
  })

  return app
}
