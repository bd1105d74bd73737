import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { FieldError } from '../../errors.js'
import {
  apiListModel,
  apiPermissionsModel,
  apiSettingsModel,
  apiSettingsValues,
  localeLines,
  permissionEditModel,
} from '../../presenters/admin-apis.js'
import { emptyForm, type FormState } from '../../presenters/admin-console.js'
import type { AppEnv } from '../../web/context.js'
import { checkbox } from '../../web/edge/forms.js'
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
  renderConsole,
} from './console.js'
import { adminDetailTypeRoutes } from './detail-types.routes.js'

const text = (max: number) => z.string().max(max).default('')
const csrf = z.string().max(128).optional()
const createForm = z.object({ csrf, name: text(400), identifier: text(1200) })
const permissionsForm = z.object({
  csrf,
  value: text(600),
  description: text(1000),
  delete: z.string().max(600).optional(),
  move: z.enum(['up', 'down']).optional(),
})
// Which page of a long Permissions tab, and its filter: odd values show the first page, unfiltered.
const browseQuery = z.object({
  find: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(0).max(10_000).catch(0),
})
const editForm = z.object({
  csrf,
  value: text(600),
  description: text(1000),
  descriptions: text(40_000),
})
// Each field optional: a post without one leaves it as it is (console.ts, changedFields).
const settingsForm = z.object({
  csrf,
  name: z.string().max(400).optional(),
  token_dialect: z.string().max(100).optional(),
  enforce_policies: checkbox,
  allow_offline_access: checkbox,
  skip_consent: checkbox,
})

/** `fr: Lire vos messages`, one a line, to per-locale descriptions (DESIGN §4.2). */
function parseLocaleLines(lines: string): Record<string, string> {
  const descriptions: Record<string, string> = {}
  for (const line of lines.split(/\r?\n/)) {
    if (line.trim() === '') continue
    const match = /^\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\s*:\s*(.*)$/.exec(line)
    if (!match?.[1])
      throw new FieldError('descriptions', `cannot read “${line.slice(0, 40)}”: write “fr: text”`)
    descriptions[match[1]] = (match[2] ?? '').trim()
  }
  return descriptions
}

/** The console's APIs section (DESIGN §5): list, create, Settings, Permissions, Authorization details. */
export function adminApiRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const apis = deps.resourceServers
  const tenantOf = (c: Context<AppEnv>) => c.get('tenant').id

  const renderList = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const { items } = await apis.list(tenantOf(c), { page: 0, perPage: 100 })
    const model = apiListModel({ apis: items, canCreate: can(c, 'create:resource_servers'), form })
    return renderConsole(
      c,
      deps,
      { view: 'admin-apis', section: 'apis', title: 'APIs', ...(status ? { status } : {}) },
      model,
    )
  }

  const renderPermissions = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const api = await apis.get(tenantOf(c), c.req.param('id') ?? '')
    const { find, page } = browseQuery.parse(c.req.query())
    const model = apiPermissionsModel({
      api,
      canEdit: can(c, 'update:resource_servers'),
      form,
      find,
      page,
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-api-permissions',
        section: 'apis',
        title: `${api.name}: permissions`,
        ...(status ? { status } : {}),
      },
      model,
    )
  }

  const renderSettings = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const api = await apis.get(tenantOf(c), c.req.param('id') ?? '')
    const model = apiSettingsModel({
      api,
      canEdit: can(c, 'update:resource_servers'),
      canDelete: can(c, 'delete:resource_servers'),
      form,
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-api-settings',
        section: 'apis',
        title: `${api.name}: settings`,
        ...(status ? { status } : {}),
      },
      model,
    )
  }

  app.use('*', async function readApis(c, next) {
    allow(c, 'read:resource_servers')
    await next()
  })

  app.get('/', (c) => renderList(c, emptyForm))

  app.post('/', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, createForm)
    allow(c, 'create:resource_servers')
    const { csrf: _, ...values } = form
    const done = await attempt(values, () =>
      apis.create(c.get('actor'), tenantOf(c), {
        identifier: form.identifier.trim(),
        name: form.name || form.identifier.trim(),
      }),
    )
    if (!done.ok) return renderList(c, done.form, 400)
    return afterChange(c, `/admin/apis/${encodeURIComponent(done.value.id)}/permissions`, 'created')
  })

  app.get('/:id', (c) =>
    c.redirect(`/admin/apis/${encodeURIComponent(c.req.param('id'))}/settings`, 303),
  )

  app.get('/:id/settings', (c) => renderSettings(c, emptyForm))

  app.post('/:id/settings', limitBody('form'), async (c) => {
    const { csrf: _, ...posted } = await consoleForm(c, deps, settingsForm)
    allow(c, 'update:resource_servers')
    const [actor, tenantId] = [c.get('actor'), tenantOf(c)]
    const done = await attempt(formEcho(posted), async () => {
      const api = await apis.get(tenantId, c.req.param('id'))
      const changed = changedFields(posted, apiSettingsValues(api))
      if (!changed) return api
      // The service checks the dialect as the Management API does (one rule, one message).
      return apis.update(actor, tenantId, api.id, {
        name: changed.name,
        tokenDialect: changed.token_dialect,
        enforcePolicies: changed.enforce_policies,
        allowOfflineAccess: changed.allow_offline_access,
        skipConsentForVerifiableFirstPartyClients: changed.skip_consent,
      })
    })
    if (!done.ok) return renderSettings(c, done.form, 400)
    return afterChange(c, `/admin/apis/${encodeURIComponent(done.value.id)}/settings`, 'saved')
  })

  app.post('/:id/delete', limitBody('form'), async (c) => {
    await consoleForm(c, deps, z.object({ csrf }))
    allow(c, 'delete:resource_servers')
    await apis.remove(c.get('actor'), tenantOf(c), c.req.param('id'))
    return afterChange(c, '/admin/apis', 'deleted')
  })

  adminDetailTypeRoutes(app, deps)

  app.get('/:id/permissions', (c) => renderPermissions(c, emptyForm))

  app.post('/:id/permissions', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, permissionsForm)
    allow(c, 'update:resource_servers')
    const [actor, tenantId, id] = [c.get('actor'), tenantOf(c), c.req.param('id')]
    const done = await attempt({ value: form.value, description: form.description }, () => {
      if (form.delete !== undefined) return apis.removeScope(actor, tenantId, id, form.delete)
      if (form.move) return apis.moveScope(actor, tenantId, id, form.value, form.move)
      return apis.addScope(actor, tenantId, id, form.value, form.description)
    })
    if (!done.ok) return renderPermissions(c, done.form, 400)
    const what = form.delete !== undefined ? 'deleted' : form.move ? 'saved' : 'added'
    return afterChange(c, `/admin/apis/${encodeURIComponent(done.value.id)}/permissions`, what)
  })

  app.get('/:id/permissions/edit', async (c) => {
    const api = await apis.get(tenantOf(c), c.req.param('id'))
    const value = c.req.query('value') ?? ''
    if (!api.scopes.some((scope) => scope.value === value))
      return c.redirect(`/admin/apis/${encodeURIComponent(api.id)}/permissions`, 303)
    const model = permissionEditModel({ api, value, form: emptyForm })
    return renderConsole(
      c,
      deps,
      { view: 'admin-api-permission', section: 'apis', title: `Edit ${value}` },
      model,
    )
  })

  app.post('/:id/permissions/edit', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, editForm)
    allow(c, 'update:resource_servers')
    const { csrf: _, ...values } = form
    const [actor, tenantId] = [c.get('actor'), tenantOf(c)]
    const done = await attempt(values, async () => {
      const api = await apis.get(tenantId, c.req.param('id'))
      const scope = api.scopes.find((s) => s.value === form.value)
      const posted = {
        description: form.description.trim(),
        descriptions: parseLocaleLines(form.descriptions),
      }
      // What the page shows, read back as its post is: the same text parses the same.
      const shown = {
        description: scope?.description.trim(),
        descriptions: parseLocaleLines(localeLines(scope?.descriptions)),
      }
      // Saved unchanged, the permission is not rewritten (no write, no audit entry).
      if (scope && !changedFields(posted, shown)) return api
      return apis.describeScope(
        actor,
        tenantId,
        api.id,
        form.value,
        posted.description,
        posted.descriptions,
      )
    })
    if (done.ok)
      return afterChange(c, `/admin/apis/${encodeURIComponent(done.value.id)}/permissions`, 'saved')
    const api = await apis.get(tenantOf(c), c.req.param('id'))
    const model = permissionEditModel({ api, value: form.value, form: done.form })
    return renderConsole(
      c,
      deps,
      { view: 'admin-api-permission', section: 'apis', title: `Edit ${form.value}`, status: 400 },
      model,
    )
  })

  return app
}
