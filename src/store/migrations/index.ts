import type { Migration } from 'kysely'
import * as initial from './2026-11-24-0001-initial.js'
import * as adminSessions from './2026-11-24-0002-admin-sessions.js'
import * as clientsPerTenant from './2026-11-27-0001-clients-per-tenant.js'
import * as verifiedAnswers from './2026-11-27-0002-verified-answers.js'
import * as userControl from './2026-11-27-0003-user-control.js'
import * as receiptsWebhooks from './2026-11-27-0004-receipts-webhooks.js'
import * as resourceLabels from './2026-11-27-0005-resource-labels.js'
import * as auditLog from './2026-11-27-0010-audit-log.js'
import * as consentStats from './2026-11-27-0011-consent-stats.js'
import * as rateLimits from './2026-11-27-0012-rate-limits.js'
import * as webhookStatus from './2026-11-28-0001-webhook-status.js'
import * as portalUsedLinks from './2026-11-28-0002-portal-used-links.js'
import * as auditUserIds from './2026-12-07-0001-audit-user-ids.js'
import * as renditions from './2026-12-07-0002-renditions.js'
import * as authorizationDetails from './2026-12-08-0001-authorization-details.js'
import * as auth0Fields from './2026-12-08-0002-auth0-fields.js'
import * as deviceSignIn from './2026-12-09-0001-device-sign-in.js'
import * as clientLinks from './2026-12-09-0002-client-links.js'
import * as requestDetails from './2026-12-10-0001-request-details.js'
import * as auth0ClientsRoles from './2026-12-10-0002-auth0-clients-roles.js'
import * as durationChoices from './2026-12-10-0003-duration-choices.js'
import * as requestNotices from './2026-12-11-0001-request-notices.js'

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '2026-11-24-0001-initial': initial,
  '2026-11-24-0002-admin-sessions': adminSessions,
  '2026-11-27-0001-clients-per-tenant': clientsPerTenant,
  '2026-11-27-0002-verified-answers': verifiedAnswers,
  '2026-11-27-0003-user-control': userControl,
  '2026-11-27-0004-receipts-webhooks': receiptsWebhooks,
  '2026-11-27-0005-resource-labels': resourceLabels,
  '2026-11-27-0010-audit-log': auditLog,
  '2026-11-27-0011-consent-stats': consentStats,
  '2026-11-27-0012-rate-limits': rateLimits,
  '2026-11-28-0001-webhook-status': webhookStatus,
  '2026-11-28-0002-portal-used-links': portalUsedLinks,
  '2026-12-07-0001-audit-user-ids': auditUserIds,
  '2026-12-07-0002-renditions': renditions,
  '2026-12-08-0001-authorization-details': authorizationDetails,
  '2026-12-08-0002-auth0-fields': auth0Fields,
  '2026-12-09-0001-device-sign-in': deviceSignIn,
  '2026-12-09-0002-client-links': clientLinks,
  '2026-12-10-0001-request-details': requestDetails,
  '2026-12-10-0002-auth0-clients-roles': auth0ClientsRoles,
  '2026-12-10-0003-duration-choices': durationChoices,
  '2026-12-11-0001-request-notices': requestNotices,
}
