import { randomBytes } from 'node:crypto'
import type { Client, ConsentRequest, ResourceServer, Tenant } from '../entities.js'
import type { Store } from './port.js'

const VERSION_KEY = 'config_version'
/** Consent requests kept in memory when one process owns the database (see below). */
const REQUESTS_KEPT = 4096

/** The key of something that belongs to one tenant. */
const scoped = (tenantId: string, id: string) => `${tenantId}\u0000${id}`

/**
 * Keeps what every page reads — tenants, APIs, clients — in memory, and forgets it on any write
 * to them. With `shared` (several instances on one database) a write also changes a version row,
 * and `sync()`, called once per request, forgets what another instance changed: a write is
 * visible on the very next page any instance renders. Without `shared`, consent requests are kept
 * too, from creation to answer.
 */
export function withConfigCache(store: Store, options: { shared: boolean }): Store {
  const tenantsByHost = new Map<string, Promise<Tenant | undefined>>()
  const tenantsById = new Map<string, Promise<Tenant | undefined>>()
  const servers = new Map<string, Promise<ResourceServer | undefined>>()
  const clients = new Map<string, Promise<Client | undefined>>()
  // With one process on the database (SQLite), a consent request is kept from its creation until
  // it is answered, so the page the browser asks for next needs no read: every write to a
  // request goes through this process and forgets it. The oldest are dropped first.
  const requests = new Map<string, ConsentRequest>()
  const keepRequest = (request: ConsentRequest) => {
    if (options.shared) return
    requests.set(scoped(request.tenantId, request.id), request)
    if (requests.size > REQUESTS_KEPT) requests.delete(requests.keys().next().value as string)
  }
  let seenVersion: string | undefined

  const forget = () => {
    tenantsByHost.clear()
    tenantsById.clear()
    servers.clear()
    clients.clear()
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

  function cached<K, V>(map: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let value = map.get(key)
    if (!value) {
      value = load()
      map.set(key, value)
      // A failed read is not remembered.
      value.catch(() => map.delete(key))
    }
    return value
  }

  return {
    ...store,

    async sync() {
      if (!options.shared) return
      const version = await store.meta.get(VERSION_KEY)
      if (version !== seenVersion) {
        forget()
        seenVersion = version
      }
    },

    tenants: {
      ...store.tenants,
      create: (tenant) => write(() => store.tenants.create(tenant)),
      updateSettings: (id, settings) => write(() => store.tenants.updateSettings(id, settings)),
      get: (id) => cached(tenantsById, id, () => store.tenants.get(id)),
      forHost: (host) => cached(tenantsByHost, host, () => store.tenants.forHost(host)),
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
      async create(request, user) {
        const created = await store.consentRequests.create(request, user)
        keepRequest(created)
        return created
      },
      async get(tenantId, id) {
        const kept = requests.get(scoped(tenantId, id))
        if (kept) return kept
        const found = await store.consentRequests.get(tenantId, id)
        if (found) keepRequest(found)
        return found
      },
      async answer(tenantId, id, answer) {
        try {
          return await store.consentRequests.answer(tenantId, id, answer)
        } finally {
          requests.delete(scoped(tenantId, id))
        }
      },
    },

    clients: {
      ...store.clients,
      create: (tenantId, client) => write(() => store.clients.create(tenantId, client)),
      update: (tenantId, clientId, changes) =>
        write(() => store.clients.update(tenantId, clientId, changes)),
      delete: (tenantId, clientId) => write(() => store.clients.delete(tenantId, clientId)),
      get: (tenantId, clientId) =>
        cached(clients, scoped(tenantId, clientId), () => store.clients.get(tenantId, clientId)),
    },
  }
}
