import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../app/env.js'
import type { AppDeps } from '../app/types.js'
import type { Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'
import type { RichText } from '../i18n/rich-text.js'
import { translatorOf } from '../middleware/i18n.js'
import { setPagePolicy, styleNonce } from '../middleware/security-headers.js'
import { brandColorOf, pageShell } from '../presenters/page.js'

export interface RenderOptions {
  readonly title: string | RichText
  /** The page's translator; the request's negotiated one when absent. */
  readonly tr?: Translator
  readonly status?: ContentfulStatusCode
}

/**
 * The one render step of every page: the layout's view-model, the page's Content-Security-Policy
 * (its `form-action` origins and the branding style's nonce), `no-store`, and the HTML. Presenters
 * stay free of side effects; headers are set here.
 */
export function renderPage(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'views' | 'assets' | 'i18n'>,
  view: string,
  model: object,
  options: RenderOptions,
): Response {
  const nonce = pagePolicy(c)
  return c.html(pageHtml(c, deps, view, model, { ...options, nonce }), options.status ?? 200)
}

/** Sets the page's headers (CSP, `no-store`); returns the nonce its branding style carries. */
export function pagePolicy(c: Context<AppEnv>): string {
  const nonce = brandColorOf(c.get('tenant') as Tenant | undefined) ? styleNonce() : ''
  setPagePolicy(c, nonce || undefined)
  c.header('Cache-Control', 'no-store')
  return nonce
}

/** A page's HTML, the layout around the view, with the given style nonce. */
export function pageHtml(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'views' | 'assets' | 'i18n'>,
  view: string,
  model: object,
  options: RenderOptions & { readonly nonce: string },
): string {
  const page = pageShell({
    tenant: c.get('tenant') as Tenant | undefined,
    tr: options.tr ?? translatorOf(c, deps),
    title: options.title,
    assets: deps.assets,
    nonce: options.nonce,
  })
  return deps.views.render(view, { ...model, page })
}
