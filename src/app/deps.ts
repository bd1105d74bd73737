import type pg from 'pg'
import type { Config } from '../config/env.js'
import { paths } from '../config/paths.js'
import type { PromptLine } from '../consent/index.js'
import { detailViews, wordsOf } from '../i18n/details.js'
import { createI18n, type I18n, loadLocaleResources } from '../i18n/i18n.js'
import { linesClaims, linesText } from '../i18n/lines.js'
import type { Logger } from '../logger.js'
import { createMetrics } from '../metrics.js'
import type { AppDeps } from '../routes/deps.js'
import { createResourceServers } from '../services/admin/apis.js'
import { createAudit } from '../services/admin/audit.js'
import { createClients } from '../services/admin/clients.js'
import { createGrants } from '../services/admin/grants.js'
import { insights } from '../services/admin/insights.js'
import { createPreview } from '../services/admin/preview.js'
import { createReceiptLog } from '../services/admin/receipts.js'
import { createRoles } from '../services/admin/roles.js'
import { createAdminSessions } from '../services/admin/sessions.js'
import { createSettings } from '../services/admin/settings.js'
import { requestTenants } from '../services/admin/tenants.js'
import { createUsers } from '../services/admin/users.js'
import { createConsentFlow } from '../services/consent/flow.js'
import { createGrantImport } from '../services/consent/grant-import.js'
import { createReceiptService } from '../services/consent/receipts.js'
import type { DetailTexts } from '../services/consent/renditions.js'
import { createPortalService } from '../services/portal.js'
import { createWebhookAdmin } from '../services/webhooks/webhooks.js'
import type { Store } from '../store/port.js'
import { createRateLimiter } from '../store/rate-limits.js'
import { createCsrf } from '../web/edge/csrf.js'
import { type Assets, loadAssets } from '../web/render/assets.js'
import { createViews, type Views } from '../web/render/views.js'

/**
 * `appDeps` as a running Assent has them: the words, views and assets read from the files it
 * ships with, and the wall clock.
 */
export function shippedAppDeps(
  parts: Omit<Parameters<typeof appDeps>[0], 'i18n' | 'views' | 'assets' | 'now'>,
): AppDeps {
  return appDeps({
    ...parts,
    i18n: createI18n(loadLocaleResources(paths.locales)),
    views: createViews(paths.views),
    assets: loadAssets(paths.assets),
    now: () => new Date(),
  })
}

/**
 * The dependencies of `createApp`, every part built once, from the configuration and the store.
 * The store itself is not among them: the routes and the web layer reach it through these parts.
 */
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
  const claimText = (lines: readonly PromptLine[], locale: string) =>
    linesClaims(lines, parts.i18n.translator(locale))
  const detailTexts: DetailTexts = (entries, types, locale) =>
    detailViews(entries, types, parts.i18n.translator(locale)).map((view) => ({
      index: view.index,
      type: view.type,
      text: wordsOf(view.text),
      fields: view.fields.map((field) => [wordsOf(field.label), wordsOf(field.value)] as const),
    }))
  const { store, sharedCounters: _pool, ...shared } = parts
  return {
    ...shared,
    ready: () => store.ping(),
    tenantForHost: requestTenants(store),
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
      claimText,
      detailTexts,
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
    grants: createGrants(parts.store),
    receiptLog: createReceiptLog(parts.store),
    webhooks: createWebhookAdmin(parts.store, audit, {
      allowHttpLoopback: parts.config.webhookAllowHttpLoopback,
      now: parts.now,
    }),
    adminSessions: createAdminSessions(parts.store, parts.now),
    preview: createPreview(parts.store),
    insights: (tenantId, now) =>
      insights(parts.store, tenantId, now, parts.config.requestTtlSeconds),
    csrf: createCsrf((create) => parts.store.keys.getOrCreate('csrf', create), {
      secure: parts.config.publicUrl.protocol === 'https:',
    }),
    limits: {
      answersPerAddress: limiter('answers', answersPerAddress),
      createsPerClient: limiter('creates_client', createsPerClient),
      createsPerAddress: limiter('creates_address', createsPerClient * 5),
      adminLoginPerAddress: limiter('admin_login', adminLoginPerAddress),
      demoPerAddress: limiter('demo', demoPerAddress),
    },
  }
}
