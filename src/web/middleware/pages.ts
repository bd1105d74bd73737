import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.js'
import type { WebDeps } from '../deps.js'
import { checkSameOrigin } from './same-origin.js'
import { resolveTenant } from './tenant.js'

const HTML = 'text/html; charset=UTF-8'

/**
 * What every page request goes through: its tenant, and the same-origin check on a form post.
 * The page's language is negotiated when it is first needed (`useLocale`, `translatorOf`), once.
 *
 * A `HEAD` is answered here, and no page handler runs for it: hono answers a `HEAD` with the
 * route's GET handler, and a page's GET may bind a consent request to the browser, record what it
 * showed or set a cookie (DESIGN §3.2). A `HEAD` is what a mail or chat link scanner sends before
 * the user clicks; it must leave the link as it found it.
 */
export function pages(deps: Pick<WebDeps, 'tenantForHost' | 'config'>): MiddlewareHandler<AppEnv> {
  const publicUrl = deps.config.publicUrl
  return async function pagesMiddleware(c, next) {
    await resolveTenant(c, deps)
    if (c.req.method === 'HEAD')
      return c.body(null, 200, { 'Content-Type': HTML, 'Cache-Control': 'no-store' })
    checkSameOrigin(c, publicUrl)
    await next()
  }
}
