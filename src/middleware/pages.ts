import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app/env.js'
import type { AppDeps } from '../app/types.js'
import { checkSameOrigin } from './same-origin.js'
import { resolveTenant } from './tenant.js'

/**
 * What every page request goes through: its tenant, and the same-origin check on a form post.
 * The page's language is negotiated when it is first needed (`useLocale`, `translatorOf`), once.
 */
export function pages(deps: Pick<AppDeps, 'store' | 'config'>): MiddlewareHandler<AppEnv> {
  const publicUrl = deps.config.publicUrl
  return async function pagesMiddleware(c, next) {
    await resolveTenant(c, deps)
    checkSameOrigin(c, publicUrl)
    await next()
  }
}
