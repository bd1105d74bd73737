import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { clientFormValues, clientListModel, clientModel } from '../../presenters/admin-clients.js'
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
  durationsTyped,
  formEcho,
  lifetimeSeconds,
  lifetimeUnit,
  renderConsole,
} from './console.js'

const text = (max: number) => z.string().max(max).default('')
const csrf = z.string().max(128).optional()
const createForm = z.object({ csrf, name: text(400), client_id: text(300) })
// Each field optional: a post without one leaves it as it is (console.ts, changedFields).
const editForm = z.object({
  csrf,
  name: z.string().max(400).optional(),
  description: z.string().max(400).optional(),
  logo_uri: z.string().max(4000).optional(),
  client_uri: z.string().max(4000).optional(),
  policy_uri: z.string().max(4000).optional(),
  tos_uri: z.string().max(4000).optional(),
  callbacks: z.string().max(40_000).optional(),
  is_first_party: checkbox,
  is_verified: checkbox,
  // A number in a unit; blank follows the tenant. Checked by the service as the API's value is.
  consent_lifetime: z.string().trim().max(20).optional(),
  consent_lifetime_unit: lifetimeUnit,
  consent_duration_choices: z.string().max(400).optional(),
  intent: z.enum(['save', 'preview']).default('save'),
})
// The list's filter (DESIGN §3.10): every client, or only the self-registered ones.
const listQuery = z.object({ kind: z.enum(['all', 'self_registered']).catch('all').default('all') })

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)

/** The console's Clients section (DESIGN §5): list, create, edit with a logo preview, delete. */
export function adminClientRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { clients } = deps
  const tenantOf = (c: Context<AppEnv>) => c.get('tenant').id

  const renderList = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const { kind } = listQuery.parse({ kind: c.req.query('kind') })
    const filter = kind === 'self_registered' ? { isDynamic: true } : {}
    const { items } = await clients.list(tenantOf(c), { page: 0, perPage: 100 }, filter)
    const model = clientListModel({
      clients: items,
      canCreate: can(c, 'create:clients'),
      form,
      kind,
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-clients',
        section: 'clients',
        title: 'Clients',
        ...(status ? { status } : {}),
      },
      model,
    )
  }

  const renderClient = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const client = await clients.get(tenantOf(c), c.req.param('id') ?? '')
    const model = clientModel({
      client,
      can: { update: can(c, 'update:clients'), remove: can(c, 'delete:clients') },
      form,
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-client',
        section: 'clients',
        title: `Client ${client.name}`,
        ...(status ? { status } : {}),
      },
      model,
    )
  }

  app.use('*', async function readClients(c, next) {
    allow(c, 'read:clients')
    await next()
  })

  app.get('/', (c) => renderList(c, emptyForm))

  app.post('/', limitBody('form'), async (c) => {
    const { csrf: _, ...values } = await consoleForm(c, deps, createForm)
    allow(c, 'create:clients')
    const done = await attempt(values, () =>
      clients.create(c.get('actor'), tenantOf(c), {
        name: values.name,
        clientId: values.client_id,
      }),
    )
    if (!done.ok) return renderList(c, done.form, 400)
    return afterChange(c, `/admin/clients/${encodeURIComponent(done.value.clientId)}`, 'created')
  })

  app.get('/:id', (c) => renderClient(c, emptyForm))

  app.post('/:id', limitBody('form'), async (c) => {
    const { csrf: _, intent, ...form } = await consoleForm(c, deps, editForm)
    allow(c, 'update:clients')
    const values = formEcho(form)
    // "Preview" shows the typed name and logo as the prompt would, without saving.
    if (intent === 'preview') return renderClient(c, { values, errors: {} })
    const [actor, tenantId] = [c.get('actor'), tenantOf(c)]
    const done = await attempt(values, async () => {
      const client = await clients.get(tenantId, c.req.param('id'))
      const { consent_lifetime_unit: unit, ...fields } = form
      const posted = {
        ...fields,
        callbacks: form.callbacks === undefined ? undefined : lines(form.callbacks),
        consent_lifetime: lifetimeSeconds(form.consent_lifetime, unit),
      }
      const changed = changedFields(posted, clientFormValues(client))
      if (!changed) return client
      return clients.update(actor, tenantId, client.clientId, {
        name: changed.name,
        description: changed.description,
        logoUri: changed.logo_uri,
        clientUri: changed.client_uri,
        policyUri: changed.policy_uri,
        tosUri: changed.tos_uri,
        callbacks: changed.callbacks,
        isFirstParty: changed.is_first_party,
        consentDurationChoices:
          changed.consent_duration_choices === undefined
            ? undefined
            : durationsTyped(changed.consent_duration_choices),
        isVerified: changed.is_verified,
        consentLifetime: changed.consent_lifetime,
      })
    })
    if (!done.ok) return renderClient(c, done.form, 400)
    return afterChange(c, `/admin/clients/${encodeURIComponent(done.value.clientId)}`, 'saved')
  })

  app.post('/:id/delete', limitBody('form'), async (c) => {
    await consoleForm(c, deps, z.object({ csrf }))
    allow(c, 'delete:clients')
    await clients.remove(c.get('actor'), tenantOf(c), c.req.param('id'))
    return afterChange(c, '/admin/clients', 'deleted')
  })

  return app
}
