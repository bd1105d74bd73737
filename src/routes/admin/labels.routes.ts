import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { labelsHref } from '../../presenters/admin-apis.js'
import { emptyForm, type FormState } from '../../presenters/admin-console.js'
import { apiLabelsModel } from '../../presenters/admin-labels.js'
import type { AppEnv } from '../../web/context.js'
import { limitBody } from '../../web/middleware/body-limit.js'
import type { AppDeps } from '../deps.js'
import {
  afterChange,
  allow,
  attempt,
  can,
  consoleForm,
  formEcho,
  renderConsole,
} from './console.js'

const resourceQuery = z.object({ resource: z.string().max(600).optional().catch(undefined) })

/**
 * An API's Labels tab (DESIGN §5): per resource, the heading and noun each language's grouped
 * lines use (`consent_resources`, DESIGN §4.2), and the languages still without one.
 */
export function adminLabelRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const apis = deps.resourceServers
  const { locales } = deps.i18n
  // One heading and one noun per shipped language: a post names no other field.
  const labelsForm = z.object({
    csrf: z.string().max(128).optional(),
    ...Object.fromEntries(
      locales.flatMap((locale) => [
        [`heading_${locale}`, z.string().max(400).default('')],
        [`noun_${locale}`, z.string().max(400).default('')],
      ]),
    ),
  })

  const render = async (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const api = await apis.get(c.get('tenant').id, c.req.param('id') ?? '')
    const model = apiLabelsModel({
      api,
      locales,
      resource: resourceQuery.parse(c.req.query()).resource,
      canEdit: can(c, 'update:resource_servers'),
      form,
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-api-labels',
        section: 'apis',
        title: `${api.name}: labels`,
        ...(status ? { status } : {}),
      },
      model,
    )
  }

  app.get('/:id/labels', async (c) => {
    allow(c, 'read:resource_servers')
    return render(c, emptyForm)
  })

  app.post('/:id/labels', limitBody('form'), async (c) => {
    allow(c, 'read:resource_servers')
    const form = (await consoleForm(c, deps, labelsForm)) as Record<string, string>
    allow(c, 'update:resource_servers')
    const resource = resourceQuery.parse(c.req.query()).resource
    const [actor, tenantId] = [c.get('actor'), c.get('tenant').id]
    const labels = Object.fromEntries(
      locales.map((locale) => [
        locale,
        { heading: form[`heading_${locale}`] ?? '', noun: form[`noun_${locale}`] ?? '' },
      ]),
    )
    const done = await attempt(formEcho(form), () =>
      apis.labelResource(actor, tenantId, c.req.param('id'), resource ?? '', labels),
    )
    if (!done.ok) return render(c, done.form, 400)
    return afterChange(c, labelsHref(done.value, resource), 'saved')
  })

  return app
}
