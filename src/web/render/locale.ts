import type { Context } from 'hono'
import { z } from 'zod'
import type { Tenant } from '../../entities.js'
import type { Translator } from '../../i18n/i18n.js'
import { negotiateLocale } from '../../i18n/negotiate.js'
import type { AppEnv } from '../context.js'
import type { WebDeps } from '../deps.js'

/**
 * The language picker's choice (DESIGN §3.2.1), a page's `?ui_locales=`: one tag the user picked,
 * put ahead of the languages the page would otherwise negotiate.
 */
export const languagePick = z.object({
  ui_locales: z
    .string()
    .max(35)
    .regex(/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/, 'one BCP 47 language tag')
    .optional(),
})

/** The user's pick ahead of the languages already asked for (`ui_locales` order, RFC 5646 tags). */
export function withPick(picked: string | undefined, asked: string | null): string | null {
  if (!picked) return asked || null
  return asked ? `${picked} ${asked}` : picked
}

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
