import type { Context } from 'hono'
import type { AppDeps, AppEnv } from '../app/types.js'
import type { Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'
import { negotiateLocale } from '../i18n/negotiate.js'
import { setPagePolicy, styleNonce } from '../middleware/security-headers.js'

/** What the layout needs: language, direction, title, stylesheet, branding. */
export interface PageShell {
  lang: string
  dir: 'ltr' | 'rtl'
  title: string
  css: string
  icon: string
  nonce: string
  brandColor: string | null
}

export function pageShell(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'assets'>,
  tr: Translator,
  title: string,
): PageShell {
  const tenant = c.get('tenant') as Tenant | undefined
  const brandColor = tenant?.settings.branding?.primary_color ?? null
  const nonce = brandColor ? styleNonce() : ''
  setPagePolicy(c, nonce || undefined)
  return {
    lang: tr.locale,
    dir: tr.dir,
    title,
    css: deps.assets.url('assent.css'),
    icon: deps.assets.url('favicon.svg'),
    nonce,
    brandColor,
  }
}

/** Locales a tenant offers: its `enabled_locales` that have translations, else all of them. */
export function tenantLocales(
  tenant: Tenant | undefined,
  available: readonly string[],
): readonly string[] {
  const enabled = tenant?.settings.enabled_locales?.filter((locale) => available.includes(locale))
  return enabled && enabled.length > 0 ? enabled : available
}

/** Negotiates a page's locale (DESIGN §3.2) and remembers it for an error page thrown later. */
export function pageTranslator(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'i18n'>,
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
  c.set('locale', locale)
  return deps.i18n.translator(locale)
}
