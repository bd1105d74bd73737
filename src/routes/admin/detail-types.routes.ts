import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { type AuthorizationDetail, DETAIL_LIMITS, declaredType } from '../../consent/index.js'
import type { ResourceServer } from '../../entities.js'
import { FieldError } from '../../errors.js'
import { emptyForm, type FormState } from '../../presenters/admin-console.js'
import { apiDetailTypesModel, type DetailSample } from '../../presenters/admin-detail-types.js'
import type { AppEnv } from '../../web/context.js'
import { limitBody } from '../../web/middleware/body-limit.js'
import type { AppDeps } from '../deps.js'
import { afterChange, allow, attempt, can, consoleForm, renderConsole } from './console.js'

const csrf = z.string().max(128).optional()
const typeName = z.string().max(DETAIL_LIMITS.typeLength * 2)
const addForm = z.object({
  csrf,
  type: typeName.default(''),
  schema: z.string().max(DETAIL_LIMITS.bytes).default(''),
  templates: z
    .string()
    .max(DETAIL_LIMITS.templateLength * 40)
    .default(''),
})
const templateForm = z.object({
  csrf,
  type: typeName,
  locale: z.string().max(40),
  template: z
    .string()
    .max(DETAIL_LIMITS.templateLength * 2)
    .default(''),
})
const removeForm = z.object({ csrf, type: typeName })
// A bad query shows the tab as it is, never an error page.
const pageQuery = z.object({
  type: typeName.optional().catch(undefined),
  sample: z.string().max(DETAIL_LIMITS.bytes).optional().catch(undefined),
})

/** `en: Pay {instructedAmount} to {creditorName}`, one a line, to templates per language tag. */
function parseTemplateLines(lines: string): Record<string, string> {
  const templates: Record<string, string> = {}
  for (const line of lines.split(/\r?\n/)) {
    if (line.trim() === '') continue
    const match = /^\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\s*:\s*(.*)$/.exec(line)
    if (!match?.[1])
      throw new FieldError('templates', `cannot read “${line.slice(0, 40)}”: write “en: template”`)
    templates[match[1]] = (match[2] ?? '').trim()
  }
  return templates
}

/** The sample entry the admin typed, as an entry of `type`: a JSON object whose type is it. */
function readSample(api: ResourceServer, type: string, text: string): DetailSample | null {
  const declared = declaredType(api.authorizationDetails, { type })
  if (!declared || text.trim() === '') return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { type, text, error: `Not JSON: ${error instanceof Error ? error.message : error}` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { type, text, error: 'A sample entry is a JSON object.' }
  const entry = { type, ...value } as AuthorizationDetail
  if (entry.type !== type)
    return { type, text, error: `The sample’s type is not ${type}: leave it out or write it.` }
  return { type, text, entry }
}

/**
 * The Authorization details tab of an API (DESIGN §3.9, §5): its detail types, each template
 * rendered from a sample, and the forms that add a type, set a template and remove a type.
 */
export function adminDetailTypeRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const apis = deps.resourceServers
  const tenantOf = (c: Context<AppEnv>) => c.get('tenant').id
  const tab = (api: ResourceServer) => `/admin/apis/${encodeURIComponent(api.id)}/details`

  const render = async (
    c: Context<AppEnv>,
    form: FormState,
    options: { sample?: DetailSample | null; status?: 400 } = {},
  ) => {
    const api = await apis.get(tenantOf(c), c.req.param('id') ?? '')
    const model = apiDetailTypesModel({
      api,
      canEdit: can(c, 'update:resource_servers'),
      form,
      locales: deps.i18n.locales,
      sample: options.sample ?? null,
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-api-details',
        section: 'apis',
        title: `${api.name}: authorization details`,
        ...(options.status ? { status: options.status } : {}),
      },
      model,
    )
  }

  app.get('/:id/details', async (c) => {
    const query = pageQuery.parse(c.req.query())
    const api = await apis.get(tenantOf(c), c.req.param('id'))
    const sample = query.type ? readSample(api, query.type, query.sample ?? '') : null
    const type = sample?.entry ? declaredType(api.authorizationDetails, sample.entry) : undefined
    const checked =
      sample?.entry && type
        ? { ...sample, refusal: apis.sampleRefusal(type, sample.entry) }
        : sample
    return render(c, emptyForm, { sample: checked })
  })

  app.post('/:id/details', limitBody('form'), async (c) => {
    const { csrf: _, ...posted } = await consoleForm(c, deps, addForm)
    allow(c, 'update:resource_servers')
    const done = await attempt({ form: 'add', ...posted }, () =>
      apis.addDetailType(c.get('actor'), tenantOf(c), c.req.param('id'), {
        type: posted.type,
        schema: posted.schema,
        templates: parseTemplateLines(posted.templates),
      }),
    )
    if (!done.ok) return render(c, done.form, { status: 400 })
    return afterChange(c, tab(done.value), 'added')
  })

  app.post('/:id/details/template', limitBody('form'), async (c) => {
    const { csrf: _, ...posted } = await consoleForm(c, deps, templateForm)
    allow(c, 'update:resource_servers')
    const done = await attempt({ form: 'template', ...posted }, () =>
      apis.setDetailTemplate(
        c.get('actor'),
        tenantOf(c),
        c.req.param('id'),
        posted.type,
        posted.locale,
        posted.template,
      ),
    )
    if (!done.ok) return render(c, done.form, { status: 400 })
    return afterChange(c, tab(done.value), 'saved')
  })

  app.post('/:id/details/remove', limitBody('form'), async (c) => {
    const { type } = await consoleForm(c, deps, removeForm)
    allow(c, 'update:resource_servers')
    const done = await attempt({ form: 'remove', type }, () =>
      apis.removeDetailType(c.get('actor'), tenantOf(c), c.req.param('id'), type),
    )
    if (!done.ok) return render(c, done.form, { status: 400 })
    return afterChange(c, tab(done.value), 'removed')
  })
}
