import type { Insights } from '../read-models.js'
import type { ResourceServers } from '../services/admin/apis.js'
import type { Audit } from '../services/admin/audit.js'
import type { Clients } from '../services/admin/clients.js'
import type { Grants } from '../services/admin/grants.js'
import type { Preview } from '../services/admin/preview.js'
import type { ReceiptLog } from '../services/admin/receipts.js'
import type { Roles } from '../services/admin/roles.js'
import type { AdminSessions } from '../services/admin/sessions.js'
import type { Settings } from '../services/admin/settings.js'
import type { Users } from '../services/admin/users.js'
import type { ConsentFlow } from '../services/consent/flow.js'
import type { GrantImport } from '../services/consent/grant-import.js'
import type { ReceiptService } from '../services/consent/receipts.js'
import type { PortalService } from '../services/portal.js'
import type { WebhookAdmin } from '../services/webhooks/webhooks.js'
import type { WebDeps } from '../web/deps.js'

/**
 * What the routes are given (STYLE "No I/O singletons"): the web layer's parts and the services,
 * every one built once by app/deps. Never the store: a route calls a service (DESIGN §9).
 */
export interface AppDeps extends WebDeps {
  /** The static admin token (configured, or generated at first start). */
  readonly adminToken: string
  /** Whether the service can answer: its store does (readiness, DESIGN §8). */
  readonly ready: () => Promise<boolean>
  /** Signs consent receipts and publishes their keys (DESIGN §3.6). */
  readonly receipts: ReceiptService
  /** Lists and reads the receipts kept (DESIGN §3.6). */
  readonly receiptLog: ReceiptLog
  /** The browser consent flow (open, prompt, answer, decision), built once. */
  readonly consentFlow: ConsentFlow
  /** Consents given elsewhere, imported as grants (DESIGN §4.2.1). */
  readonly grantImport: GrantImport
  /** Connected apps: portal links and sessions, and what the user takes back (DESIGN §3.7). */
  readonly portal: PortalService
  /** The audit trail of configuration changes. */
  readonly audit: Audit
  /** APIs and their permissions, for the Management API and the console alike. */
  readonly resourceServers: ResourceServers
  readonly roles: Roles
  readonly users: Users
  readonly clients: Clients
  readonly grants: Grants
  readonly settings: Settings
  readonly webhooks: WebhookAdmin
  /** Console sign-in sessions (DESIGN §5). */
  readonly adminSessions: AdminSessions
  /** The console's prompt preview (DESIGN §5). */
  readonly preview: Preview
  /** The last 30 days of how prompts were answered, as of `now`. */
  readonly insights: (tenantId: string, now: Date) => Promise<Insights>
}
