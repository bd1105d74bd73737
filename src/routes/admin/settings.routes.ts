import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { type FlagName, TENANT_FLAGS } from '../../consent/index.js'
import { AppError } from '../../errors.js'
import { settingsFormValues, settingsModel } from '../../presenters/admin-clients.js'
import { emptyForm, type FormState } from '../../presenters/admin-console.js'
import type { SettingsPatch } from '../../services/admin/settings.js'
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

// Each field optional: a post without one leaves it as it is (console.ts, changedFields). Loose:
// one checkbox per language, `locale_<tag>`, read below against the languages the service has.
const settingsForm = z.looseObject({
  csrf: z.string().max(128).optional(),
  friendly_name: z.string().max(600).optional(),
  logo_url: z.string().max(4000).optional(),
  primary_color: z.string().max(20).optional(),
  default_locale: z.string().max(40).optional(),
  allowed_return_urls: z.string().max(40_000).optional(),
  consent_duration_choices: z.string().max(400).optional(),
  consent_lifetime: z.string().trim().max(20).optional(),
  consent_lifetime_unit: lifetimeUnit,
  dynamic_client_consent_lifetime: z.string().trim().max(20).optional(),
  dynamic_client_consent_lifetime_unit: lifetimeUnit,
  ...(Object.fromEntries(TENANT_FLAGS.map((flag) => [flag.name, checkbox])) as Record<
    FlagName,
    typeof checkbox
  >),
})
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)

/**
 * The languages a post enables: each `locale_<tag>` it carries says ticked or not; a language
 * whose box it does not carry keeps its state. In the service's order, as the page lists them.
 */
function postedLocales(
  form: Readonly<Record<string, unknown>>,
  locales: readonly string[],
  enabled: readonly string[],
): string[] | undefined {
  let carried = false
  const next = locales.filter((locale) => {
    const parsed = checkbox.safeParse(form[`locale_${locale}`])
    if (!parsed.success) throw new AppError(400, 'invalid_body', 'The form is incomplete')
    if (parsed.data === undefined) return enabled.includes(locale)
    carried = true
    return parsed.data
  })
  return carried ? next : undefined
}

type SettingsForm = ReturnType<typeof settingsFormValues>

/** What the service is asked to change: the fields the admin changed, in its shape. */
function settingsPatch(
  changed: Partial<SettingsForm>,
  posted: Partial<SettingsForm>,
): SettingsPatch {
  const returnUrls = changed.allowed_return_urls
  return {
    friendly_name: changed.friendly_name,
    // The languages and the default are checked together: a new list carries the default shown.
    default_locale: changed.enabled_locales ? posted.default_locale : changed.default_locale,
    enabled_locales: changed.enabled_locales,
    // Empty: the tenant keeps no list of its own and the configured default applies.
    allowed_return_urls:
      returnUrls === undefined ? undefined : returnUrls.length > 0 ? returnUrls : null,
    // Empty: prompts offer no choice of duration.
    consent_duration_choices:
      changed.consent_duration_choices === undefined
        ? undefined
        : durationsTyped(changed.consent_duration_choices),
    ...(changed.logo_url !== undefined || changed.primary_color !== undefined
      ? { branding: { logo_url: changed.logo_url, primary_color: changed.primary_color } }
      : {}),
    consent_lifetime: changed.consent_lifetime,
    dynamic_client_consent_lifetime: changed.dynamic_client_consent_lifetime,
    // Merged into the tenant's flags: only those the admin changed.
    flags: Object.fromEntries(
      TENANT_FLAGS.flatMap((flag) => {
        const value = changed[flag.name]
        return value === undefined ? [] : [[flag.name, value] as const]
      }),
    ),
  }
}

/** The console's tenant settings (DESIGN §5): name, branding, languages, return URLs, flags. */
export function adminSettingsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  const render = (c: Context<AppEnv>, form: FormState, status?: 400) => {
    const model = settingsModel({
      tenant: c.get('tenant'),
      locales: deps.i18n.locales,
      defaultReturnUrls: deps.config.allowedReturnUrls,
      canEdit: can(c, 'update:tenant_settings'),
      form,
    })
    return renderConsole(
      c,
      deps,
      {
        view: 'admin-settings',
        section: 'settings',
        title: 'Tenant settings',
        ...(status ? { status } : {}),
      },
      model,
    )
  }

  app.use('*', async function readSettings(c, next) {
    allow(c, 'read:tenant_settings')
    await next()
  })

  app.get('/', (c) => render(c, emptyForm))

  app.post('/', limitBody('form'), async (c) => {
    const form = await consoleForm(c, deps, settingsForm)
    allow(c, 'update:tenant_settings')
    const tenant = c.get('tenant')
    const shown = settingsFormValues(tenant.settings, deps.i18n.locales)
    const posted = {
      friendly_name: form.friendly_name,
      logo_url: form.logo_url,
      // A colour input sends lower case; the page shows the stored colour in lower case too.
      primary_color: form.primary_color?.toLowerCase(),
      default_locale: form.default_locale,
      enabled_locales: postedLocales(form, deps.i18n.locales, shown.enabled_locales),
      allowed_return_urls:
        form.allowed_return_urls === undefined ? undefined : lines(form.allowed_return_urls),
      consent_duration_choices: form.consent_duration_choices?.trim(),
      consent_lifetime: lifetimeSeconds(form.consent_lifetime, form.consent_lifetime_unit),
      dynamic_client_consent_lifetime: lifetimeSeconds(
        form.dynamic_client_consent_lifetime,
        form.dynamic_client_consent_lifetime_unit,
      ),
      ...(Object.fromEntries(TENANT_FLAGS.map((flag) => [flag.name, form[flag.name]])) as Record<
        FlagName,
        boolean | undefined
      >),
    }
    const values = formEcho({
      ...posted,
      enabled_locales: posted.enabled_locales?.join(' '),
      allowed_return_urls: form.allowed_return_urls,
      // The lifetimes as typed, in their units.
      consent_lifetime: form.consent_lifetime,
      consent_lifetime_unit: form.consent_lifetime_unit,
      dynamic_client_consent_lifetime: form.dynamic_client_consent_lifetime,
      dynamic_client_consent_lifetime_unit: form.dynamic_client_consent_lifetime_unit,
    })
    const done = await attempt(values, async () => {
      const changed = changedFields(posted, shown)
      return changed
        ? deps.settings.update(c.get('actor'), tenant, settingsPatch(changed, posted))
        : tenant
    })
    if (!done.ok) return render(c, done.form, 400)
    return afterChange(c, '/admin/settings', 'saved')
  })

  return app
}
