import type { Kysely } from 'kysely'
import { randomToken } from '../../ids.js'
import type { Store } from '../port.js'
import type { Database } from '../schema.js'
import {
  createAdminSession,
  deleteAdminSession,
  findAdminSession,
  purgeExpiredAdminSessions,
} from './admin-sessions.js'
import { listAudit, recordAudit } from './audit-log.js'
import { createClient, deleteClient, findClient, listClients, updateClient } from './clients.js'
import {
  answerConsentRequest,
  bindConsentRequest,
  findConsentRequest,
  insertConsentRequest,
  purgeConsentRequests,
  showConsentRequest,
  verifyConsentRequest,
} from './consent-requests.js'
import { isPostgres, type StoreContext } from './context.js'
import { eraseUser } from './erasure.js'
import { deleteGrants, findGrant, importGrant, listGrants, mergeGrant } from './grants.js'
import { getMeta, getOrCreateKey, migrateToLatest, ping, setMeta } from './meta.js'
import {
  createPortalSession,
  deletePortalSession,
  findPortalLink,
  findPortalSession,
  usePortalLink,
} from './portal.js'
import {
  addPermissions,
  assignRoles,
  createRole,
  deleteRole,
  findRole,
  listPermissions,
  listRoles,
  listRoleUsers,
  listUserRoles,
  type PermissionOwner,
  permissionNamesFor,
  removePermissions,
  unassignRoles,
  updateRole,
  userPermissions,
} from './rbac.js'
import { addReceiptKey, findReceipt, listReceiptKeys, listReceipts } from './receipts.js'
import {
  createResourceServer,
  deleteResourceServer,
  findResourceServer,
  listResourceServers,
  updateResourceServer,
} from './resource-servers.js'
import { toGrant } from './rows.js'
import { addStats, statsRange } from './stats.js'
import {
  countTenants,
  createTenant,
  findTenant,
  findTenantByHost,
  onlyTenant,
  updateTenantSettings,
} from './tenants.js'
import { findUser, listUsers, rememberUser } from './users.js'
import {
  claimOutbox,
  createWebhook,
  deleteWebhook,
  findWebhook,
  listDeliveries,
  listWebhooks,
  settleOutbox,
  updateWebhook,
} from './webhooks.js'
import { createWriteBatch } from './write-batch.js'

export interface KyselyStoreOptions {
  /** The clock; tests pass their own. */
  readonly now?: () => Date
  /** Mutual exclusion across instances; without it work runs as it comes (one process). */
  readonly exclusive?: <T>(name: string, work: () => Promise<T>) => Promise<T>
  /**
   * Commit consent requests and answers that arrive together in one transaction: one durable
   * commit (one fsync on SQLite) for the batch, each acknowledged only once it is committed.
   */
  readonly groupCommit?: boolean
  /** Take row locks with `SELECT … FOR UPDATE` (PostgreSQL); SQLite serializes writers instead. */
  readonly lockRows?: boolean
}

const role = (tenantId: string, id: string): PermissionOwner => ({ kind: 'role', tenantId, id })
const user = (tenantId: string, id: string): PermissionOwner => ({ kind: 'user', tenantId, id })

/** The store over Kysely: the same queries for SQLite and PostgreSQL, one file per aggregate. */
export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions = {}): Store {
  const ctx: StoreContext = {
    db,
    now: options.now ?? (() => new Date()),
    lockRows: options.lockRows ?? false,
  }
  const exclusive = options.exclusive ?? (<T>(_name: string, work: () => Promise<T>) => work())
  // The request path's writes (a consent request created, answered) go through the batch.
  const grouped = options.groupCommit ?? false
  const batch = createWriteBatch(db, grouped)
  const postgres = isPostgres(db)

  return {
    exclusive,
    migrate: () => exclusive('migrate', () => migrateToLatest(db)),
    close: () => db.destroy(),
    ping: () => ping(db),
    // Nothing is cached here: what another instance wrote is already visible.
    sync: async () => {},
    // Nothing is kept here: every answer is current, so nothing may be reused.
    configEpoch: () => randomToken(9),

    meta: {
      get: (key) => getMeta(db, key),
      set: (key, value) => setMeta(db, key, value),
    },

    keys: {
      getOrCreate: (id, create) => getOrCreateKey(db, ctx.now(), id, create),
    },

    adminSessions: {
      create: (session, at) => createAdminSession(db, session, at),
      get: (id, at) => findAdminSession(db, id, at),
      delete: (id) => deleteAdminSession(db, id),
      purgeExpired: (at) => purgeExpiredAdminSessions(db, at),
    },

    auditLog: {
      record: (entry) => recordAudit(db, entry),
      list: (tenantId, page) => listAudit(db, tenantId, page),
    },

    tenants: {
      count: () => countTenants(db),
      only: () => onlyTenant(db),
      create: (tenant) => createTenant(ctx, tenant),
      get: (id) => findTenant(db, id),
      forHost: (host) => findTenantByHost(db, host),
      updateSettings: (id, settings) => updateTenantSettings(ctx, id, settings),
    },

    resourceServers: {
      create: (tenantId, server) => createResourceServer(ctx, tenantId, server),
      find: (tenantId, idOrIdentifier) => findResourceServer(db, tenantId, idOrIdentifier),
      list: (tenantId, page) => listResourceServers(db, tenantId, page),
      update: (tenantId, id, changes) => updateResourceServer(ctx, tenantId, id, changes),
      delete: (tenantId, id) => deleteResourceServer(db, tenantId, id),
    },

    clients: {
      create: (tenantId, client) => createClient(ctx, tenantId, client),
      get: (tenantId, clientId) => findClient(db, tenantId, clientId),
      list: (tenantId, page, filter) => listClients(db, tenantId, page, filter),
      update: (tenantId, clientId, changes) => updateClient(ctx, tenantId, clientId, changes),
      delete: (tenantId, clientId) => deleteClient(db, tenantId, clientId),
    },

    roles: {
      create: (tenantId, newRole) => createRole(ctx, tenantId, newRole),
      get: (tenantId, id) => findRole(db, tenantId, id),
      list: (tenantId, page, nameFilter) => listRoles(db, tenantId, page, nameFilter),
      update: (tenantId, id, changes) => updateRole(db, tenantId, id, changes),
      delete: (tenantId, id) => deleteRole(db, tenantId, id),
      permissions: (tenantId, id, page) => listPermissions(db, role(tenantId, id), page),
      addPermissions: (tenantId, id, refs) => addPermissions(db, role(tenantId, id), refs),
      removePermissions: (tenantId, id, refs) => removePermissions(db, role(tenantId, id), refs),
      users: (tenantId, id, page) => listRoleUsers(db, tenantId, id, page),
      addUsers: (tenantId, id, userIds) =>
        assignRoles(
          db,
          tenantId,
          userIds.map((userId) => ({ userId, roleId: id })),
        ),
    },

    users: {
      remember: (tenantId, seen) => rememberUser(db, ctx.now(), tenantId, seen),
      get: (tenantId, userId) => findUser(db, tenantId, userId),
      list: (tenantId, page, search) => listUsers(db, tenantId, page, search),
      erase: (tenantId, userId) => eraseUser(db, tenantId, userId),
    },

    permissions: {
      grantToUser: (tenantId, userId, audience, names) =>
        addPermissions(
          db,
          user(tenantId, userId),
          names.map((permissionName) => ({ resourceServerIdentifier: audience, permissionName })),
        ),
      removeFromUser: (tenantId, userId, refs) =>
        removePermissions(db, user(tenantId, userId), refs),
      namesFor: (tenantId, userId, audience) => permissionNamesFor(db, tenantId, userId, audience),
      ofUser: (tenantId, userId, page) => userPermissions(db, tenantId, userId, page),
    },

    userRoles: {
      list: (tenantId, userId, page) => listUserRoles(db, tenantId, userId, page),
      add: (tenantId, userId, roleIds) =>
        assignRoles(
          db,
          tenantId,
          roleIds.map((roleId) => ({ userId, roleId })),
        ),
      remove: (tenantId, userId, roleIds) => unassignRoles(db, tenantId, userId, roleIds),
    },

    grants: {
      find: (tenantId, userId, clientId, audience) =>
        findGrant(db, { tenantId, userId, clientId, audience }),
      list: (tenantId, filter, page) => listGrants(db, tenantId, filter, page),
      merge: async (tenantId, userId, clientId, audience, scopes) =>
        toGrant(
          await db
            .transaction()
            .execute((trx) =>
              mergeGrant(trx, ctx.now(), { tenantId, userId, clientId, audience }, scopes),
            ),
        ),
      import: (tenantId, key, scopes, versions, effects) =>
        importGrant(db, ctx.now(), { tenantId, ...key }, scopes, versions, effects),
      delete: async (tenantId, id, effects) =>
        (await deleteGrants(db, tenantId, { id }, ctx.now(), effects)) > 0,
      deleteForUser: (tenantId, userId, effects) =>
        deleteGrants(db, tenantId, { userId }, ctx.now(), effects),
      revoke: (tenantId, userId, clientId, effects) =>
        deleteGrants(db, tenantId, { userId, clientId }, ctx.now(), effects),
    },

    receipts: {
      get: (tenantId, id) => findReceipt(db, tenantId, id),
      list: (tenantId, filter, page) => listReceipts(db, tenantId, filter, page),
    },

    receiptKeys: {
      list: (tenantId) => listReceiptKeys(db, tenantId),
      add: (tenantId, key) => addReceiptKey(db, tenantId, key),
    },

    webhooks: {
      create: (tenantId, hook, max) => createWebhook(db, ctx.lockRows, tenantId, hook, max),
      list: (tenantId) => listWebhooks(db, tenantId),
      get: (tenantId, id) => findWebhook(db, tenantId, id),
      update: (tenantId, id, changes) => updateWebhook(db, tenantId, id, changes),
      delete: (tenantId, id) => deleteWebhook(db, tenantId, id),
      deliveries: (tenantId, id, page) => listDeliveries(db, tenantId, id, page),
      claim: (at, limit, leaseMs, perEndpoint) =>
        claimOutbox(db, ctx.lockRows, at, limit, leaseMs, perEndpoint),
      settle: (item, outcome, at, options) =>
        settleOutbox(db, item, outcome, at, options?.disableAfterMs),
    },

    stats: {
      // With group commit, counts go into the commit other writes share, summed with theirs into
      // one upsert; alone, each would be a durable commit of its own.
      add: (tenantId, counts, at) =>
        grouped
          ? batch((_trx, log) => log.add(tenantId, { stats: counts }, at))
          : addStats(db, tenantId, counts, at),
      range: (tenantId, fromDay, toDay) => statsRange(db, tenantId, fromDay, toDay),
    },

    portalSessions: {
      create: (session) => createPortalSession(db, session),
      use: (tenantId, id, at, open) => usePortalLink(db, tenantId, id, at, open),
      link: (id, at) => findPortalLink(db, id, at),
      get: (id, at) => findPortalSession(db, id, at),
      delete: (id) => deletePortalSession(db, id),
    },

    consentRequests: {
      create: (request, seen) => batch((trx) => insertConsentRequest(trx, request, seen)),
      get: (tenantId, id) => findConsentRequest(db, tenantId, id),
      answer: (tenantId, id, answer, asRead) =>
        postgres
          ? answerConsentRequest(db, tenantId, id, answer, asRead)
          : batch((trx) => answerConsentRequest(trx, tenantId, id, answer, asRead)),
      // A first view is written with its count in a shared commit when there is one (SQLite); on
      // its own (PostgreSQL), as one statement. A new rendition is one statement either way.
      bind: (tenantId, id, bindingHash, shown) =>
        postgres
          ? bindConsentRequest(db, tenantId, id, bindingHash, shown)
          : batch((trx, log) => bindConsentRequest(trx, tenantId, id, bindingHash, shown, log)),
      show: (tenantId, id, shown) =>
        grouped
          ? batch((trx) => showConsentRequest(trx, tenantId, id, shown))
          : showConsentRequest(db, tenantId, id, shown),
      verify: (tenantId, id, at, scopes, versions, effects) =>
        batch((trx, log) =>
          verifyConsentRequest(trx, log, tenantId, id, at, scopes, versions, effects),
        ),
      purge: (before) => purgeConsentRequests(db, before),
    },
  }
}
