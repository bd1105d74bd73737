import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { type Done, emptyForm, type FormState } from '../../presenters/admin-console.js'
import { pickerSearch, userHref, userListModel, userModel } from '../../presenters/admin-rbac.js'
import { promptMode } from '../../presenters/consent-page.js'
import type { AppEnv } from '../../web/context.js'
import { parseQuery } from '../../web/edge/validate.js'
import { limitBody } from '../../web/middleware/body-limit.js'
import type { AppDeps } from '../deps.js'
import {
  afterChange,
  allow,
  attempt,
  can,
  consoleForm,
  parsePermissionKey,
  pickerOf,
  renderConsole,
} from './console.js'

const text = (max: number) => z.string().max(max).default('')
const csrf = z.string().max(128).optional()
const roleForm = z.object({ csrf, role_id: text(200), remove: z.string().max(200).optional() })
const permissionForm = z.object({
  csrf,
  permission: text(1000),
  remove: z.string().max(1000).optional(),
})
const grantForm = z.object({ csrf, revoke: z.string().min(1).max(200) })
const ALL = { page: 0, perPage: 100 }
const USERS_PER_PAGE = 50
// A search is a few words typed in a box: longer is no search anyone types (400).
const listQuery = z.object({
  q: z.string().max(200).default(''),
  page: z.coerce.number().int().min(0).max(10_000).default(0),
})

/**
 * The console's Users section (DESIGN §5): the users consent requests named, searched by id, name
 * or email, and any user's page by id, as the AS knows them.
 */
export function adminUserRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { users } = deps
  const tenantOf = (c: Context<AppEnv>) => c.get('tenant').id
  // Back to the user, their permission picker where it was.
  const back = (c: Context<AppEnv>, done: Done) =>
    afterChange(c, `${userHref(c.req.param('id') ?? '')}${pickerSearch(pickerOf(c))}`, done)

  const renderUser = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const [tenantId, userId] = [tenantOf(c), (c.req.param('id') ?? '').slice(0, 300)]
    const canGrants = can(c, 'read:grants')
    const [seen, permissions, roles, allRoles, grants, apis, connected, receipts] =
      await Promise.all([
        users.seen(tenantId, userId),
        users.permissions(tenantId, userId, ALL),
        users.roles(tenantId, userId, ALL),
        deps.roles.list(tenantId, ALL),
        canGrants ? users.grants(tenantId, userId, ALL) : undefined,
        deps.resourceServers.list(tenantId, ALL),
        // What the user sees on their connected-apps page, and what proves it (DESIGN §3.6, §3.7).
        canGrants ? deps.portal.apps(c.get('tenant'), userId) : undefined,
        can(c, 'read:consent_receipts') ? users.receipts(tenantId, userId, ALL) : undefined,
      ])
    const model = userModel({
      userId,
      seen,
      permissions: permissions.items,
      roles: roles.items,
      allRoles: can(c, 'read:roles') ? allRoles.items : [],
      grants: grants?.items ?? null,
      apis: apis.items,
      pick: pickerOf(c),
      can: { update: can(c, 'update:users'), revoke: can(c, 'delete:grants') },
      form,
      evidence: {
        connected: connected ?? null,
        receipts: receipts?.items ?? null,
        mode: promptMode(c.get('tenant')),
        tr: deps.i18n.translator('en'),
      },
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-user',
        section: 'users',
        title: `User ${userId}`,
        ...(status ? { status } : {}),
      },
      model,
    )
  }

  app.use('*', async function readUsers(c, next) {
    allow(c, 'read:users')
    await next()
  })

  app.get('/', async (c) => {
    const { q, page } = parseQuery(c, listQuery)
    const search = q.trim()
    const found = await users.list(tenantOf(c), { page, perPage: USERS_PER_PAGE }, search)
    const model = userListModel({ users: found, search, page, perPage: USERS_PER_PAGE })
    return renderConsole(c, deps, { view: 'admin-users', section: 'users', title: 'Users' }, model)
  })

  app.get('/:id', (c) => renderUser(c, emptyForm))

  app.post('/:id/roles', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, roleForm)
    allow(c, 'update:users')
    const [actor, tenantId, userId] = [c.get('actor'), tenantOf(c), c.req.param('id')]
    await (form.remove !== undefined
      ? users.removeRoles(actor, tenantId, userId, [form.remove])
      : users.addRoles(actor, tenantId, userId, [form.role_id]))
    return back(c, form.remove !== undefined ? 'removed' : 'added')
  })

  app.post('/:id/permissions', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, permissionForm)
    allow(c, 'update:users')
    const [actor, tenantId, userId] = [c.get('actor'), tenantOf(c), c.req.param('id')]
    const done = await attempt({ permission: form.permission }, () =>
      form.remove !== undefined
        ? users.removePermissions(actor, tenantId, userId, [parsePermissionKey(form.remove)])
        : users.addPermissions(actor, tenantId, userId, [parsePermissionKey(form.permission)]),
    )
    return done.ok
      ? back(c, form.remove !== undefined ? 'removed' : 'added')
      : renderUser(c, done.form, 400)
  })

  app.post('/:id/grants', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, grantForm)
    allow(c, 'delete:grants')
    await users.revokeGrant(c.get('actor'), tenantOf(c), c.req.param('id'), form.revoke)
    return back(c, 'revoked')
  })

  return app
}
