import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { parseDurationChoices } from '../../consent/index.js'
import { AppError, ConflictError, FieldError } from '../../errors.js'
import { LIFETIME_UNITS, type LifetimeUnit } from '../../presenters/admin-clients.js'
import {
  consoleShell,
  type Done,
  doneHref,
  type FormState,
  type SectionId,
} from '../../presenters/admin-console.js'
import type { PickerQuery } from '../../presenters/admin-rbac.js'
import type { GrantedScopes } from '../../read-models.js'
import type { AppEnv } from '../../web/context.js'
import { readForm } from '../../web/edge/forms.js'
import { hasAnyScope } from '../../web/middleware/management-auth.js'
import { renderPage } from '../../web/render/render.js'
import type { AppDeps } from '../deps.js'

/** The signed-in session's Management API scopes. */
export function sessionScopes(c: Context<AppEnv>): GrantedScopes {
  const { scopes } = c.get('admin')
  return scopes === 'all' ? 'all' : new Set(scopes)
}

export const can = (c: Context<AppEnv>, scope: string) => hasAnyScope(sessionScopes(c), [scope])

/** A page or action the session's scopes do not allow is refused, as the API would (403). */
export function allow(c: Context<AppEnv>, scope: string): void {
  if (!can(c, scope))
    throw new AppError(403, 'insufficient_scope', `Insufficient scope, expected any of: ${scope}`)
}

/** Reads a console form: parsed at the edge, its CSRF token bound to the admin session. */
export async function consoleForm<T extends z.ZodType>(
  c: Context<AppEnv>,
  deps: AppDeps,
  schema: T,
): Promise<z.output<T>> {
  const form = await readForm(c, schema)
  const token = (form as { csrf?: unknown }).csrf
  await deps.csrf.check('admin', c.get('adminCookie'), typeof token === 'string' ? token : '')
  return form
}

/**
 * What a console save writes: the fields the post carries whose value differs from what the page
 * shows for the resource as it is now (`shown`, from the presenter that fills the form, in the
 * shape the post is parsed to). A field the form does not show is absent from its post and never
 * written; one it shows unchanged is not written either, so a value the page shows for "unset"
 * (every language, the default colour) is not stored as if the admin had chosen it. `undefined`:
 * nothing changed, nothing to write.
 */
export function changedFields<T extends Record<string, unknown>>(
  posted: { readonly [K in keyof T]?: T[K] | undefined },
  shown: T,
): Partial<T> | undefined {
  const changed: Partial<T> = {}
  let any = false
  // Only `shown`'s own keys: the presenter's, never a name the sender chose.
  for (const key of Object.keys(shown) as (keyof T)[]) {
    const value = posted[key]
    if (value === undefined || JSON.stringify(value) === JSON.stringify(shown[key])) continue
    changed[key] = value
    any = true
  }
  return any ? changed : undefined
}

/**
 * Duration choices as the console's field holds them (`3600, 86400, until_removed`, DESIGN
 * §3.5.1); empty: none. A part that is neither is the admin's mistake, shown on the field.
 */
export function durationsTyped(text: string) {
  const choices = parseDurationChoices(text)
  if (choices === undefined)
    throw new FieldError('consent_duration_choices', 'must list seconds or until_removed')
  return choices
}

/** A parsed post as the form shows it again after a refusal: checkboxes as `on` / `off`. */
export function formEcho(posted: Readonly<Record<string, string | boolean | undefined>>) {
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(posted)) {
    if (key === 'csrf' || value === undefined) continue
    values[key] = typeof value === 'boolean' ? (value ? 'on' : 'off') : value
  }
  return values
}

/** What a conflict on a unique key means to the field that holds it. */
const CONFLICT_FIELD = {
  resource_server: ['identifier', 'is already the identifier of another API'],
  client: ['client_id', 'is already taken'],
  role: ['name', 'is already the name of another role'],
} as const

/**
 * Runs a console action; a refusal of the input becomes the form again, with the message beside
 * the field that caused it and the user's input kept. Anything else propagates.
 */
export async function attempt<T>(
  values: Record<string, string>,
  action: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; form: FormState }> {
  try {
    return { ok: true, value: await action() }
  } catch (error) {
    if (error instanceof FieldError)
      return { ok: false, form: { values, errors: { [error.field]: error.reason } } }
    if (error instanceof ConflictError) {
      const [field, reason] = CONFLICT_FIELD[error.subject]
      return { ok: false, form: { values, errors: { [field]: reason } } }
    }
    throw error
  }
}

/** After a change went through: back to `href`, which says so (`role="status"`). */
export function afterChange(c: Context<AppEnv>, href: string, done: Done) {
  return c.redirect(doneHref(href, done), 303)
}

/** Renders a console page: the shell (tenant, sections, sign-out form) around the view-model. */
export async function renderConsole(
  c: Context<AppEnv>,
  deps: AppDeps,
  page: {
    view: string
    section: SectionId
    title: string
    status?: ContentfulStatusCode
    /** A change that went through on this very response (no redirect to say it). */
    done?: Done
  },
  model: object,
) {
  const shell = consoleShell({
    tenantName: c.get('tenant').settings.friendly_name,
    scopes: sessionScopes(c),
    current: page.section,
    csrf: await deps.csrf.token('admin', c.get('adminCookie')),
    // A refused form is not a change that went through, whatever the address says.
    done: page.done ?? (page.status ? undefined : c.req.query('done')),
  })
  return renderPage(
    c,
    deps,
    page.view,
    { ...model, shell },
    {
      title: `${page.title} · Assent admin`,
      tr: deps.i18n.translator('en'),
      ...(page.status ? { status: page.status } : {}),
    },
  )
}

/**
 * A permission picker's state in the page's query (`?api=&find=`). An odd value only shows the
 * picker at its start: these only choose what a list shows.
 */
const pickerQuery = z.object({
  api: z.string().max(100).optional().catch(undefined),
  find: z.string().max(200).optional().catch(undefined),
})

export const pickerOf = (c: Context<AppEnv>): PickerQuery => pickerQuery.parse(c.req.query())

/** A permission chosen in a `<select>`: `identifier permission` (see `permissionKey`). */
export function parsePermissionKey(key: string) {
  const space = key.indexOf(' ')
  if (space <= 0 || space === key.length - 1)
    throw new FieldError('permission', 'choose a permission')
  return { resourceServerIdentifier: key.slice(0, space), permissionName: key.slice(space + 1) }
}

/** A consent lifetime's unit, as its `<select>` sends it. */
export const lifetimeUnit = z.enum(['days', 'hours', 'minutes', 'seconds']).default('days')

/** The typed lifetime in seconds: `null` when blank (the default), `undefined` when not shown. */
export function lifetimeSeconds(
  amount: string | undefined,
  unit: LifetimeUnit,
): number | null | undefined {
  if (amount === undefined) return undefined
  if (amount === '') return null
  const seconds = LIFETIME_UNITS.find((u) => u.value === unit)?.seconds ?? 86_400
  // Not a whole number: a value below any lifetime, which the service's own rule refuses
  // beside the field (NaN would compare equal to "unset" in changedFields).
  return /^\d+$/.test(amount) ? Number(amount) * seconds : -1
}
