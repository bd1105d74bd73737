import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../app/env.js'
import type { AppDeps } from '../../app/types.js'
import { limitBody } from '../../http/body-limit.js'
import { settingsModel } from '../../presenters/admin-clients.js'
import { emptyForm, type FormState } from '../../presenters/admin-console.js'
import { allow, attempt, can, consoleForm, renderConsole } from './console.js'

const text = (max: number) => z.string().max(max).default('')
const on = z.literal('on').optional()
const settingsForm = z.looseObject({
  csrf: z.string().max(128).optional(),
  friendly_name: text(600),
  logo_url: text(4000),
  primary_color: text(20),
  default_locale: text(40),
  allowed_return_urls: text(40_000),
  use_scope_descriptions_for_consent: on,
  enable_granular_consent: on,
})
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)

/** The console's tenant settings (issue 19 item 5): name, branding, languages, return URLs, flags. */
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
    const { csrf: _, ...form } = await consoleForm(c, deps, settingsForm)
    allow(c, 'update:tenant_settings')
    // One checkbox per language, `locale_<tag>`: a field of its own rather than a repeated one.
    const enabled = deps.i18n.locales.filter((locale) => form[`locale_${locale}`] === 'on')
    const flags = {
      use_scope_descriptions_for_consent: form.use_scope_descriptions_for_consent === 'on',
      enable_granular_consent: form.enable_granular_consent === 'on',
    }
    const values = {
      friendly_name: form.friendly_name,
      logo_url: form.logo_url,
      primary_color: form.primary_color,
      default_locale: form.default_locale,
      allowed_return_urls: form.allowed_return_urls,
      enabled_locales: enabled.join(' '),
      ...Object.fromEntries(Object.entries(flags).map(([k, v]) => [k, v ? 'on' : 'off'])),
    }
    const done = await attempt(values, () =>
      deps.settings.update(c.get('actor'), c.get('tenant'), {
        friendly_name: form.friendly_name,
        default_locale: form.default_locale,
        enabled_locales: enabled,
        // Empty: the tenant keeps no list of its own and the configured default applies.
        allowed_return_urls:
          lines(form.allowed_return_urls).length > 0 ? lines(form.allowed_return_urls) : null,
        branding: { logo_url: form.logo_url, primary_color: form.primary_color },
        flags,
      }),
    )
    if (!done.ok) return render(c, done.form, 400)
    return c.redirect('/admin/settings', 303)
  })

  return app
}
