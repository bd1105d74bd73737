import { randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { limits } from '../config/env.js'
import type { Client, ConsentRequest, Grant, ResourceServer, Tenant, Webhook } from '../entities.js'
import { copyWith } from '../objects.js'
import { type CacheContext, RULES, type Rule, type Rules, scoped } from './cached-store-table.js'
import { CONFIG_VERSION_KEY, type ConfigChanges, type RequestNotice } from './config-changes.js'
import type { SideEffects, Store } from './port.js'

/** What `sync()` answers when there is nothing to check: one settled promise for every request. */
const SYNCED: Promise<void> = Promise.resolve()

type Untyped = (...args: unknown[]) => unknown
type Methods = Readonly<Record<string, Untyped>>

/**
 * Keeps what every page reads — tenants, APIs, clients — and the tenants' webhook endpoints in
 * memory, and forgets it on any write to them. With `shared` (several instances on one database)
 * a write also changes a version row, and `sync()`, called once per request, forgets what another
 * instance changed: a write is visible on the very next page any instance renders. With `listen`
 * as well, the write is announced (PostgreSQL's `NOTIFY`) and forgotten by the others as the
 * announcement arrives, and `sync()` reads the version row only while no announcement could
 * arrive (no connection listening, or not since the row was last read). Consent requests are
 * kept too from the first read on (a browser opening the page), each as its last write left it
 * (bound, answered), until it is verified, purged or erased, its client is deleted, or newer ones
 * push it out; a request no browser opened is not kept. With `shared`, only while `listen`'s
 * connection listens: the database announces every change to a request, and a read that must see
 * the latest state (`latest`) goes past the copy, as the announcement may still be on its way. Every
 * cache is bounded (`limits.cache`), and keeps only what exists: a lookup that finds nothing (an
 * unknown `Host`, a mistyped client id) takes no room.
 *
 * Each method of the result is made from its rule in `RULES` (cached-store-table.ts), whose type
 * lists every method of the port: a method added to the port is not passed through unsorted.
 */
export function withConfigCache(
  store: Store,
  options: {
    shared: boolean
    /**
     * With `shared`: how other instances' writes are heard of, given what to call on each
     * configuration change and on each change to consent requests; without it, no request is kept.
     */
    listen?: (
      onChange: (version: string) => void,
      onRequest: (notice: RequestNotice) => void,
    ) => ConfigChanges
  },
): Store {
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
  // are answering nor fill the old generation, at 1.2 KB a create.
  //
  // With several instances, another may change a request this one keeps: requests are kept only
  // while this instance listens for the changes the database announces (`listen`), each copy
  // under the connection that listened when it was read or written, and a change announced by
  // another connection forgets the copy. What depends on the latest state (a verify, the status
  // an AS reads, an answer its copy would refuse) asks for the request `latest`, past the copy:
  // the announcement of a change made elsewhere may still be on its way.
  const requests = new LRUCache<string, ConsentRequest>({ max: bounds.consentRequests })
  // Bumped when requests are removed wholesale (purge, erasure, a client deleted), when another
  // instance announces such a removal, and when the listening connection changes.
  let requestClears = 0
  // Writes under way, per request; one that overlapped another to the same request, or an
  // announced change to it, keeps nothing, as the other may have changed it after this one read.
  const writing = new Map<string, { count: number; overlapped: boolean }>()
  // Reads under way, per request, with whether a write to it ended or another connection's change
  // to it was announced meanwhile: such a read may have returned the request as it was before.
  const reading = new Map<string, { count: number; overlapped: boolean }>()

  const dropRequests = () => {
    requestClears += 1
    requests.clear()
  }

  // The listening connection copies were kept under, while it listens.
  let keptUnder: number | undefined
  /**
   * Whether requests may be kept and served now: always with one process on the database;
   * with several, while a connection listens, and only what was kept under that connection.
   */
  function trusted(): boolean {
    if (!options.shared) return true
    const now = changes?.listening()
    if (now !== keptUnder) {
      keptUnder = now
      dropRequests()
    }
    return now !== undefined
  }

  const enter = (under: Map<string, { count: number; overlapped: boolean }>, key: string) => {
    const entry = under.get(key) ?? { count: 0, overlapped: false }
    entry.count += 1
    under.set(key, entry)
    return entry
  }
  const leave = (
    under: Map<string, { count: number; overlapped: boolean }>,
    key: string,
    entry: { count: number },
  ) => {
    entry.count -= 1
    if (entry.count === 0) under.delete(key)
  }

  async function writeRequest<T>(
    tenantId: string,
    id: string,
    work: () => Promise<T>,
    result: (outcome: T) => ConsentRequest | undefined,
  ): Promise<T> {
    const key = scoped(tenantId, id)
    const under = enter(writing, key)
    if (under.count > 1) under.overlapped = true
    trusted()
    const clearsAt = requestClears
    let left: ConsentRequest | undefined
    try {
      const outcome = await work()
      left = result(outcome)
      return outcome
    } finally {
      const overlappedRead = reading.get(key)
      if (overlappedRead) overlappedRead.overlapped = true
      leave(writing, key, under)
      if (left && !under.overlapped && trusted() && clearsAt === requestClears) {
        requests.set(key, left)
      } else requests.delete(key)
    }
  }

  function request(
    tenantId: string,
    id: string,
    read?: { readonly latest?: boolean },
  ): Promise<ConsentRequest | undefined> {
    const key = scoped(tenantId, id)
    const keeping = trusted()
    // One process on the database: the kept copy is the latest. Several: it may lag behind.
    const kept = keeping && !(options.shared && read?.latest) ? requests.get(key) : undefined
    // Each view, answer and verify asks: a hit is a settled promise, as `cached` returns.
    if (kept) return Promise.resolve(kept)
    if (!keeping) return store.consentRequests.get(tenantId, id)
    const clearsAt = requestClears
    const under = enter(reading, key)
    return store.consentRequests
      .get(tenantId, id)
      .finally(() => leave(reading, key, under))
      .then((found) => {
        if (found && !under.overlapped && trusted() && clearsAt === requestClears) {
          requests.set(key, found)
        }
        return found
      })
  }

  function standing(tenantId: string, id: string): ConsentRequest | undefined {
    const key = scoped(tenantId, id)
    return writing.has(key) || !trusted() ? undefined : requests.peek(key)
  }

  /** Runs a write that removes requests wholesale, then forgets every kept request. */
  async function droppingRequests<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } finally {
      dropRequests()
    }
  }

  /** Another connection changed a request, or removed some: forget them, and what is being read. */
  function heard(notice: RequestNotice) {
    // Reads and writes under way keep nothing either: the count of clears moved.
    if (notice === 'all') return dropRequests()
    const key = scoped(notice.tenantId, notice.id)
    requests.delete(key)
    const [written, read] = [writing.get(key), reading.get(key)]
    if (written) written.overlapped = true
    if (read) read.overlapped = true
  }

  let seenVersion: string | undefined
  // Bumped by every forget, so a read that started before a write does not store what it read.
  let generation = 0
  // Another instance's write, announced: forget now, so no page needs to ask.
  const changes = options.shared
    ? options.listen?.((version) => {
        if (version !== seenVersion) {
          forget()
          seenVersion = version
        }
      }, heard)
    : undefined

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
        if (changes) await changes.publish(seenVersion)
        else await store.meta.set(CONFIG_VERSION_KEY, seenVersion)
      }
    }
  }

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

  async function withEndpoints(
    tenantId: string,
    effects: SideEffects | undefined,
  ): Promise<SideEffects | undefined> {
    if (!effects?.events?.length || effects.endpoints) return effects
    return copyWith(effects, { endpoints: (await endpointsOf(tenantId)) ?? [] })
  }

  async function withEndpointsFor(
    tenantId: string,
    effects: (grants: readonly Grant[]) => SideEffects,
  ) {
    const known = (await endpointsOf(tenantId)) ?? []
    return (grants: readonly Grant[]) => copyWith(effects(grants), { endpoints: known })
  }

  function sync(): Promise<void> {
    // One process on the database: every write went through here already. Several, and this one
    // listening since it last read the version row: every write since is announced.
    if (!options.shared || changes?.trusted()) return SYNCED
    const token = changes?.beforeCheck() ?? 0
    return store.meta.get(CONFIG_VERSION_KEY).then((version) => {
      if (version !== seenVersion) {
        forget()
        seenVersion = version
      }
      changes?.checked(token)
    })
  }

  const context: CacheContext = {
    inner: store,
    tenantsByHost,
    tenantsById,
    servers,
    clients,
    cached,
    only,
    request,
    standing,
    writeRequest,
    withEndpoints,
    withEndpointsFor,
    configEpoch: () => `${generation}:${seenVersion ?? ''}`,
    sync,
  }

  /** The method `name` of `owner` (the inner store or one of its aggregates), as `rule` says. */
  function implement(rule: Rule<Untyped>, owner: Methods, name: string): Untyped {
    // Looked up at each call, as the rules' own reads and writes do: whatever method the inner
    // store holds when called (a test's spy, say) is the one that runs.
    const call = (args: unknown[]) => Promise.resolve((owner[name] as Untyped)(...args))
    switch (rule) {
      case 'read':
      case 'data':
        return (...args) => (owner[name] as Untyped)(...args)
      case 'write':
        return (...args) => write(() => call(args))
      case 'data, drops requests':
        return (...args) => droppingRequests(() => call(args))
      case 'write, drops requests':
        return (...args) => write(() => droppingRequests(() => call(args)))
    }
    return 'read' in rule ? rule.read(context) : rule.write(context)
  }

  const inner = store as unknown as Readonly<Record<string, unknown>>
  const rules = RULES as Rules as unknown as Readonly<
    Record<string, Rule<Untyped> | Readonly<Record<string, Rule<Untyped>>>>
  >
  const built: Record<string, unknown> = {}
  for (const [key, rule] of Object.entries(rules)) {
    const target = inner[key]
    if (typeof target === 'function') {
      built[key] = implement(rule as Rule<Untyped>, inner as Methods, key)
    } else {
      const owner = target as Methods
      built[key] = Object.fromEntries(
        Object.entries(rule as Record<string, Rule<Untyped>>).map(([name, each]) => [
          name,
          implement(each, owner, name),
        ]),
      )
    }
  }
  if (changes) {
    // The listening connection is the caching store's own: it closes with the store.
    built.close = () => changes.close().then(() => store.close())
  }
  return built as unknown as Store
}
