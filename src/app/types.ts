import type { Config } from '../config/env.js'
import type { I18n } from '../i18n/i18n.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import type { ResourceServers } from '../services/admin/apis.js'
import type { Audit } from '../services/admin/audit.js'
import type { Clients } from '../services/admin/clients.js'
import type { Roles } from '../services/admin/roles.js'
import type { Settings } from '../services/admin/settings.js'
import type { Users } from '../services/admin/users.js'
import type { ConsentFlow } from '../services/consent/flow.js'
import type { GrantImport } from '../services/consent/grant-import.js'
import type { ReceiptService } from '../services/consent/receipts.js'
import type { PortalService } from '../services/portal.js'
import type { Store } from '../store/port.js'
import type { Csrf } from '../web/edge/csrf.js'
import type { RateLimiter } from '../web/middleware/rate-limit.js'
import type { Assets } from '../web/render/assets.js'
import type { Views } from '../web/render/views.js'

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
  /** Signs consent receipts and publishes their keys (DESIGN §3.6). */
  readonly receipts: ReceiptService
  /** The browser consent flow (open, prompt, answer, decision), built once. */
  readonly consentFlow: ConsentFlow
  /** Consents given elsewhere, imported as grants (DESIGN §4.2.1). */
  readonly grantImport: GrantImport
  /** Connected apps: portal links and sessions, and what the user takes back (DESIGN §3.7). */
  readonly portal: PortalService
  /** APIs and their permissions, for the Management API and the console alike. */
  /** The audit trail of configuration changes. */
  readonly audit: Audit
  readonly resourceServers: ResourceServers
  readonly roles: Roles
  readonly users: Users
  readonly clients: Clients
  readonly settings: Settings
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
