import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/port.js'

export interface StoreFactory {
  /** A migrated, empty store and a way to dispose of it. */
  open(): Promise<{ store: Store; dispose: () => Promise<void> }>
}

const at = new Date('2026-11-24T10:00:00.000Z')

/** The behaviour every store must have; run against each engine. */
export function storeContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let store: Store
    let dispose: () => Promise<void>

    beforeEach(async () => {
      ;({ store, dispose } = await factory.open())
      await store.tenants.create({
        id: 't1',
        domains: ['one.example'],
        settings: { friendly_name: 'One', flags: {} },
      })
    })
    afterEach(async () => {
      await dispose()
    })

    it('migrates twice without harm and answers ping', async () => {
      await store.migrate()
      expect(await store.ping()).toBe(true)
    })

    it('finds a tenant by host, and the only tenant for any host', async () => {
      expect((await store.tenants.forHost('ONE.example'))?.id).toBe('t1')
      expect((await store.tenants.forHost('elsewhere.example'))?.id).toBe('t1')
      await store.tenants.create({
        id: 't2',
        domains: ['two.example'],
        settings: { friendly_name: 'Two', flags: {} },
      })
      expect((await store.tenants.forHost('two.example'))?.id).toBe('t2')
      expect(await store.tenants.forHost('elsewhere.example')).toBeUndefined()
      expect(await store.tenants.count()).toBe(2)
    })

    it('updates tenant settings', async () => {
      const updated = await store.tenants.updateSettings('t1', {
        friendly_name: 'One',
        flags: { use_scope_descriptions_for_consent: true },
      })
      expect(updated?.settings.flags.use_scope_descriptions_for_consent).toBe(true)
      expect(
        await store.tenants.updateSettings('nope', { friendly_name: 'x', flags: {} }),
      ).toBeUndefined()
    })

    it('keeps the first key written under a name', async () => {
      const first = await store.keys.getOrCreate('csrf', () => 'a')
      const second = await store.keys.getOrCreate('csrf', () => 'b')
      expect([first, second]).toEqual(['a', 'a'])
    })

    it('stores meta values', async () => {
      expect(await store.meta.get('demo')).toBeUndefined()
      await store.meta.set('demo', '1')
      await store.meta.set('demo', '0')
      expect(await store.meta.get('demo')).toBe('0')
    })

    const server = {
      id: 'rs_1',
      identifier: 'https://api.example.com/',
      name: 'Example',
      scopes: [
        { value: 'read:messages', description: 'Read', descriptions: { fr: 'Lire' } },
        { value: 'write:messages', description: '' },
      ],
      enforcePolicies: true,
      allowOfflineAccess: false,
      skipConsentForVerifiableFirstPartyClients: true,
      tokenDialect: 'access_token_authz' as const,
      tokenLifetime: 3600,
      signingAlg: 'RS256',
      isSystem: false,
    }

    it('stores resource servers, found by id or identifier, within their tenant only', async () => {
      await store.resourceServers.create('t1', server)
      const byId = await store.resourceServers.find('t1', 'rs_1')
      expect(byId).toMatchObject({ ...server })
      expect((await store.resourceServers.find('t1', server.identifier))?.id).toBe('rs_1')
      await store.tenants.create({
        id: 't2',
        domains: ['two.example'],
        settings: { friendly_name: 'Two', flags: {} },
      })
      expect(await store.resourceServers.find('t2', 'rs_1')).toBeUndefined()
      const page = await store.resourceServers.list('t1', { page: 0, perPage: 10 })
      expect(page.total).toBe(1)
      expect(page.items.map((s) => s.id)).toEqual(['rs_1'])
    })

    it('refuses a duplicate identifier in one tenant', async () => {
      await store.resourceServers.create('t1', server)
      await expect(store.resourceServers.create('t1', { ...server, id: 'rs_2' })).rejects.toThrow()
    })

    it('stores clients', async () => {
      await store.clients.create('t1', {
        clientId: 'c1',
        name: 'App',
        description: '',
        logoUri: 'https://app.example/logo.png',
        isFirstParty: true,
        callbacks: ['https://app.example/cb'],
        appType: null,
      })
      expect(await store.clients.get('t1', 'c1')).toMatchObject({
        name: 'App',
        isFirstParty: true,
        callbacks: ['https://app.example/cb'],
      })
      expect(await store.clients.get('t2', 'c1')).toBeUndefined()
    })

    it('remembers users and updates their last seen name', async () => {
      await store.users.remember('t1', { userId: 'u1', name: 'Ana', email: null })
      await store.users.remember('t1', {
        userId: 'u1',
        name: 'Ana Silva',
        email: 'ana@example.com',
      })
      expect(await store.users.get('t1', 'u1')).toMatchObject({
        name: 'Ana Silva',
        email: 'ana@example.com',
      })
    })

    it('gives a user the permissions they hold directly', async () => {
      await store.permissions.grantToUser('t1', 'u1', server.identifier, [
        'read:messages',
        'read:messages',
      ])
      expect([...(await store.permissions.namesFor('t1', 'u1', server.identifier))]).toEqual([
        'read:messages',
      ])
      expect((await store.permissions.namesFor('t1', 'u1', 'https://other/')).size).toBe(0)
    })

    it('stores consent requests as they were created', async () => {
      const request = {
        id: 'req_0123456789abcdef',
        tenantId: 't1',
        clientId: 'c1',
        userId: 'u1',
        userName: 'ana@example.com',
        audience: null,
        requestedScopes: ['openid', 'x'],
        effectiveScopes: ['openid'],
        droppedScopes: ['x'],
        promptScopes: ['openid'],
        grantedScopes: null,
        prompt: null,
        uiLocales: 'fr',
        returnTo: 'https://as.example/resume',
        state: 's',
        redirectUri: 'https://app.example/cb',
        status: 'pending' as const,
        error: null,
        createdAt: at,
        expiresAt: new Date(at.getTime() + 600_000),
      }
      await store.consentRequests.create(request)
      expect(await store.consentRequests.get('t1', request.id)).toEqual({
        ...request,
        answeredAt: null,
      })
      expect(await store.consentRequests.get('t2', request.id)).toBeUndefined()
    })
  })
}
