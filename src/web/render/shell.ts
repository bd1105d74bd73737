import { displayableLogo } from '../../consent/index.js'
import type { Tenant } from '../../entities.js'
import type { Translator } from '../../i18n/i18n.js'
import { plainText, type RichText } from '../../i18n/rich-text.js'
import type { Assets } from './assets.js'

/**
 * What the layout around every page needs: language, direction, title, stylesheet, branding. It
 * belongs to the render step, which alone knows the nonce and sets the headers it goes with.
 */
export interface PageShell {
  lang: string
  dir: 'ltr' | 'rtl'
  title: string
  css: string
  icon: string
  nonce: string
  brandColor: string | null
  /** The tenant's name and logo, for pages that show them (errors, the landing page). */
  brand: PageBrand | null
}

export interface PageBrand {
  readonly name: string
  readonly logoUrl: string | null
  readonly logoAlt: string
}

/** What a page may show of the tenant its `Host` names: its name and logo, nothing else. */
export function pageBrand(tenant: Tenant | undefined, tr: Translator): PageBrand | null {
  if (!tenant) return null
  const name = tenant.settings.friendly_name
  return {
    name,
    logoUrl: displayableLogo(tenant.settings.branding?.logo_url ?? tenant.settings.picture_url),
    logoAlt: plainText(tr.rich('page.tenantLogo', { tenant: name })),
  }
}

/** The tenant's brand colour, which needs a style nonce on the page. */
export function brandColorOf(tenant: Tenant | undefined): string | null {
  return tenant?.settings.branding?.primary_color ?? null
}

/** The layout's view-model. */
export function pageShell(input: {
  tenant: Tenant | undefined
  tr: Translator
  /** Rich text becomes plain, their words isolated: a `<title>` holds no markup. */
  title: string | RichText
  assets: Assets
  nonce: string
}): PageShell {
  return {
    lang: input.tr.locale,
    dir: input.tr.dir,
    title: typeof input.title === 'string' ? input.title : plainText(input.title),
    css: input.assets.url('assent.css'),
    icon: input.assets.url('favicon.svg'),
    nonce: input.nonce,
    brandColor: brandColorOf(input.tenant),
    brand: pageBrand(input.tenant, input.tr),
  }
}
