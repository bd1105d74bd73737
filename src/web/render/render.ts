import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Tenant } from '../../entities.js'
import type { Translator } from '../../i18n/i18n.js'
import type { RichText } from '../../i18n/rich-text.js'
import type { AppEnv } from '../context.js'
import type { WebDeps } from '../deps.js'
import { contentSecurityPolicy, styleNonce } from '../middleware/security-headers.js'
import { translatorOf } from './locale.js'
import { brandColorOf, pageShell } from './shell.js'

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
  deps: Pick<WebDeps, 'views' | 'assets' | 'i18n'>,
  view: string,
  model: object,
  options: RenderOptions,
): Response {
  const policy = pagePolicy(c.get('tenant') as Tenant | undefined)
  for (const [name, value] of Object.entries(policy.headers)) c.header(name, value)
  const html = pageHtml(c, deps, view, model, { ...options, nonce: policy.nonce })
  return c.html(html, options.status ?? 200)
}

/** A page's own headers, and the nonce its branding style carries (empty when it has none). */
export interface PagePolicy {
  readonly nonce: string
  readonly headers: {
    readonly 'content-security-policy': string
    readonly 'cache-control': string
  }
}

/**
 * A page's Content-Security-Policy (its branding style's nonce, and the origins its form may
 * lead to: `form-action`, DESIGN §6) and `no-store`.
 */
export function pagePolicy(
  tenant: Tenant | undefined,
  formActions: readonly string[] = [],
): PagePolicy {
  const nonce = brandColorOf(tenant) ? styleNonce() : ''
  return {
    nonce,
    headers: {
      'content-security-policy': contentSecurityPolicy({ nonce: nonce || undefined, formActions }),
      'cache-control': 'no-store',
    },
  }
}

/** A page's HTML, the layout around the view, with the given style nonce. */
export function pageHtml(
  c: Context<AppEnv>,
  deps: Pick<WebDeps, 'views' | 'assets' | 'i18n'>,
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
