import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { limits } from '../../src/config.js'
import type { Tenant } from '../../src/entities.js'
import { withConfigCache } from '../../src/store/cached-store.js'
import { createKyselyStore } from '../../src/store/kysely/index.js'
import { openSqlite } from '../../src/store/open-database.js'
import type { Store } from '../../src/store/port.js'

const settings = { friendly_name: 'One', flags: {} }

describe('the cached store', () => {
  let inner: Store
  let store: Store

  beforeEach(async () => {
    inner = createKyselyStore(openSqlite(':memory:'))
    await inner.migrate()
    await inner.tenants.create({ id: 't1', domains: ['one.example'], settings })
    await inner.tenants.create({ id: 't2', domains: ['two.example'], settings })
    store = withConfigCache(inner, { shared: false })
  })
  afterEach(async () => {
    await store.close()
  })

  it('keeps the tenant of a known host', async () => {
    const forHost = vi.spyOn(inner.tenants, 'forHost')
    expect((await store.tenants.forHost('one.example'))?.id).toBe('t1')
    expect((await store.tenants.forHost('one.example'))?.id).toBe('t1')
    expect(forHost).toHaveBeenCalledTimes(1)
  })

  it('never keeps a host that no tenant has, so random hosts cannot fill or flush it', async () => {
    const forHost = vi.spyOn(inner.tenants, 'forHost')
    await store.tenants.forHost('one.example')
    expect(await store.tenants.forHost('nowhere.example')).toBeUndefined()
    expect(await store.tenants.forHost('nowhere.example')).toBeUndefined()
    expect(forHost).toHaveBeenCalledTimes(3)

    // More unknown hosts than the cache has room for: a cached miss would push the known one out.
    for (let i = 0; i <= limits.cache.tenantHosts; i++) {
      await store.tenants.forHost(`random-${i}.example`)
    }
    forHost.mockClear()
    expect((await store.tenants.forHost('one.example'))?.id).toBe('t1')
    expect(forHost).not.toHaveBeenCalled()
  })

  it('keeps at most its bound of known hosts', async () => {
    const hosts = Array.from({ length: limits.cache.tenantHosts + 1 }, (_, i) => `h${i}.example`)
    for (const [i, host] of hosts.entries()) {
      await inner.tenants.create({ id: `h${i}`, domains: [host], settings })
    }
    for (const host of hosts) await store.tenants.forHost(host)
    const forHost = vi.spyOn(inner.tenants, 'forHost')
    // The least recently used went first; the most recent stayed.
    expect((await store.tenants.forHost('h0.example'))?.id).toBe('h0')
    expect((await store.tenants.forHost(hosts.at(-1) ?? ''))?.id).toBe(`h${hosts.length - 1}`)
    expect(forHost).toHaveBeenCalledTimes(1)
  })

  it('keeps the only-tenant answer until a tenant is written', async () => {
    const only = vi.spyOn(inner.tenants, 'only')
    expect(await store.tenants.only()).toBeUndefined()
    expect(await store.tenants.only()).toBeUndefined()
    expect(only).toHaveBeenCalledTimes(1)
    await store.tenants.updateSettings('t1', { ...settings, friendly_name: 'Uno' })
    await store.tenants.only()
    expect(only).toHaveBeenCalledTimes(2)
  })

  it('does not keep what a read returned when a write landed while it ran', async () => {
    const before = await inner.tenants.get('t1')
    let release: (tenant: Tenant | undefined) => void = () => {}
    vi.spyOn(inner.tenants, 'get').mockImplementationOnce(
      () => new Promise((resolve) => (release = resolve)),
    )
    const reading = store.tenants.get('t1')
    await store.tenants.updateSettings('t1', { ...settings, friendly_name: 'Renamed' })
    release(before)
    expect((await reading)?.settings.friendly_name).toBe('One')
    expect((await store.tenants.get('t1'))?.settings.friendly_name).toBe('Renamed')
  })
})
