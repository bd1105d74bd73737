import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { limits } from '../../src/config/env.js'
import type { ConsentRequest, Tenant } from '../../src/entities.js'
import { withConfigCache } from '../../src/store/cached-store.js'
import { createKyselyStore } from '../../src/store/kysely/index.js'
import { openSqlite } from '../../src/store/open-database.js'
import type { Store } from '../../src/store/port.js'
import { ON_PAGE, OTHER_PAGE, openPage, pendingRequest, SHOWN } from '../support/shown.js'

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

  describe('consent requests (one process on the database)', () => {
    const at = new Date('2026-11-27T10:00:00Z')
    const request = (id: string) => pendingRequest(id, at)
    const accept = {
      action: 'accept',
      at,
      scopes: ['openid'],
      verifierHash: 'verifier-hash',
      ...ON_PAGE,
    } as const

    it('answers a kept request without reading the row back, leaving what a read would return', async () => {
      const answers = [
        {
          ...accept,
          scopes: ['openid', 'openid', 'profile'],
          declined: ['email'],
          duration: { seconds: 3600 },
          approvedDetails: [0],
        },
        { ...accept, duration: { seconds: null } },
        { action: 'deny', at, error: 'access_denied', verifierHash: 'v2', ...ON_PAGE } as const,
      ]
      for (const [i, answer] of answers.entries()) {
        const id = `req_built_0000000000${i}`
        await store.consentRequests.create({
          ...request(id),
          requestedScopes: ['openid', 'profile', 'email'],
          effectiveScopes: ['openid', 'profile', 'email'],
          promptScopes: ['openid', 'profile', 'email'],
          granular: true,
        })
        await openPage(store, 't1', id)
        const kept = await store.consentRequests.get('t1', id)
        const innerAnswer = vi.spyOn(inner.consentRequests, 'answer')
        const outcome = await store.consentRequests.answer('t1', id, answer)
        // The store was handed the request as it stood, so it had nothing to read back.
        expect(innerAnswer.mock.calls[0]?.[3]).toBe(kept)
        innerAnswer.mockRestore()
        expect(outcome.outcome).toBe('answered')
        const read = await inner.consentRequests.get('t1', id)
        expect(outcome.outcome === 'answered' && outcome.request).toEqual(read)
        expect(await store.consentRequests.get('t1', id)).toEqual(read)
      }
    })

    it('answering a request as it stood when another write came between: the write is refused', async () => {
      await store.consentRequests.create(request('req_moved_00000000001'))
      await openPage(store, 't1', 'req_moved_00000000001')
      const before = await store.consentRequests.get('t1', 'req_moved_00000000001')
      // Another page rendered since (written past the cache, as another process would).
      await inner.consentRequests.show('t1', 'req_moved_00000000001', OTHER_PAGE)
      const outcome = await inner.consentRequests.answer(
        't1',
        'req_moved_00000000001',
        accept,
        before,
      )
      expect(outcome).toEqual({ outcome: 'stale' })
      expect((await inner.consentRequests.get('t1', 'req_moved_00000000001'))?.status).toBe(
        'pending',
      )
    })

    it('keeps a request from its first read, as each write left it: the answer and the verify read nothing', async () => {
      const get = vi.spyOn(inner.consentRequests, 'get')
      await store.consentRequests.create(request('req_kept_00000000001'))
      // Created, it is not kept: the page's first read goes to the database, once.
      expect((await store.consentRequests.get('t1', 'req_kept_00000000001'))?.status).toBe(
        'pending',
      )
      expect((await store.consentRequests.get('t1', 'req_kept_00000000001'))?.status).toBe(
        'pending',
      )
      expect(get).toHaveBeenCalledTimes(1)
      await store.consentRequests.bind('t1', 'req_kept_00000000001', 'browser', SHOWN)
      expect((await store.consentRequests.get('t1', 'req_kept_00000000001'))?.bindingHash).toBe(
        'browser',
      )
      await store.consentRequests.answer('t1', 'req_kept_00000000001', accept)
      expect(await store.consentRequests.get('t1', 'req_kept_00000000001')).toMatchObject({
        status: 'accepted',
        verifierHash: 'verifier-hash',
      })
      expect(get).toHaveBeenCalledTimes(1)
      // Verified, it is forgotten: an AS's retry reads it again.
      await store.consentRequests.verify('t1', 'req_kept_00000000001', at, ['openid'])
      expect((await store.consentRequests.get('t1', 'req_kept_00000000001'))?.verifiedAt).toEqual(
        at,
      )
      expect(get).toHaveBeenCalledTimes(2)
    })

    it('keeps nothing of two writes to one request that overlap, nor of a read beside a write', async () => {
      await store.consentRequests.create(request('req_race_00000000001'))
      // A bind that read the request before an answer changed it, and returned after.
      const before = await inner.consentRequests.get('t1', 'req_race_00000000001')
      let release: (request: ConsentRequest | undefined) => void = () => {}
      vi.spyOn(inner.consentRequests, 'bind').mockImplementationOnce(
        () => new Promise((resolve) => (release = resolve)),
      )
      await inner.consentRequests.show('t1', 'req_race_00000000001', SHOWN)
      const binding = store.consentRequests.bind('t1', 'req_race_00000000001', 'browser', SHOWN)
      await store.consentRequests.answer('t1', 'req_race_00000000001', accept)
      release(before)
      await binding
      expect((await store.consentRequests.get('t1', 'req_race_00000000001'))?.status).toBe(
        'accepted',
      )

      // A read that missed (a purge forgets every request, here removing none), and returned
      // after a write to the request.
      await store.consentRequests.create(request('req_race_00000000002'))
      await inner.consentRequests.show('t1', 'req_race_00000000002', SHOWN)
      await store.consentRequests.purge(new Date(0))
      const stale = await inner.consentRequests.get('t1', 'req_race_00000000002')
      vi.spyOn(inner.consentRequests, 'get').mockImplementationOnce(
        () => new Promise((resolve) => (release = resolve)),
      )
      const reading = store.consentRequests.get('t1', 'req_race_00000000002')
      await store.consentRequests.answer('t1', 'req_race_00000000002', accept)
      release(stale)
      expect((await reading)?.status).toBe('pending')
      expect((await store.consentRequests.get('t1', 'req_race_00000000002'))?.status).toBe(
        'accepted',
      )
    })

    it('keeps the endpoints events go to, until a webhook is added or removed', async () => {
      const list = vi.spyOn(inner.webhooks, 'list')
      const verified = async (id: string) => {
        await store.consentRequests.create(request(id))
        await openPage(store, 't1', id)
        await store.consentRequests.answer('t1', id, accept)
        const event = {
          id: `msg_${id}`,
          type: 'consent.accepted',
          userId: 'u1',
          payload: {},
        } as const
        await store.consentRequests.verify('t1', id, at, ['openid'], {}, { events: [event] })
      }
      await verified('req_hooks_0000000001')
      await verified('req_hooks_0000000002')
      expect(list).toHaveBeenCalledTimes(1)
      await store.webhooks.create('t1', {
        id: 'wh_new',
        url: 'https://as.example/hook',
        events: ['consent.accepted'],
        secret: 'whsec_x',
        createdAt: at,
      })
      await verified('req_hooks_0000000003')
      expect(list).toHaveBeenCalledTimes(2)
      expect((await store.webhooks.claim(at, 10, 60_000)).map((item) => item.messageId)).toEqual([
        'msg_req_hooks_0000000003',
      ])
    })
  })
})
