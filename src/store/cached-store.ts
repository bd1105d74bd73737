import { randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { limits } from '../config/env.js'
import type { Client, ConsentRequest, Grant, ResourceServer, Tenant, Webhook } from '../entities.js'
import { copyWith } from '../objects.js'
import type { AnswerOutcome, SideEffects, Store, VerifyOutcome } from './port.js'

const VERSION_KEY = 'config_version'

/** The key of something that belongs to one tenant. */
const scoped = (tenantId: string, id: string) => `${tenantId}\u0000${id}`

/** What `sync()` answers when there is nothing to check: one settled promise for every request. */
const SYNCED: Promise<void> = Promise.resolve()

/**
 * Keeps what every page reads — tenants, APIs, clients — and the tenants' webhook endpoints in
 * memory, and forgets it on any write to them. With `shared` (several instances on one database)
 * a write also changes a version row, and `sync()`, called once per request, forgets what another
 * instance changed: a write is visible on the very next page any instance renders. Without
 * `shared`, consent requests are kept too from the first read on (a browser opening the page),
 * each as its last write left it (bound, answered), until it is verified, purged or erased, its
 * client is deleted, or newer ones push it out; a request no browser opened is not kept. Every
 * cache is bounded (`limits.cache`), and keeps only what exists: a lookup that finds nothing (an
 * unknown `Host`, a mistyped client id) takes no room.
 */
export function withConfigCache(store: Store, options: { shared: boolean }): Store {
  const bounds = limits.cache
  const tenantsByHost = new LRUCache<string, Tenant>({ max: bounds.tenantHosts })
  const tenantsById = new LRUCache<string, Tenant>({ max: bounds.tenants })
  const servers = new LRUCache<string, ResourceServer>({ max: bounds.resourceServers })
  const clients = new LRUCache<string, Client>({ max: bounds.clients })
  // Per tenant: every verified answer and removed grant fans its events out to them.
  const endpoints = new LRUCache<string, Webhook[]>({ max: bounds.tenants })
  // One answer, whatever the request: a single slot, forgotten with the rest.
  let onlyTenant: Promise<Tenant | undefined> | undefined
  // With one process on the database (SQLite), every write to a consent request goes through
  // here, and returns the request as it left it: that is what is kept, so the answer after the
  // page and the verify after the answer read nothing. Kept from the page's first read, not from
  // its creation: requests no browser opens (abandoned sign-ins) neither push out the ones users
  // are answering nor fill the old generation, which they did at 1.2 KB a create.
  const requests = new LRUCache<string, ConsentRequest>({ max: bounds.consentRequests })
  const keepRequest = (request: ConsentRequest) => {
    if (!options.shared) requests.set(scoped(request.tenantId, request.id), request)
  }
  // Bumped as each write to a request ends, so a read that overlapped one keeps nothing.
  let requestWrites = 0
  // Bumped when requests are removed wholesale (purge, erasure, a client deleted).
  let requestClears = 0
  // Writes under way, per request; one that overlapped another to the same request keeps nothing,
  // as either may have returned the request before the other changed it.
  const writing = new Map<string, { count: number; overlapped: boolean }>()

  /** Runs a write to one request; keeps the request as `result` says it left it, or forgets it. */
  async function writeRequest<T>(
    tenantId: string,
    id: string,
    work: () => Promise<T>,
    result: (outcome: T) => ConsentRequest | undefined,
  ): Promise<T> {
    const key = scoped(tenantId, id)
    const under = writing.get(key) ?? { count: 0, overlapped: false }
    under.count += 1
    if (under.count > 1) under.overlapped = true
    writing.set(key, under)
    const clearsAt = requestClears
    let left: ConsentRequest | undefined
    try {
      const outcome = await work()
      left = result(outcome)
      return outcome
    } finally {
      requestWrites += 1
      under.count -= 1
      if (under.count === 0) writing.delete(key)
      if (left && !under.overlapped && clearsAt === requestClears) keepRequest(left)
      else requests.delete(key)
    }
  }
  const forgetRequests = () => {
    requestClears += 1
    requests.clear()
  }
  const answered = (outcome: AnswerOutcome) =>
    outcome.outcome === 'answered' ? outcome.request : undefined
  // A request verified here is forgotten: only an AS's retry reads it again.
  const verified = (outcome: VerifyOutcome) =>
    outcome.outcome === 'unchanged' ? outcome.request : undefined
  let seenVersion: string | undefined
  // Bumped by every forget, so a read that started before a write does not store what it read.
  let generation = 0

  const forget = () => {
    generation += 1
    tenantsByHost.clear()
    tenantsById.clear()
    servers.clear()
    clients.clear()
    endpoints.clear()
    onlyTenant = undefined
  }

  /** Runs a configuration write, then forgets the cache here and, when shared, everywhere. */
  async function write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } finally {
      forget()
      if (options.shared) {
        seenVersion = randomBytes(9).toString('base64url')
        await store.meta.set(VERSION_KEY, seenVersion)
      }
    }
  }

  /** The value under `key`, read through `load` when not kept; a miss or a failure is not kept. */
  function cached<V extends object>(
    cache: LRUCache<string, V>,
    key: string,
    load: () => Promise<V | undefined>,
  ): Promise<V | undefined> {
    const kept = cache.get(key)
    // Every page asks: a hit is a settled promise, not an async function's machinery.
    if (kept !== undefined) return Promise.resolve(kept)
    const readAt = generation
    return load().then((found) => {
      if (found !== undefined && readAt === generation) cache.set(key, found)
      return found
    })
  }

  function only(): Promise<Tenant | undefined> {
    if (!onlyTenant) {
      const loading = store.tenants.only()
      onlyTenant = loading
      // A failed read is not remembered.
      loading.catch(() => {
        if (onlyTenant === loading) onlyTenant = undefined
      })
    }
    return onlyTenant
  }

  const endpointsOf = (tenantId: string) =>
    cached(endpoints, tenantId, () => store.webhooks.list(tenantId))

  /** What a change carries, with the endpoints its events go to when it has events. */
  async function withEndpoints(
    tenantId: string,
    effects: SideEffects | undefined,
  ): Promise<SideEffects | undefined> {
    if (!effects?.events?.length || effects.endpoints) return effects
    return copyWith(effects, { endpoints: (await endpointsOf(tenantId)) ?? [] })
  }

  /** The same for the effects of removing grants, known once the store has removed them. */
  async function withEndpointsFor(
    tenantId: string,
    effects: (grants: readonly Grant[]) => SideEffects,
  ) {
    const known = (await endpointsOf(tenantId)) ?? []
    return (grants: readonly Grant[]) => copyWith(effects(grants), { endpoints: known })
  }

  return {
    ...store,

    configEpoch: () => `${generation}:${seenVersion ?? ''}`,

    sync() {
      // One process on the database: every write went through here already.
      if (!options.shared) return SYNCED
      return store.meta.get(VERSION_KEY).then((version) => {
        if (version !== seenVersion) {
          forget()
          seenVersion = version
        }
      })
    },

    tenants: {
      ...store.tenants,
      create: (tenant) => write(() => store.tenants.create(tenant)),
      updateSettings: (id, settings) => write(() => store.tenants.updateSettings(id, settings)),
      get: (id) => cached(tenantsById, id, () => store.tenants.get(id)),
      forHost: (host) => cached(tenantsByHost, host, () => store.tenants.forHost(host)),
      only,
    },

    resourceServers: {
      ...store.resourceServers,
      create: (tenantId, server) => write(() => store.resourceServers.create(tenantId, server)),
      update: (tenantId, id, changes) =>
        write(() => store.resourceServers.update(tenantId, id, changes)),
      delete: (tenantId, id) => write(() => store.resourceServers.delete(tenantId, id)),
      find: (tenantId, key) =>
        cached(servers, scoped(tenantId, key), () => store.resourceServers.find(tenantId, key)),
    },

    consentRequests: {
      ...store.consentRequests,
      get(tenantId, id) {
        const kept = requests.get(scoped(tenantId, id))
        // Each view, answer and verify asks: a hit is a settled promise, as `cached` returns.
        if (kept) return Promise.resolve(kept)
        const [writesAt, clearsAt] = [requestWrites, requestClears]
        return store.consentRequests.get(tenantId, id).then((found) => {
          if (found && writesAt === requestWrites && clearsAt === requestClears) keepRequest(found)
          return found
        })
      },
      answer: (tenantId, id, answer) =>
        writeRequest(
          tenantId,
          id,
          () => store.consentRequests.answer(tenantId, id, answer),
          answered,
        ),
      bind: (tenantId, id, bindingHash, shown) =>
        writeRequest(
          tenantId,
          id,
          () => store.consentRequests.bind(tenantId, id, bindingHash, shown),
          (request) => request,
        ),
      show: (tenantId, id, shown) =>
        writeRequest(
          tenantId,
          id,
          () => store.consentRequests.show(tenantId, id, shown),
          (request) => request,
        ),
      verify: async (tenantId, id, at, scopes, versions, effects) => {
        const carried = await withEndpoints(tenantId, effects)
        return writeRequest(
          tenantId,
          id,
          () => store.consentRequests.verify(tenantId, id, at, scopes, versions, carried),
          verified,
        )
      },
      async purge(before) {
        try {
          return await store.consentRequests.purge(before)
        } finally {
          forgetRequests()
        }
      },
    },

    grants: {
      ...store.grants,
      delete: async (tenantId, id, effects) =>
        store.grants.delete(tenantId, id, effects && (await withEndpointsFor(tenantId, effects))),
      deleteForUser: async (tenantId, userId, effects) =>
        store.grants.deleteForUser(
          tenantId,
          userId,
          effects && (await withEndpointsFor(tenantId, effects)),
        ),
      revoke: async (tenantId, userId, clientId, effects) =>
        store.grants.revoke(tenantId, userId, clientId, await withEndpointsFor(tenantId, effects)),
    },

    webhooks: {
      ...store.webhooks,
      create: (tenantId, hook, max) => write(() => store.webhooks.create(tenantId, hook, max)),
      update: (tenantId, id, changes) => write(() => store.webhooks.update(tenantId, id, changes)),
      delete: (tenantId, id) => write(() => store.webhooks.delete(tenantId, id)),
    },

    users: {
      ...store.users,
      // The user's requests go with the rest of their data.
      erase: (tenantId, userId) => store.users.erase(tenantId, userId).finally(forgetRequests),
    },

    clients: {
      ...store.clients,
      create: (tenantId, client) => write(() => store.clients.create(tenantId, client)),
      update: (tenantId, clientId, changes) =>
        write(() => store.clients.update(tenantId, clientId, changes)),
      // The client's requests go with it.
      delete: (tenantId, clientId) =>
        write(() => store.clients.delete(tenantId, clientId).finally(forgetRequests)),
      get: (tenantId, clientId) =>
        cached(clients, scoped(tenantId, clientId), () => store.clients.get(tenantId, clientId)),
    },
  }
}
