import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { Webhook } from '../../evidence.js'
import { emptyForm, type FormState } from '../../presenters/admin-console.js'
import { webhookListModel, webhookModel } from '../../presenters/admin-webhooks.js'
import { WEBHOOK_EVENTS } from '../../services/webhooks/webhooks.js'
import type { AppEnv } from '../../web/context.js'
import { limitBody } from '../../web/middleware/body-limit.js'
import type { AppDeps } from '../deps.js'
import { afterChange, allow, attempt, can, consoleForm, renderConsole } from './console.js'

const csrf = z.string().max(128).optional()
const event = z.enum(WEBHOOK_EVENTS)
const createForm = z.object({
  csrf,
  url: z.string().trim().max(2000).default(''),
  // Checkboxes of one name: none ticked sends none, one sends a string.
  events: z
    .union([event, z.array(event).max(WEBHOOK_EVENTS.length)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
})
const PER_PAGE = 50
const pageQuery = z.object({ page: z.coerce.number().int().min(0).max(100_000).catch(0) })

/**
 * The console's Webhooks section (DESIGN §3.8, §5): the endpoints the authorization server hears
 * from, added, re-enabled and deleted through the same service, and the same checks, as the
 * Management API's `/webhooks`.
 */
export function adminWebhookRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { webhooks } = deps
  const tenantOf = (c: Context<AppEnv>) => c.get('tenant').id

  const renderList = async (
    c: Context<AppEnv>,
    form: FormState,
    options: { status?: 400; created?: Webhook } = {},
  ) => {
    const hooks = await webhooks.list(tenantOf(c))
    const model = webhookListModel({
      hooks,
      events: WEBHOOK_EVENTS,
      can: {
        create: can(c, 'create:webhooks'),
        update: can(c, 'update:webhooks'),
        remove: can(c, 'delete:webhooks'),
      },
      form,
      ...(options.created ? { created: options.created } : {}),
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-webhooks',
        section: 'webhooks',
        title: 'Webhooks',
        ...(options.status ? { status: options.status } : {}),
        ...(options.created ? { done: 'created' as const } : {}),
      },
      model,
    )
  }

  app.use('*', async function readWebhooks(c, next) {
    allow(c, 'read:webhooks')
    await next()
  })

  app.get('/', (c) => renderList(c, emptyForm))

  app.post('/', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, createForm)
    allow(c, 'create:webhooks')
    const values = { url: form.url, events: form.events.join(' ') }
    const done = await attempt(values, () =>
      webhooks.register(c.get('actor'), tenantOf(c), { url: form.url, events: form.events }),
    )
    if (!done.ok) return renderList(c, done.form, { status: 400 })
    // The signing secret is shown on this response only: a redirect would have to carry it.
    c.header('Cache-Control', 'no-store')
    return renderList(c, emptyForm, { created: done.value })
  })

  app.get('/:id', async (c) => {
    const tenantId = tenantOf(c)
    const { page } = pageQuery.parse(c.req.query())
    const id = c.req.param('id')
    const deliveries = await webhooks.deliveries(tenantId, id, { page, perPage: PER_PAGE })
    const hook = (await webhooks.list(tenantId)).find((h) => h.id === id)
    if (!hook) return c.notFound()
    const model = webhookModel({
      hook,
      deliveries,
      page,
      perPage: PER_PAGE,
      canUpdate: can(c, 'update:webhooks'),
    })
    return renderConsole(
      c,
      deps,
      { view: 'admin-webhook', section: 'webhooks', title: `Webhook ${hook.url}` },
      model,
    )
  })

  app.post('/:id/enable', limitBody('form'), async (c) => {
    await consoleForm(c, deps, z.object({ csrf }))
    allow(c, 'update:webhooks')
    const id = c.req.param('id')
    await webhooks.update(c.get('actor'), tenantOf(c), id, { status: 'enabled' })
    return afterChange(c, `/admin/webhooks/${encodeURIComponent(id)}`, 'enabled')
  })

  app.post('/:id/delete', limitBody('form'), async (c) => {
    await consoleForm(c, deps, z.object({ csrf }))
    allow(c, 'delete:webhooks')
    await webhooks.remove(c.get('actor'), tenantOf(c), c.req.param('id'))
    return afterChange(c, '/admin/webhooks', 'deleted')
  })

  return app
}
