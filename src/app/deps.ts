import type pg from 'pg'
import type { Config } from '../config/env.js'
import type { PromptLine } from '../consent/index.js'
import type { I18n } from '../i18n/i18n.js'
import { linesText } from '../i18n/lines.js'
import type { Logger } from '../logger.js'
import { createMetrics } from '../metrics.js'
import { createResourceServers } from '../services/admin/apis.js'
import { createAudit } from '../services/admin/audit.js'
import { createClients } from '../services/admin/clients.js'
import { createRoles } from '../services/admin/roles.js'
import { createSettings } from '../services/admin/settings.js'
import { createUsers } from '../services/admin/users.js'
import { createConsentFlow } from '../services/consent/flow.js'
import { createGrantImport } from '../services/consent/grant-import.js'
import { createReceiptService } from '../services/consent/receipts.js'
import { createPortalService } from '../services/portal.js'
import type { Store } from '../store/port.js'
import { createCsrf } from '../web/edge/csrf.js'
import { createRateLimiter } from '../web/middleware/rate-limit.js'
import type { Assets } from '../web/render/assets.js'
import type { Views } from '../web/render/views.js'
import type { AppDeps } from './types.js'

/** The dependencies of `createApp`, every part built once, from the configuration and the store. */
export function appDeps(parts: {
  config: Config
  store: Store
  i18n: I18n
  views: Views
  assets: Assets
  log: Logger
  now: () => Date
  adminToken: string
  /** With PostgreSQL: where rate-limit counters are shared by the instances. */
  sharedCounters?: pg.Pool | undefined
}): AppDeps {
  const { answersPerAddress, createsPerClient, adminLoginPerAddress, demoPerAddress } =
    parts.config.rateLimits
  const limiter = (name: string, perMinute: number) =>
    createRateLimiter({ name, perMinute, pool: parts.sharedCounters })
  const metrics = createMetrics()
  const audit = createAudit(parts.store, parts.now)
  const receipts = createReceiptService(parts.store)
  // The words a user read, without the invisible isolates around others' words.
  const lineText = (lines: readonly PromptLine[], locale: string) =>
    linesText(lines, parts.i18n.translator(locale)).map((line) =>
      line.map((segment) => segment.text).join(''),
    )
  return {
    ...parts,
    metrics,
    receipts,
    consentFlow: createConsentFlow({
      store: parts.store,
      now: parts.now,
      ttlSeconds: parts.config.requestTtlSeconds,
      defaultReturnUrls: parts.config.allowedReturnUrls,
      publicUrl: parts.config.publicUrl,
      metrics,
      receipts,
      lineText,
    }),
    grantImport: createGrantImport({ store: parts.store, receipts, now: parts.now }),
    portal: createPortalService({
      store: parts.store,
      now: parts.now,
      publicUrl: parts.config.publicUrl,
      receipts,
      defaultReturnUrls: parts.config.allowedReturnUrls,
      lineText,
    }),
    audit,
    resourceServers: createResourceServers(parts.store, audit),
    roles: createRoles(parts.store, audit),
    users: createUsers(parts.store, audit),
    clients: createClients(parts.store, audit),
    settings: createSettings(parts.store, parts.i18n.locales, audit),
    csrf: createCsrf(parts.store, { secure: parts.config.publicUrl.protocol === 'https:' }),
    limits: {
      answersPerAddress: limiter('answers', answersPerAddress),
      createsPerClient: limiter('creates_client', createsPerClient),
      createsPerAddress: limiter('creates_address', createsPerClient * 5),
      adminLoginPerAddress: limiter('admin_login', adminLoginPerAddress),
      demoPerAddress: limiter('demo', demoPerAddress),
    },
  }
}
