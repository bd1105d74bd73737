import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Grant } from '../../src/entities.js'
import { withConfigCache } from '../../src/store/cached-store.js'
import { RULES, type Rules, type SortedAs } from '../../src/store/cached-store-table.js'
import { createKyselyStore } from '../../src/store/kysely/index.js'
import { openSqlite } from '../../src/store/open-database.js'
import type { SideEffects, Store } from '../../src/store/port.js'
import { pendingRequest } from '../support/shown.js'

const settings = { friendly_name: 'One', flags: {} }
const at = new Date('2026-11-27T10:00:00Z')
const server = {
  id: 'rs_1',
  identifier: 'https://api.example.com/',
  name: 'Example',
  scopes: [{ value: 'read:messages', description: 'Read' }],
  enforcePolicies: true,
  allowOfflineAccess: false,
  skipConsentForVerifiableFirstPartyClients: true,
  tokenDialect: 'access_token_authz' as const,
  tokenLifetime: 3600,
  signingAlg: 'RS256',
  isSystem: false,
}
const client = (clientId: string) => ({
  clientId,
  name: 'App',
  description: '',
  logoUri: null,
  isFirstParty: false,
  callbacks: ['https://app.example/cb'],
  appType: null,
})
const hook = (id: string) => ({
  id,
  url: 'https://as.example/hook',
  events: ['consent.accepted' as const],
  secret: 'whsec_x',
  createdAt: at,
})
const request = pendingRequest('req_kept_00000000001', at)

type Call = (store: Store) => Promise<unknown>

/**
 * A call of each configuration write that changes what some cached read returns where it can.
 * Typed from the table: a method sorted as a configuration write has to be exercised here.
 */
const configWrites: Record<SortedAs<'write' | 'write, drops requests'>, Call> = {
  'tenants.create': (s) => s.tenants.create({ id: 't2', domains: ['two.example'], settings }),
  'tenants.updateSettings': (s) =>
    s.tenants.updateSettings('t1', { ...settings, flags: { a: true } }),
  'resourceServers.create': (s) =>
    s.resourceServers.create('t1', { ...server, id: 'rs_2', identifier: 'https://two.example/' }),
  'resourceServers.update': (s) => s.resourceServers.update('t1', 'rs_1', { name: 'Renamed' }),
  'resourceServers.delete': (s) => s.resourceServers.delete('t1', 'rs_1'),
  'clients.create': (s) => s.clients.create('t1', client('c2')),
  'clients.update': (s) => s.clients.update('t1', 'c1', { name: 'Renamed' }),
  'clients.delete': (s) => s.clients.delete('t1', 'c1'),
  'webhooks.create': (s) => s.webhooks.create('t1', hook('wh_2')),
  'webhooks.update': (s) => s.webhooks.update('t1', 'wh_1', { events: ['consent.denied'] }),
  'webhooks.delete': (s) => s.webhooks.delete('t1', 'wh_1'),
}

/** A call of each write that removes consent requests wholesale, removing the one kept. */
const requestDrops: Record<SortedAs<'data, drops requests' | 'write, drops requests'>, Call> = {
  'clients.delete': (s) => s.clients.delete('t1', 'c1'),
  'users.erase': (s) => s.users.erase('t1', 'u1'),
  'consentRequests.purge': (s) => s.consentRequests.purge(new Date(at.getTime() + 86_400_000)),
}

/** `[path, rule]` of every entry of the table. */
function entries(): [string, unknown][] {
  return Object.entries(RULES).flatMap(([key, rule]): [string, unknown][] =>
    typeof rule === 'string' || 'read' in rule || 'write' in rule
      ? [[key, rule]]
      : Object.entries(rule).map(([name, each]): [string, unknown] => [`${key}.${name}`, each]),
  )
}
const sortedAs = (...rules: string[]) =>
  entries()
    .filter(([, rule]) => typeof rule === 'string' && rules.includes(rule))
    .map(([path]) => path)

describe('the caching store’s table of rules', () => {
  let inner: Store
  // What the endpoints kept for tenant t1 were, as the last grant revocation carried them.
  let carried: SideEffects['endpoints']
  // A store that keeps nothing yet: what any read answers now.
  const fresh = () => withConfigCache(inner, { shared: false })

  beforeEach(async () => {
    inner = createKyselyStore(openSqlite(':memory:'))
    await inner.migrate()
    await inner.tenants.create({ id: 't1', domains: ['one.example'], settings })
    await inner.resourceServers.create('t1', server)
    await inner.clients.create('t1', client('c1'))
    await inner.webhooks.create('t1', hook('wh_1'))
    vi.spyOn(inner.grants, 'revoke').mockImplementation(async (_t, _u, _c, effects) => {
      carried = effects([] as Grant[]).endpoints
      return 0
    })
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await inner.close()
  })

  /** Every read the configuration caches serve, with the inner method it reads through. */
  const cachedReads = () =>
    [
      [(s: Store) => s.tenants.get('t1'), vi.spyOn(inner.tenants, 'get')],
      [(s: Store) => s.tenants.forHost('one.example'), vi.spyOn(inner.tenants, 'forHost')],
      [(s: Store) => s.tenants.only(), vi.spyOn(inner.tenants, 'only')],
      [(s: Store) => s.resourceServers.find('t1', 'rs_1'), vi.spyOn(inner.resourceServers, 'find')],
      [(s: Store) => s.clients.get('t1', 'c1'), vi.spyOn(inner.clients, 'get')],
      [
        async (s: Store) => {
          await s.grants.revoke('t1', 'u1', 'c1', () => ({}))
          return carried
        },
        vi.spyOn(inner.webhooks, 'list'),
      ],
    ] as const

  it('has a rule for every method of the port, and for nothing else', () => {
    const { count: _count, ...tenants } = RULES.tenants
    // @ts-expect-error a method of the port without a rule does not compile
    const missing: Rules = { ...RULES, tenants }
    // @ts-expect-error nor does a rule for a method the port does not have
    const extra: Rules = { ...RULES, tenants: { ...RULES.tenants, rename: 'write' } }
    expect([missing.tenants, extra.tenants].map((each) => 'count' in each)).toEqual([false, true])

    // And at run time, the store made from it has exactly the inner store's methods.
    const made = fresh() as unknown as Record<string, unknown>
    const source = inner as unknown as Record<string, unknown>
    const shape = (store: Record<string, unknown>) =>
      Object.keys(store)
        .sort()
        .map((key) => {
          const value = store[key]
          return typeof value === 'function'
            ? key
            : `${key}: ${Object.keys(value as object)
                .sort()
                .join(' ')}`
        })
    expect(shape(made)).toEqual(shape(source))
  })

  it('exercises every configuration write and every write that drops requests', () => {
    expect(Object.keys(configWrites).sort()).toEqual(
      sortedAs('write', 'write, drops requests').sort(),
    )
    expect(Object.keys(requestDrops).sort()).toEqual(
      sortedAs('data, drops requests', 'write, drops requests').sort(),
    )
  })

  describe.each([
    ['one process', false],
    ['instances sharing the database', true],
  ])('every configuration write (%s)', (_, shared) => {
    it.each(Object.entries(configWrites))(
      '%s forgets every configuration cache and moves the epoch',
      async (_path, write) => {
        const here = withConfigCache(inner, { shared })
        const there = withConfigCache(inner, { shared })
        const reads = cachedReads()
        for (const [read] of reads) for (const store of [here, there]) await read(store)
        // Kept: read again, nothing reaches the inner store.
        for (const [read, spy] of reads) {
          spy.mockClear()
          await read(here)
          expect(spy).not.toHaveBeenCalled()
        }
        const [epochHere, epochThere] = [here.configEpoch(), there.configEpoch()]

        await write(here)
        expect(here.configEpoch()).not.toBe(epochHere)
        const refreshed = shared ? [here, there] : [here]
        if (shared) {
          await there.sync()
          expect(there.configEpoch()).not.toBe(epochThere)
        }
        for (const store of refreshed) {
          for (const [read, spy] of reads) {
            spy.mockClear()
            const answer = await read(store)
            expect(spy).toHaveBeenCalledTimes(1)
            expect(answer).toEqual(await read(fresh()))
          }
        }
      },
    )
  })

  it.each(Object.entries(requestDrops))(
    '%s forgets every kept consent request',
    async (_path, drop) => {
      const store = withConfigCache(inner, { shared: false })
      await store.consentRequests.create(request)
      expect((await store.consentRequests.get('t1', request.id))?.status).toBe('pending')
      const get = vi.spyOn(inner.consentRequests, 'get')
      await store.consentRequests.get('t1', request.id)
      expect(get).not.toHaveBeenCalled()

      await drop(store)
      expect(await store.consentRequests.get('t1', request.id)).toBeUndefined()
      expect(get).toHaveBeenCalledTimes(1)
    },
  )
})
