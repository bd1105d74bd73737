import type { LRUCache } from 'lru-cache'
import type { Client, ConsentRequest, Grant, ResourceServer, Tenant } from '../entities.js'
import type { AnswerOutcome, SideEffects, Store, VerifyOutcome } from './port.js'

/** The key of something that belongs to one tenant. */
export const scoped = (tenantId: string, id: string) => `${tenantId}\u0000${id}`

/** What the caching store holds, and the steps its methods are made of (cached-store.ts). */
export interface CacheContext {
  readonly inner: Store
  readonly tenantsByHost: LRUCache<string, Tenant>
  readonly tenantsById: LRUCache<string, Tenant>
  readonly servers: LRUCache<string, ResourceServer>
  readonly clients: LRUCache<string, Client>
  /** The value under `key`, read through `load` when not kept; a miss or a failure is not kept. */
  cached<V extends object>(
    cache: LRUCache<string, V>,
    key: string,
    load: () => Promise<V | undefined>,
  ): Promise<V | undefined>
  /** The tenant when there is exactly one, kept in a single slot. */
  only(): Promise<Tenant | undefined>
  /** A consent request, kept from its first read; `latest` reads past a copy that may lag. */
  request(
    tenantId: string,
    id: string,
    read?: { readonly latest?: boolean },
  ): Promise<ConsentRequest | undefined>
  /** The kept copy of a request as it stands, if kept and no write to it is under way. */
  standing(tenantId: string, id: string): ConsentRequest | undefined
  /** Runs a write to one request; keeps the request as `result` says it left it, or forgets it. */
  writeRequest<T>(
    tenantId: string,
    id: string,
    work: () => Promise<T>,
    result: (outcome: T) => ConsentRequest | undefined,
  ): Promise<T>
  /** What a change carries, with the endpoints its events go to when it has events. */
  withEndpoints(
    tenantId: string,
    effects: SideEffects | undefined,
  ): Promise<SideEffects | undefined>
  /** The same for the effects of removing grants, known once the store has removed them. */
  withEndpointsFor(
    tenantId: string,
    effects: (grants: readonly Grant[]) => SideEffects,
  ): Promise<(grants: readonly Grant[]) => SideEffects>
  configEpoch(): string
  sync(): Promise<void>
}

/** How the caching store answers one method of the port. */
export type Rule<F> =
  /** Passed through: nothing kept here depends on what it reads. */
  | 'read'
  /**
   * Passed through: it writes only what nothing here keeps (grants, users, roles, sessions, the
   * outbox…). A method that changes tenants, APIs, clients or webhook endpoints is a `write`.
   */
  | 'data'
  /**
   * A configuration write: every configuration cache is forgotten, the epoch moves and, when
   * instances share the database, the version row changes so the others forget on their `sync`.
   */
  | 'write'
  /** Passed through, then every kept consent request is forgotten: it removed some wholesale. */
  | 'data, drops requests'
  /** Both of the above: a configuration write that also removes requests. */
  | 'write, drops requests'
  /** A read served from what is kept. */
  | { readonly read: (cache: CacheContext) => F }
  /** A write with its own rule: the request it leaves is kept, or the endpoints are attached. */
  | { readonly write: (cache: CacheContext) => F }

type Method = (...args: never[]) => unknown

/** Every method of the port, top level and per aggregate, must be here: nothing goes unsorted. */
export type Rules = {
  readonly [K in keyof Store]: Store[K] extends Method
    ? Rule<Store[K]>
    : { readonly [M in keyof Store[K]]: Rule<Store[K][M]> }
}

const answered = (outcome: AnswerOutcome) =>
  outcome.outcome === 'answered' ? outcome.request : undefined
// A request verified here is forgotten: only an AS's retry reads it again.
const verified = (outcome: VerifyOutcome) =>
  outcome.outcome === 'unchanged' ? outcome.request : undefined
const asLeft = (request: ConsentRequest | undefined) => request

export const RULES = {
  migrate: 'data',
  // The work's own calls go through the caching store and are sorted there.
  exclusive: 'data',
  close: 'data',
  ping: 'read',
  sync: { read: (c) => c.sync },
  configEpoch: { read: (c) => c.configEpoch },

  meta: { get: 'read', set: 'data' },
  keys: { getOrCreate: 'data' },
  adminSessions: { create: 'data', get: 'read', delete: 'data', purgeExpired: 'data' },
  auditLog: { record: 'data', list: 'read' },

  tenants: {
    count: 'read',
    create: 'write',
    get: { read: (c) => (id) => c.cached(c.tenantsById, id, () => c.inner.tenants.get(id)) },
    forHost: {
      read: (c) => (host) => c.cached(c.tenantsByHost, host, () => c.inner.tenants.forHost(host)),
    },
    only: { read: (c) => c.only },
    updateSettings: 'write',
  },

  resourceServers: {
    create: 'write',
    find: {
      read: (c) => (tenantId, key) =>
        c.cached(c.servers, scoped(tenantId, key), () =>
          c.inner.resourceServers.find(tenantId, key),
        ),
    },
    list: 'read',
    update: 'write',
    delete: 'write',
  },

  clients: {
    create: 'write',
    get: {
      read: (c) => (tenantId, clientId) =>
        c.cached(c.clients, scoped(tenantId, clientId), () =>
          c.inner.clients.get(tenantId, clientId),
        ),
    },
    list: 'read',
    update: 'write',
    // The client's requests go with it.
    delete: 'write, drops requests',
  },

  roles: {
    create: 'data',
    get: 'read',
    list: 'read',
    update: 'data',
    delete: 'data',
    permissions: 'read',
    addPermissions: 'data',
    removePermissions: 'data',
    users: 'read',
    addUsers: 'data',
  },

  // The user's requests go with the rest of their data.
  users: { remember: 'data', get: 'read', list: 'read', erase: 'data, drops requests' },
  permissions: { grantToUser: 'data', removeFromUser: 'data', namesFor: 'read', ofUser: 'read' },
  userRoles: { list: 'read', add: 'data', remove: 'data' },

  grants: {
    find: 'read',
    list: 'read',
    merge: 'data',
    import: 'data',
    delete: {
      write: (c) => async (tenantId, id, effects) =>
        c.inner.grants.delete(
          tenantId,
          id,
          effects && (await c.withEndpointsFor(tenantId, effects)),
        ),
    },
    deleteForUser: {
      write: (c) => async (tenantId, userId, effects) =>
        c.inner.grants.deleteForUser(
          tenantId,
          userId,
          effects && (await c.withEndpointsFor(tenantId, effects)),
        ),
    },
    revoke: {
      write: (c) => async (tenantId, userId, clientId, effects) =>
        c.inner.grants.revoke(
          tenantId,
          userId,
          clientId,
          await c.withEndpointsFor(tenantId, effects),
        ),
    },
  },

  receipts: { get: 'read', list: 'read' },
  receiptKeys: { list: 'read', add: 'data' },

  webhooks: {
    create: 'write',
    list: 'read',
    get: 'read',
    update: 'write',
    delete: 'write',
    deliveries: 'read',
    claim: 'data',
    // Disabling an endpoint changes its status only; the kept endpoints carry ids and events.
    settle: 'data',
  },

  stats: { add: 'data', range: 'read' },
  portalSessions: { create: 'data', use: 'data', link: 'read', get: 'read', delete: 'data' },

  consentRequests: {
    // Not kept when created: requests no browser opens (abandoned sign-ins) take no room.
    create: 'data',
    get: { read: (c) => c.request },
    answer: {
      // Given the request as it stands, the store need not read back what the answer wrote.
      write: (c) => (tenantId, id, answer, asRead) => {
        const known = asRead ?? c.standing(tenantId, id)
        return c.writeRequest(
          tenantId,
          id,
          () => c.inner.consentRequests.answer(tenantId, id, answer, known),
          answered,
        )
      },
    },
    bind: {
      write: (c) => (tenantId, id, bindingHash, shown) =>
        c.writeRequest(
          tenantId,
          id,
          () => c.inner.consentRequests.bind(tenantId, id, bindingHash, shown),
          asLeft,
        ),
    },
    show: {
      write: (c) => (tenantId, id, shown) =>
        c.writeRequest(
          tenantId,
          id,
          () => c.inner.consentRequests.show(tenantId, id, shown),
          asLeft,
        ),
    },
    verify: {
      write: (c) => async (tenantId, id, at, scopes, versions, effects) => {
        const carried = await c.withEndpoints(tenantId, effects)
        return c.writeRequest(
          tenantId,
          id,
          () => c.inner.consentRequests.verify(tenantId, id, at, scopes, versions, carried),
          verified,
        )
      },
    },
    purge: 'data, drops requests',
  },
} satisfies Rules

type Table = typeof RULES

/** `method` or `aggregate.method` of every entry of the table whose rule is one of `R`. */
export type SortedAs<R> = {
  [K in keyof Table]: Store[K] extends Method
    ? Table[K] extends R
      ? K
      : never
    : {
        [M in keyof Table[K]]: Table[K][M] extends R ? `${K}.${M & string}` : never
      }[keyof Table[K]]
}[keyof Table]
