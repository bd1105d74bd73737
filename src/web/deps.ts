import type { Config } from '../config/env.js'
import type { Tenant } from '../entities.js'
import type { I18n } from '../i18n/i18n.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import type { Csrf } from './edge/csrf.js'
import type { RateLimiter } from './middleware/rate-limit.js'
import type { Assets } from './render/assets.js'
import type { Views } from './render/views.js'

/**
 * What the web layer is given (DESIGN §9): the edge's own parts, and as plain functions the little
 * it needs of the services, so it imports none of them. Not in `context.ts`: the parts named here
 * import that file for the request's variables, and would import themselves through it.
 */
export interface WebDeps {
  readonly config: Config
  readonly i18n: I18n
  readonly views: Views
  readonly assets: Assets
  readonly log: Logger
  readonly now: () => Date
  readonly metrics: Metrics
  /** Form tokens for every page form. */
  readonly csrf: Csrf
  readonly limits: {
    readonly answersPerAddress: RateLimiter
    readonly createsPerClient: RateLimiter
    readonly createsPerAddress: RateLimiter
    readonly adminLoginPerAddress: RateLimiter
    readonly demoPerAddress: RateLimiter
  }
  /**
   * The tenant serving a request's host (DESIGN §2), as every instance sees it now; `host` is
   * read only when it decides.
   */
  readonly tenantForHost: (host: () => string) => Promise<Tenant | undefined>
}
