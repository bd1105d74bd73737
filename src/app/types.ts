import type { Assets } from '../assets.js'
import type { Config } from '../config.js'
import type { AdminSession, Tenant } from '../entities.js'
import type { Csrf } from '../http/csrf.js'
import type { I18n, Translator } from '../i18n/i18n.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import type { RateLimiter } from '../middleware/rate-limit.js'
import type { ConsentFlow } from '../services/consent-flow.js'
import type { Store } from '../store/port.js'
import type { Views } from '../views.js'

/** What `createApp` is given: every dependency, no singletons (STYLE "No I/O singletons"). */
export interface AppDeps {
  readonly config: Config
  readonly store: Store
  readonly i18n: I18n
  readonly views: Views
  readonly assets: Assets
  readonly log: Logger
  readonly now: () => Date
  /** The static admin token (configured, or generated at first start). */
  readonly adminToken: string
  readonly metrics: Metrics
  /** The browser consent flow (open, prompt, answer, decision), built once. */
  readonly consentFlow: ConsentFlow
  /** Form tokens for every page form. */
  readonly csrf: Csrf
  readonly limits: {
    readonly answersPerAddress: RateLimiter
    readonly createsPerClient: RateLimiter
    readonly createsPerAddress: RateLimiter
    readonly adminLoginPerAddress: RateLimiter
    readonly demoPerAddress: RateLimiter
  }
}

export interface AppEnv {
  Variables: {
    requestId: string
    /** The client's address, through trusted proxies (DESIGN §6). */
    clientAddress: string
    tenant: Tenant
    /** The locale a page was negotiated in, so an error page thrown later speaks it too. */
    locale: string | undefined
    /** The page's translator, in that locale. */
    tr: Translator
    /** Origins the page's form may lead to (CSP `form-action`). */
    formActions: string[]
    /** Scopes of the Management API caller; `all` for the static admin token. */
    scopes: ReadonlySet<string> | 'all'
    /** The signed-in admin, on `/admin/*` pages. */
    admin: AdminSession
    /** The raw value of the admin session cookie (the store keeps only its hash). */
    adminCookie: string
  }
}
