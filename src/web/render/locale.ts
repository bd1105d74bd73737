import type { Context } from 'hono'
import type { Tenant } from '../../entities.js'
import type { Translator } from '../../i18n/i18n.js'
import { negotiateLocale } from '../../i18n/negotiate.js'
import type { AppEnv } from '../context.js'
import type { WebDeps } from '../deps.js'

/** Locales a tenant offers: its `enabled_locales` that have translations, else all of them. */
export function tenantLocales(
  tenant: Tenant | undefined,
  available: readonly string[],
): readonly string[] {
  const enabled = tenant?.settings.enabled_locales?.filter((locale) => available.includes(locale))
  return enabled && enabled.length > 0 ? enabled : available
}

/**
 * Negotiates the page's locale (DESIGN §3.2: `ui_locales` → `Accept-Language` → tenant default →
 * `en`) and keeps it on the request, so an error page thrown later speaks it too.
 */
export function useLocale(
  c: Context<AppEnv>,
  deps: Pick<WebDeps, 'i18n'>,
  uiLocales: string | null = null,
): Translator {
  const tenant = c.get('tenant') as Tenant | undefined
  const locale = negotiateLocale(
    {
      uiLocales,
      acceptLanguage: c.req.header('accept-language'),
      tenantDefault: tenant?.settings.default_locale,
    },
    tenantLocales(tenant, deps.i18n.locales),
  )
  const tr = deps.i18n.translator(locale)
  c.set('locale', locale)
  c.set('tr', tr)
  return tr
}

/** The request's translator: the one negotiated for it, or negotiated now from its headers. */
export function translatorOf(c: Context<AppEnv>, deps: Pick<WebDeps, 'i18n'>): Translator {
  return (c.get('tr') as Translator | undefined) ?? useLocale(c, deps)
}
