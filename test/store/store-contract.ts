import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PortalSession, WebhookEventType } from '../../src/entities.js'
import { ConflictError } from '../../src/errors.js'
import type { SideEffects, Store } from '../../src/store/port.js'
import { ON_PAGE, OTHER_PAGE, openPage, SHOWN } from '../support/shown.js'

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

    it('finds a tenant by its domains only, and the tenant when there is one', async () => {
      expect((await store.tenants.forHost('ONE.example'))?.id).toBe('t1')
      // Which tenant an unknown host reaches is the tenant middleware's rule, not the store's.
      expect(await store.tenants.forHost('elsewhere.example')).toBeUndefined()
      expect((await store.tenants.only())?.id).toBe('t1')
      await store.tenants.create({
        id: 't2',
        domains: ['two.example'],
        settings: { friendly_name: 'Two', flags: {} },
      })
      expect((await store.tenants.forHost('two.example'))?.id).toBe('t2')
      expect(await store.tenants.forHost('elsewhere.example')).toBeUndefined()
      expect(await store.tenants.only()).toBeUndefined()
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

    it('keeps the audit trail per tenant, newest first, with before, after and the users named', async () => {
      const entry = (id: string, ms: number, after?: unknown, userIds: string[] = []) => ({
        id,
        tenantId: 't1',
        at: new Date(at.getTime() + ms),
        actor: 'admin token',
        via: 'api' as const,
        action: 'client.update',
        target: 'web',
        before: { name: 'Old' },
        after,
        userIds,
      })
      await store.auditLog.record(entry('a1', 0, { name: 'New', flags: { x: true } }, ['u1', 'u2']))
      await store.auditLog.record(entry('a2', 1000))
      const listed = await store.auditLog.list('t1', { page: 0, perPage: 10 })
      expect(listed.total).toBe(2)
      expect(listed.items.map((e) => e.id)).toEqual(['a2', 'a1'])
      expect(listed.items[1]).toEqual(
        entry('a1', 0, { name: 'New', flags: { x: true } }, ['u1', 'u2']),
      )
      expect(listed.items[0]?.after).toBeUndefined()
      expect(listed.items[0]?.userIds).toEqual([])
      expect((await store.auditLog.list('t2', { page: 0, perPage: 10 })).total).toBe(0)
    })

    it('erases from the audit trail exactly the entries naming the user, whatever the ids hold', async () => {
      await store.tenants.create({
        id: 't2',
        domains: ['two.example'],
        settings: { friendly_name: 'Two', flags: {} },
      })
      // Ids a text search gets wrong: inside other text (`e`), LIKE wildcards (`%`, `_`), JSON
      // escapes (`"`, `\\`), another case (`E`); `u2` is a user nobody erases.
      const erased = ['e', 'a%', 'o"b\\x', '_']
      const everyone = [...erased, 'E', 'u2']
      let n = 0
      const record = (
        tenantId: string,
        action: string,
        target: string,
        change: { before?: unknown; after?: unknown },
        userIds: string[],
      ) =>
        store.auditLog.record({
          id: `aud_${String(n).padStart(3, '0')}`,
          tenantId,
          at: new Date(at.getTime() + n++ * 1000),
          actor: 'admin token',
          via: 'api',
          action,
          target,
          before: change.before,
          after: change.after,
          userIds,
        })
      for (const userId of everyone) {
        await record(
          't1',
          'user.permissions.add',
          userId,
          { after: [{ resourceServerIdentifier: 'https://e.example/', permissionName: 'read:e' }] },
          [userId],
        )
        await record('t1', 'grant.delete', `grt_${n}`, { before: { user_id: userId } }, [userId])
      }
      const note = 'e, a%, o"b\\x and _ are in this text, not users named by it'
      await record('t1', 'role.users.add', 'rol_1', { before: { note }, after: everyone }, everyone)
      await record('t1', 'client.update', 'e', { before: { name: 'e' }, after: { name: '_' } }, [])
      await record('t2', 'user.roles.add', 'e', { after: ['rol_e'] }, ['e'])

      const all = async (tenantId = 't1') =>
        (await store.auditLog.list(tenantId, { page: 0, perPage: 100 })).items
      const gone: string[] = []
      for (const userId of erased) {
        await store.users.erase('t1', userId)
        gone.push(userId)
        const left = await all()
        const kept = everyone.filter((id) => !gone.includes(id))
        // Every entry naming only an erased user went; every other user's entries are intact.
        for (const id of gone) expect(left.filter((e) => e.userIds.includes(id))).toEqual([])
        for (const id of kept) {
          const own = left.filter((e) => e.userIds.length === 1 && e.userIds[0] === id)
          expect(own.map((e) => e.action)).toEqual(['grant.delete', 'user.permissions.add'])
          expect(own.find((e) => e.action === 'grant.delete')?.before).toEqual({ user_id: id })
          expect(own.find((e) => e.action === 'user.permissions.add')?.target).toBe(id)
        }
        // The entry naming several users stays for the others, the erased ones redacted.
        const shared = left.find((e) => e.action === 'role.users.add')
        expect(shared?.userIds).toEqual([...kept].sort())
        expect(shared?.after).toEqual(everyone.map((id) => (gone.includes(id) ? '[erased]' : id)))
        expect(shared?.before).toEqual({ note })
        // An entry naming no user stays whole, whatever its text holds.
        expect(left.find((e) => e.action === 'client.update')).toMatchObject({
          target: 'e',
          before: { name: 'e' },
          after: { name: '_' },
        })
        expect(left).toHaveLength(2 * kept.length + 2)
      }
      // Another tenant's entries are its own.
      expect((await all('t2')).map((e) => e.userIds)).toEqual([['e']])
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

    it('stores resource labels per resource and locale, and replaces them on update', async () => {
      const labels = {
        messages: {
          de: { heading: 'Nachrichten', noun: 'Ihre Nachrichten' },
          ja: { heading: 'メッセージ', noun: 'メッセージ' },
        },
      }
      const created = await store.resourceServers.create('t1', {
        ...server,
        consentResources: labels,
      })
      expect(created.consentResources).toEqual(labels)
      expect((await store.resourceServers.find('t1', 'rs_1'))?.consentResources).toEqual(labels)
      // Other changes keep them.
      await store.resourceServers.update('t1', 'rs_1', { name: 'Renamed' })
      expect((await store.resourceServers.find('t1', 'rs_1'))?.consentResources).toEqual(labels)
      const replaced = { contacts: { fr: { heading: 'Contacts', noun: 'vos contacts' } } }
      const updated = await store.resourceServers.update('t1', 'rs_1', {
        consentResources: replaced,
      })
      expect(updated?.consentResources).toEqual(replaced)
      const listed = await store.resourceServers.list('t1', { page: 0, perPage: 10 })
      expect(listed.items[0]?.consentResources).toEqual(replaced)
      // An API created without labels has none.
      const bare = await store.resourceServers.create('t1', {
        ...server,
        id: 'rs_2',
        identifier: 'urn:bare',
      })
      expect(bare.consentResources).toEqual({})
      expect((await store.resourceServers.find('t1', 'rs_2'))?.consentResources).toEqual({})
    })

    it('stores detail types with their schemas and templates (DESIGN §3.9)', async () => {
      const types = [
        {
          type: 'payment_initiation',
          schema: { type: 'object', required: ['creditorName'] },
          consentTemplates: { en: 'Pay {instructedAmount} to {creditorName}' },
        },
      ]
      const created = await store.resourceServers.create('t1', {
        ...server,
        authorizationDetails: types,
      })
      expect(created.authorizationDetails).toEqual(types)
      await store.resourceServers.update('t1', 'rs_1', { name: 'Renamed' })
      expect((await store.resourceServers.find('t1', 'rs_1'))?.authorizationDetails).toEqual(types)
      const updated = await store.resourceServers.update('t1', 'rs_1', { authorizationDetails: [] })
      expect(updated?.authorizationDetails).toEqual([])
      const bare = await store.resourceServers.create('t1', {
        ...server,
        id: 'rs_2',
        identifier: 'urn:bare',
      })
      expect((await store.resourceServers.find('t1', bare.id))?.authorizationDetails).toEqual([])
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
      await expect(
        store.clients.create('t1', {
          clientId: 'c1',
          name: 'Again',
          description: '',
          logoUri: null,
          isFirstParty: false,
          callbacks: [],
          appType: null,
        }),
      ).rejects.toMatchObject({ name: 'ConflictError', subject: 'client' })
    })

    it("keeps a client's links, and when a self-registered one registered (DESIGN §3.10)", async () => {
      await store.clients.create('t1', {
        clientId: 'agent',
        name: 'Agent',
        description: '',
        logoUri: null,
        isFirstParty: false,
        callbacks: [],
        appType: null,
        isDynamic: true,
        clientUri: 'https://agent.example/',
        policyUri: 'https://agent.example/privacy',
        tosUri: 'https://agent.example/terms',
      })
      const stored = await store.clients.get('t1', 'agent')
      expect(stored).toMatchObject({
        isDynamic: true,
        clientUri: 'https://agent.example/',
        policyUri: 'https://agent.example/privacy',
        tosUri: 'https://agent.example/terms',
      })
      expect(stored?.registeredAt).toBeInstanceOf(Date)
      const updated = await store.clients.update('t1', 'agent', { policyUri: null, tosUri: null })
      expect(updated).toMatchObject({ isDynamic: true, policyUri: null, tosUri: null })
      expect(updated?.registeredAt).toEqual(stored?.registeredAt)
      await store.clients.create('t1', {
        clientId: 'plain',
        name: 'Plain',
        description: '',
        logoUri: null,
        isFirstParty: false,
        callbacks: [],
        appType: null,
      })
      expect(await store.clients.get('t1', 'plain')).toMatchObject({
        isDynamic: false,
        registeredAt: null,
        clientUri: null,
      })
    })

    const client = (clientId: string, name: string) => ({
      clientId,
      name,
      description: '',
      logoUri: null,
      isFirstParty: false,
      callbacks: ['https://app.example/cb'],
      appType: null,
    })

    it('keeps client ids per tenant (DESIGN §6): two tenants may both have client `web`', async () => {
      await store.tenants.create({
        id: 't2',
        domains: ['two.example'],
        settings: { friendly_name: 'Two', flags: {} },
      })
      await store.clients.create('t1', client('web', 'One’s app'))
      await store.clients.create('t2', client('web', 'Two’s app'))
      expect((await store.clients.get('t1', 'web'))?.name).toBe('One’s app')
      expect((await store.clients.get('t2', 'web'))?.name).toBe('Two’s app')
      const names = async (tenantId: string) =>
        (await store.clients.list(tenantId, { page: 0, perPage: 10 })).items.map((c) => c.name)
      expect(await names('t1')).toEqual(['One’s app'])
      expect(await names('t2')).toEqual(['Two’s app'])
      expect((await store.clients.update('t2', 'web', { name: 'Renamed' }))?.name).toBe('Renamed')
      expect((await store.clients.get('t1', 'web'))?.name).toBe('One’s app')
      await store.grants.merge('t1', 'u1', 'web', server.identifier, ['read:messages'])
      await store.grants.merge('t2', 'u1', 'web', server.identifier, ['write:messages'])

      expect(await store.clients.delete('t1', 'web')).toBe(true)
      expect(await store.clients.get('t1', 'web')).toBeUndefined()
      expect((await store.clients.get('t2', 'web'))?.name).toBe('Renamed')
      expect(await store.grants.find('t1', 'u1', 'web', server.identifier)).toBeUndefined()
      expect((await store.grants.find('t2', 'u1', 'web', server.identifier))?.scope).toEqual([
        'write:messages',
      ])
      expect(await store.clients.delete('t1', 'web')).toBe(false)
    })

    it("keeps Auth0's fields of clients, roles and settings as sent, and filters clients (DESIGN §4.2.1)", async () => {
      const kept = {
        grant_types: ['authorization_code'],
        refresh_token: null,
        jwt: { alg: 'RS256' },
      }
      await store.clients.create('t1', {
        ...client('spa', 'Shop 100%_'),
        appType: 'spa',
        auth0: kept,
      })
      await store.clients.create('t1', { ...client('job', 'Billing'), appType: 'non_interactive' })
      expect((await store.clients.get('t1', 'spa'))?.auth0).toEqual(kept)
      expect((await store.clients.get('t1', 'job'))?.auth0).toEqual({})
      await store.clients.update('t1', 'spa', { auth0: { ...kept, refresh_token: { leeway: 0 } } })
      expect((await store.clients.get('t1', 'spa'))?.auth0).toEqual({
        ...kept,
        refresh_token: { leeway: 0 },
      })
      const ids = async (filter: Parameters<Store['clients']['list']>[2]) =>
        (await store.clients.list('t1', { page: 0, perPage: 10 }, filter)).items.map(
          (c) => c.clientId,
        )
      expect(await ids({ appTypes: ['spa', 'native'] })).toEqual(['spa'])
      expect(await ids({ isFirstParty: true })).toEqual([])
      expect(await ids({ q: 'BILL' })).toEqual(['job'])
      expect(await ids({ q: '%_' })).toEqual(['spa'])
      expect(await ids({ q: '_' })).toEqual(['spa'])
      expect(await ids({ q: 'zzz' })).toEqual([])

      await store.roles.create('t1', {
        id: 'rol_0Vq0TUJN8mSjPzVh',
        name: 'Admin',
        description: '',
        auth0: { type: 'tenant' },
      })
      expect((await store.roles.get('t1', 'rol_0Vq0TUJN8mSjPzVh'))?.auth0).toEqual({
        type: 'tenant',
      })
      await store.roles.update('t1', 'rol_0Vq0TUJN8mSjPzVh', { name: 'Admins' })
      expect(await store.roles.get('t1', 'rol_0Vq0TUJN8mSjPzVh')).toMatchObject({
        name: 'Admins',
        auth0: { type: 'tenant' },
      })
      const tenant = await store.tenants.updateSettings('t1', {
        friendly_name: 'One',
        flags: {},
        auth0: { support_email: 'a@b.example', error_page: null },
      })
      expect(tenant?.settings.auth0).toEqual({ support_email: 'a@b.example', error_page: null })
    })

    it('adds, lists and removes the permissions of a role and of a user alike', async () => {
      const ref = (permissionName: string) => ({
        resourceServerIdentifier: server.identifier,
        permissionName,
      })
      await store.roles.create('t1', { id: 'rol_p', name: 'Poster', description: '' })
      await store.roles.addPermissions('t1', 'rol_p', [ref('write:messages'), ref('read:messages')])
      await store.roles.addPermissions('t1', 'rol_p', [ref('read:messages')])
      const firstPage = await store.roles.permissions('t1', 'rol_p', { page: 0, perPage: 1 })
      expect(firstPage).toEqual({ items: [ref('read:messages')], total: 2 })
      await store.roles.removePermissions('t1', 'rol_p', [ref('read:messages')])
      expect(
        (await store.roles.permissions('t1', 'rol_p', { page: 0, perPage: 10 })).items,
      ).toEqual([ref('write:messages')])

      await store.permissions.grantToUser('t1', 'u1', server.identifier, ['read:messages'])
      await store.permissions.grantToUser('t1', 'u2', server.identifier, ['read:messages'])
      await store.permissions.removeFromUser('t1', 'u1', [ref('read:messages')])
      expect((await store.permissions.namesFor('t1', 'u1', server.identifier)).size).toBe(0)
      expect([...(await store.permissions.namesFor('t1', 'u2', server.identifier))]).toEqual([
        'read:messages',
      ])
      // A role's permissions reach its users; the role's and the user's tables stay apart.
      await store.userRoles.add('t1', 'u1', ['rol_p'])
      expect([...(await store.permissions.namesFor('t1', 'u1', server.identifier))]).toEqual([
        'write:messages',
      ])
      await store.roles.addUsers('t1', 'rol_p', ['u1', 'u3'])
      expect(
        (await store.roles.users('t1', 'rol_p', { page: 0, perPage: 10 })).items.map(
          (u) => u.userId,
        ),
      ).toEqual(['u1', 'u3'])
      await store.userRoles.remove('t1', 'u1', ['rol_p'])
      expect((await store.userRoles.list('t1', 'u1', { page: 0, perPage: 10 })).total).toBe(0)
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

    it('lists users most recently seen first, found by any part of id, name or email', async () => {
      await store.users.remember('t1', { userId: 'auth0|ana', name: 'Ana Silva', email: null })
      await store.users.remember('t1', { userId: 'u_50%', name: null, email: 'Bo@Example.com' })
      await store.users.remember('t1', { userId: 'u_3', name: 'Chen', email: 'chen@x.example' })
      await store.tenants.create({
        id: 't2',
        domains: ['two.example'],
        settings: { friendly_name: 'Two', flags: {} },
      })
      await store.users.remember('t2', { userId: 'elsewhere', name: 'Ana', email: null })
      const page = { page: 0, perPage: 10 }
      const ids = async (search?: string, p = page) =>
        (await store.users.list('t1', p, search)).items.map((u) => u.userId)
      expect((await store.users.list('t1', page)).total).toBe(3)
      expect(await ids('ANA')).toEqual(['auth0|ana'])
      expect(await ids('example.com')).toEqual(['u_50%'])
      expect(await ids('auth0|')).toEqual(['auth0|ana'])
      // Wildcards and quotes are text, not patterns or SQL.
      expect(await ids('%')).toEqual(['u_50%'])
      expect(await ids('_')).toEqual(['u_3', 'u_50%'])
      expect(await ids("' or 1=1 --")).toEqual([])
      expect((await store.users.list('t1', { page: 1, perPage: 2 })).items).toHaveLength(1)
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

    const pending = (id: string, overrides: Record<string, unknown> = {}) => ({
      id,
      tenantId: 't1',
      clientId: 'c1',
      userId: 'u1',
      userName: null,
      audience: server.identifier,
      requestedScopes: ['openid', 'read:messages'],
      effectiveScopes: ['openid', 'read:messages'],
      droppedScopes: [],
      promptScopes: ['openid', 'read:messages'],
      grantedScopes: null,
      prompt: null,
      uiLocales: null,
      returnTo: 'https://as.example/resume',
      state: null,
      redirectUri: 'https://app.example/cb',
      status: 'pending' as const,
      error: null,
      createdAt: at,
      expiresAt: new Date(at.getTime() + 600_000),
      ...overrides,
    })

    it('answers a request once, granting nothing until the verify, which grants once', async () => {
      await store.consentRequests.create(pending('req_answer_0000000001'))
      await openPage(store, 't1', 'req_answer_0000000001')
      // Read before the answer too: what a store keeps of a request must not outlive the answer.
      expect((await store.consentRequests.get('t1', 'req_answer_0000000001'))?.status).toBe(
        'pending',
      )
      const later = new Date(at.getTime() + 1000)
      const first = await store.consentRequests.answer('t1', 'req_answer_0000000001', {
        action: 'accept',
        at: later,
        scopes: ['openid', 'read:messages'],
        verifierHash: 'verifier-hash',
        ...ON_PAGE,
      })
      expect(first.outcome).toBe('answered')
      const again = await store.consentRequests.answer('t1', 'req_answer_0000000001', {
        action: 'deny',
        at: later,
        error: 'access_denied',
        verifierHash: 'h2',
        ...ON_PAGE,
      })
      expect(again.outcome).toBe('already_answered')
      expect(await store.consentRequests.get('t1', 'req_answer_0000000001')).toMatchObject({
        status: 'accepted',
        grantedScopes: ['openid', 'read:messages'],
        answeredAt: later,
        verifierHash: 'verifier-hash',
        verifiedAt: null,
      })
      // An answer alone grants nothing (DESIGN §3.2).
      expect(await store.grants.find('t1', 'u1', 'c1', server.identifier)).toBeUndefined()
      const verifiedAt = new Date(later.getTime() + 500)
      const scopes = ['openid', 'read:messages']
      const [one, two] = await Promise.all([
        store.consentRequests.verify('t1', 'req_answer_0000000001', verifiedAt, scopes),
        store.consentRequests.verify('t1', 'req_answer_0000000001', verifiedAt, scopes),
      ])
      expect([one.outcome, two.outcome].sort()).toEqual(['unchanged', 'verified'])
      expect((await store.consentRequests.get('t1', 'req_answer_0000000001'))?.verifiedAt).toEqual(
        verifiedAt,
      )
      expect((await store.grants.find('t1', 'u1', 'c1', server.identifier))?.scope).toEqual([
        'openid',
        'read:messages',
      ])
      expect(
        (await store.consentRequests.verify('t2', 'req_answer_0000000001', at, [])).outcome,
      ).toBe('not_found')
      expect(
        (
          await store.consentRequests.answer('t1', 'nope', {
            action: 'deny',
            at: later,
            error: 'access_denied',
            verifierHash: 'h',
            ...ON_PAGE,
          })
        ).outcome,
      ).toBe('not_found')
      expect(
        (
          await store.consentRequests.answer('t2', 'req_answer_0000000001', {
            action: 'deny',
            at: later,
            error: 'access_denied',
            verifierHash: 'h',
            ...ON_PAGE,
          })
        ).outcome,
      ).toBe('not_found')
    })

    it('binds a request to the first browser only', async () => {
      await store.consentRequests.create(pending('req_bind_00000000001'))
      expect(
        (await store.consentRequests.get('t1', 'req_bind_00000000001'))?.bindingHash,
      ).toBeNull()
      const [a, b] = await Promise.all([
        store.consentRequests.bind('t1', 'req_bind_00000000001', 'browser-a', SHOWN),
        store.consentRequests.bind('t1', 'req_bind_00000000001', 'browser-b', OTHER_PAGE),
      ])
      expect(a?.bindingHash).toBe(b?.bindingHash)
      const winner = a?.bindingHash
      expect(['browser-a', 'browser-b']).toContain(winner)
      expect(
        (await store.consentRequests.bind('t1', 'req_bind_00000000001', 'browser-c', SHOWN))
          ?.bindingHash,
      ).toBe(winner)
      const bound = await store.consentRequests.get('t1', 'req_bind_00000000001')
      expect(bound?.bindingHash).toBe(winner)
      // The page recorded is the winner's first view; a later binding attempt records nothing.
      expect(bound?.shown?.rendition).toBe(
        winner === 'browser-a' ? SHOWN.rendition : OTHER_PAGE.rendition,
      )
      expect(
        await store.consentRequests.bind('t2', 'req_bind_00000000001', 'browser-d', SHOWN),
      ).toBeUndefined()
      // The view that bound it is counted, once, on its day; the later attempts count nothing.
      expect(await store.stats.range('t1', '2026-11-24', '2026-11-24')).toEqual([
        { day: '2026-11-24', clientId: 'c1', metric: 'shown', scope: '', count: 1 },
      ])
      expect(await store.stats.range('t2', '2026-11-24', '2026-11-24')).toEqual([])
    })

    it('counts each first view with its binding, adding to the day it falls on', async () => {
      for (const id of ['req_count_0000000001', 'req_count_0000000002'])
        await store.consentRequests.create(pending(id))
      await store.consentRequests.bind('t1', 'req_count_0000000001', 'browser-a', SHOWN)
      await store.consentRequests.bind('t1', 'req_count_0000000002', 'browser-b', OTHER_PAGE)
      await store.consentRequests.bind('t1', 'req_count_0000000002', 'browser-b', OTHER_PAGE)
      await store.consentRequests.bind('t1', 'req_count_0000000404', 'browser-b', SHOWN)
      expect(await store.stats.range('t1', '2026-11-24', '2026-11-24')).toEqual([
        { day: '2026-11-24', clientId: 'c1', metric: 'shown', scope: '', count: 2 },
      ])
    })

    it('keeps a device sign-in, its page and the "Not you?" URL (DESIGN §3.10)', async () => {
      const device = { userCode: 'WDJB-MJHT', name: 'Living room TV' }
      await store.consentRequests.create(
        pending('req_device_000000001', {
          redirectUri: '',
          device,
          switchAccountUrl: 'https://as.example/switch',
        }),
      )
      await store.consentRequests.create(pending('req_plain_0000000001'))
      expect(await store.consentRequests.get('t1', 'req_device_000000001')).toMatchObject({
        redirectUri: '',
        device,
        switchAccountUrl: 'https://as.example/switch',
      })
      expect(await store.consentRequests.get('t1', 'req_plain_0000000001')).toMatchObject({
        device: null,
        switchAccountUrl: null,
      })
      const page = { ...OTHER_PAGE, device }
      const shown = await store.consentRequests.show('t1', 'req_device_000000001', page)
      expect(shown?.shown).toEqual(page)
      expect((await store.consentRequests.get('t1', 'req_device_000000001'))?.shown).toEqual(page)
    })

    it('keeps a request’s RFC 9396 entries as sent, its page’s lines for them and the entries approved (DESIGN §3.9)', async () => {
      const entries = [
        { type: 'payment_initiation', instructedAmount: { currency: 'EUR', amount: '123.50' } },
        { type: 'payment_initiation', creditorName: 'Merchant "B" \\ \u00e9', n: 1.5, ok: true },
      ]
      await store.consentRequests.create(
        pending('req_details_00000001', { authorizationDetails: entries }),
      )
      await store.consentRequests.create(pending('req_nodetail_0000001'))
      expect(await store.consentRequests.get('t1', 'req_details_00000001')).toMatchObject({
        authorizationDetails: entries,
        approvedDetails: null,
      })
      expect(await store.consentRequests.get('t1', 'req_nodetail_0000001')).toMatchObject({
        authorizationDetails: null,
        approvedDetails: null,
      })
      const page = {
        ...SHOWN,
        details: [
          {
            index: 0,
            type: 'payment_initiation',
            text: 'Pay €123.50',
            fields: [],
            kind: 'optional',
          },
          {
            index: 1,
            type: 'payment_initiation',
            text: 'Pay Merchant "B"',
            fields: [['creditor name', 'Merchant "B"']],
            kind: 'optional',
          },
        ],
      } as const
      await store.consentRequests.bind('t1', 'req_details_00000001', 'browser', page)
      expect((await store.consentRequests.get('t1', 'req_details_00000001'))?.shown).toEqual(page)
      const answered = await store.consentRequests.answer('t1', 'req_details_00000001', {
        action: 'accept',
        at,
        scopes: ['openid'],
        approvedDetails: [1],
        verifierHash: 'h',
        shown: page,
      })
      expect(answered.outcome === 'answered' && answered.request.approvedDetails).toEqual([1])
      expect(
        (await store.consentRequests.get('t1', 'req_details_00000001'))?.approvedDetails,
      ).toEqual([1])
    })

    it('records the latest page shown, and writes an answer only on that page', async () => {
      await store.consentRequests.create(pending('req_page_00000000001'))
      await openPage(store, 't1', 'req_page_00000000001')
      expect(await store.consentRequests.get('t1', 'req_page_00000000001')).toMatchObject({
        shown: SHOWN,
      })
      // Another language: the new page is the latest, with its own time.
      const shown = await store.consentRequests.show('t1', 'req_page_00000000001', OTHER_PAGE)
      expect(shown?.shown).toEqual(OTHER_PAGE)
      expect((await store.consentRequests.get('t1', 'req_page_00000000001'))?.shown).toEqual(
        OTHER_PAGE,
      )
      // An answer made on the first page (an old tab) is not written: the request stays pending.
      const old = await store.consentRequests.answer('t1', 'req_page_00000000001', {
        action: 'accept',
        at,
        scopes: ['openid'],
        verifierHash: 'h',
        shown: SHOWN,
      })
      expect(old.outcome).toBe('stale')
      expect((await store.consentRequests.get('t1', 'req_page_00000000001'))?.status).toBe(
        'pending',
      )
      const latest = await store.consentRequests.answer('t1', 'req_page_00000000001', {
        action: 'accept',
        at,
        scopes: ['openid'],
        verifierHash: 'h',
        shown: OTHER_PAGE,
      })
      expect(latest.outcome).toBe('answered')
      // Answered, the page it was answered on stays: a later render records nothing.
      const after = await store.consentRequests.show('t1', 'req_page_00000000001', SHOWN)
      expect(after?.status).toBe('accepted')
      expect(after?.shown).toEqual(OTHER_PAGE)
      expect(await store.consentRequests.show('t2', 'req_page_00000000001', SHOWN)).toBeUndefined()
    })

    it('refuses an expired request, and stores nothing for a denial but the answer', async () => {
      await store.consentRequests.create(pending('req_expired_00000001'))
      await openPage(store, 't1', 'req_expired_00000001')
      const late = new Date(at.getTime() + 600_000)
      expect(
        (
          await store.consentRequests.answer('t1', 'req_expired_00000001', {
            action: 'accept',
            at: late,
            scopes: ['openid'],
            verifierHash: 'h',
            ...ON_PAGE,
          })
        ).outcome,
      ).toBe('expired')
      await store.consentRequests.create(pending('req_denied_000000001'))
      await openPage(store, 't1', 'req_denied_000000001')
      expect(
        (
          await store.consentRequests.answer('t1', 'req_denied_000000001', {
            action: 'deny',
            at,
            error: 'access_denied',
            verifierHash: 'h',
            ...ON_PAGE,
          })
        ).outcome,
      ).toBe('answered')
      expect(await store.consentRequests.get('t1', 'req_denied_000000001')).toMatchObject({
        status: 'denied',
        error: 'access_denied',
        verifierHash: 'h',
      })
      expect(await store.grants.find('t1', 'u1', 'c1', server.identifier)).toBeUndefined()
    })

    it('deletes a client with its grants and consent requests, and nothing of other clients', async () => {
      await store.clients.create('t1', client('c1', 'Gone'))
      await store.clients.create('t1', client('c2', 'Kept'))
      await store.grants.merge('t1', 'u1', 'c1', server.identifier, ['read:messages'])
      await store.grants.merge('t1', 'u1', 'c2', server.identifier, ['read:messages'])
      await store.consentRequests.create(pending('req_gone_000000000001'))
      await openPage(store, 't1', 'req_gone_000000000001')
      await store.consentRequests.create(pending('req_kept_000000000001', { clientId: 'c2' }))
      await openPage(store, 't1', 'req_kept_000000000001')
      // Read first: what a store keeps of a request must not outlive its client.
      expect(await store.consentRequests.get('t1', 'req_gone_000000000001')).toBeDefined()

      expect(await store.clients.delete('t1', 'c1')).toBe(true)
      expect(await store.grants.find('t1', 'u1', 'c1', server.identifier)).toBeUndefined()
      expect(await store.consentRequests.get('t1', 'req_gone_000000000001')).toBeUndefined()
      expect(
        (
          await store.consentRequests.answer('t1', 'req_gone_000000000001', {
            action: 'accept',
            at,
            scopes: ['read:messages'],
            verifierHash: 'h',
            ...ON_PAGE,
          })
        ).outcome,
      ).toBe('not_found')
      expect(await store.grants.find('t1', 'u1', 'c1', server.identifier)).toBeUndefined()
      expect(await store.grants.find('t1', 'u1', 'c2', server.identifier)).toBeDefined()
      expect((await store.consentRequests.get('t1', 'req_kept_000000000001'))?.status).toBe(
        'pending',
      )
      // Created again, the client starts with nothing.
      await store.clients.create('t1', client('c1', 'Again'))
      expect(await store.grants.find('t1', 'u1', 'c1', server.identifier)).toBeUndefined()
    })

    it('imports a grant with its versions and receipt in one transaction; a receipt that cannot be stored writes no grant', async () => {
      await store.clients.create('t1', client('c1', 'Client one'))
      const receipt = (id: string): SideEffects => ({
        receipt: {
          id,
          tenantId: 't1',
          userId: 'u1',
          clientId: 'c1',
          action: 'import',
          claims: {} as never,
          jws: 'x.y.z',
          recordedAt: at,
        },
      })
      const key = { userId: 'u1', clientId: 'c1', audience: server.identifier }
      const grant = await store.grants.import(
        't1',
        key,
        ['read:messages'],
        { 'read:messages': 3 },
        receipt('rcp_import_1'),
      )
      expect(grant.scope).toEqual(['read:messages'])
      expect(grant.details['read:messages']?.version).toBe(3)
      expect((await store.receipts.get('t1', 'rcp_import_1'))?.action).toBe('import')
      // The same receipt id again cannot be stored: the second import leaves the grant as it was.
      await expect(
        store.grants.import('t1', key, ['write:messages'], {}, receipt('rcp_import_1')),
      ).rejects.toThrow()
      expect((await store.grants.find('t1', 'u1', 'c1', server.identifier))?.scope).toEqual([
        'read:messages',
      ])
    })

    it('purges requests that expired or were answered before a time, and only those', async () => {
      const hour = 3_600_000
      const later = (ms: number) => new Date(at.getTime() + ms)
      // Expired unanswered at +10 min.
      await store.consentRequests.create(pending('req_purge_expired_001'))
      await openPage(store, 't1', 'req_purge_expired_001')
      // Answered at +1 s.
      await store.consentRequests.create(pending('req_purge_answered_01'))
      await openPage(store, 't1', 'req_purge_answered_01')
      await store.consentRequests.answer('t1', 'req_purge_answered_01', {
        action: 'deny',
        at: later(1000),
        error: 'access_denied',
        verifierHash: 'h',
        ...ON_PAGE,
      })
      // Accepted without a page at creation: answered when created.
      await store.consentRequests.create(
        pending('req_purge_accepted_01', {
          status: 'accepted',
          promptScopes: [],
          grantedScopes: ['openid'],
        }),
      )
      // Answered after the cut.
      await store.consentRequests.create(
        pending('req_purge_answered_02', {
          createdAt: later(hour - 1000),
          expiresAt: later(hour + 599_000),
        }),
      )
      await openPage(store, 't1', 'req_purge_answered_02')
      const answered = await store.consentRequests.answer('t1', 'req_purge_answered_02', {
        action: 'deny',
        at: later(hour + 1000),
        error: 'access_denied',
        verifierHash: 'h',
        ...ON_PAGE,
      })
      expect(answered.outcome).toBe('answered')
      // Pending, expiring after the cut.
      await store.consentRequests.create(
        pending('req_purge_pending_001', {
          createdAt: later(hour - 60_000),
          expiresAt: later(hour + 540_000),
        }),
      )
      // Read first: what a store keeps of a request must not outlive its purge.
      expect(await store.consentRequests.get('t1', 'req_purge_accepted_01')).toBeDefined()

      expect(await store.consentRequests.purge(later(hour))).toBe(3)
      for (const id of ['req_purge_expired_001', 'req_purge_answered_01', 'req_purge_accepted_01'])
        expect(await store.consentRequests.get('t1', id)).toBeUndefined()
      for (const id of ['req_purge_answered_02', 'req_purge_pending_001'])
        expect(await store.consentRequests.get('t1', id)).toBeDefined()
      // Idempotent: another instance purging the same moment finds nothing left.
      expect(await store.consentRequests.purge(later(hour))).toBe(0)
    })

    it('lets exactly one of many racing answers win', async () => {
      await store.consentRequests.create(pending('req_race_00000000001'))
      await openPage(store, 't1', 'req_race_00000000001')
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.consentRequests.answer(
            't1',
            'req_race_00000000001',
            i % 2 === 0
              ? { action: 'accept', at, scopes: ['openid'], verifierHash: `h${i}`, ...ON_PAGE }
              : { action: 'deny', at, error: 'access_denied', verifierHash: `h${i}`, ...ON_PAGE },
          ),
        ),
      )
      expect(outcomes.filter((o) => o.outcome === 'answered')).toHaveLength(1)
      expect(outcomes.filter((o) => o.outcome === 'already_answered')).toHaveLength(7)
    })

    it('keeps the receipt, events and counts of every one of many verifies made at once; one that cannot be stored fails alone', async () => {
      await store.clients.create('t1', client('c1', 'Client one'))
      await store.webhooks.create('t1', {
        id: 'wh_all',
        url: 'https://as.example/hook',
        events: ['consent.accepted'],
        secret: 's',
        createdAt: at,
      })
      const ids = Array.from({ length: 6 }, (_, i) => `req_many_00000000${i}0`)
      for (const id of ids) {
        await store.consentRequests.create(pending(id, { userId: id }))
        await openPage(store, 't1', id)
        await store.consentRequests.answer('t1', id, {
          action: 'accept',
          at,
          scopes: ['openid'],
          verifierHash: 'h',
          ...ON_PAGE,
        })
      }
      const effects = (id: string, receiptId = `rcp_${id}`): SideEffects => ({
        receipt: {
          id: receiptId,
          tenantId: 't1',
          userId: id,
          clientId: 'c1',
          action: 'accept',
          claims: {} as never,
          jws: 'x.y.z',
          recordedAt: at,
        },
        events: [{ id: `msg_${id}`, type: 'consent.accepted', userId: id, payload: {} }],
        stats: [{ clientId: 'c1', metric: 'accepted', scope: '', count: 1 }],
      })
      const first = ids[0] ?? ''
      await store.consentRequests.verify('t1', first, at, ['openid'], {}, effects(first))
      // Together, the last one's receipt taking the first one's id.
      const outcomes = await Promise.allSettled(
        ids
          .slice(1)
          .map((id, i) =>
            store.consentRequests.verify(
              't1',
              id,
              at,
              ['openid'],
              {},
              effects(id, i === ids.length - 2 ? `rcp_${first}` : undefined),
            ),
          ),
      )
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.outcome : 'failed'))).toEqual([
        'verified',
        'verified',
        'verified',
        'verified',
        'failed',
      ])
      const page = { page: 0, perPage: 50 }
      expect((await store.receipts.list('t1', { clientId: 'c1' }, page)).total).toBe(5)
      expect(
        (await store.webhooks.claim(at, 50, 60_000)).map((item) => item.messageId).sort(),
      ).toEqual(ids.slice(0, 5).map((id) => `msg_${id}`))
      // The verified answers are counted, and each page's first view once, as `shown`.
      const counts = await store.stats.range('t1', '2026-11-24', '2026-11-24')
      expect(counts.filter((count) => count.metric === 'accepted')).toEqual([
        { day: '2026-11-24', clientId: 'c1', metric: 'accepted', scope: '', count: 5 },
      ])
      expect(counts.filter((count) => count.metric === 'shown')).toEqual([
        { day: '2026-11-24', clientId: 'c1', metric: 'shown', scope: '', count: ids.length },
      ])
      expect((await store.consentRequests.get('t1', ids[5] ?? ''))?.verifiedAt).toBeNull()
      expect((await store.grants.list('t1', { clientId: 'c1' }, page)).total).toBe(5)
    })

    it('loses no scope when grants of one user and client are merged concurrently', async () => {
      const scopes = Array.from({ length: 12 }, (_, i) => `s:${i}`)
      await Promise.all(
        scopes.map((scope) => store.grants.merge('t1', 'u1', 'c1', server.identifier, [scope])),
      )
      const grant = await store.grants.find('t1', 'u1', 'c1', server.identifier)
      expect([...(grant?.scope ?? [])].sort()).toEqual([...scopes].sort())
      const all = await store.grants.list('t1', { userId: 'u1' }, { page: 0, perPage: 10 })
      expect(all.total).toBe(1)
    })

    it('creates one of two resource servers racing for an identifier, and refuses the other', async () => {
      const results = await Promise.allSettled([
        store.resourceServers.create('t1', { ...server, id: 'rs_a' }),
        store.resourceServers.create('t1', { ...server, id: 'rs_b' }),
      ])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect(refused.reason).toBeInstanceOf(ConflictError)
      expect(refused.reason).toMatchObject({ subject: 'resource_server' })
    })

    it('versions scopes: a reworded or re-added scope moves on, even across a re-created API', async () => {
      const created = await store.resourceServers.create('t1', server)
      expect(created.scopes.map((s) => s.version)).toEqual([1, 1])
      const reworded = await store.resourceServers.update('t1', 'rs_1', {
        scopes: [
          { value: 'read:messages', description: 'Read', descriptions: { fr: 'Lire tout' } },
          { value: 'write:messages', description: '' },
        ],
      })
      expect(reworded?.scopes.map((s) => s.version)).toEqual([2, 1])
      await store.resourceServers.update('t1', 'rs_1', {
        scopes: [{ value: 'write:messages', description: '' }],
      })
      const back = await store.resourceServers.update('t1', 'rs_1', {
        scopes: [
          { value: 'write:messages', description: '' },
          { value: 'read:messages', description: 'Read', descriptions: { fr: 'Lire tout' } },
        ],
      })
      expect(back?.scopes.map((s) => [s.value, s.version])).toEqual([
        ['write:messages', 1],
        ['read:messages', 3],
      ])
      expect((await store.resourceServers.find('t1', 'rs_1'))?.scopes).toEqual(back?.scopes)
      await store.resourceServers.delete('t1', 'rs_1')
      const again = await store.resourceServers.create('t1', server)
      expect(again.scopes.map((s) => s.version)).toEqual([4, 2])
      // Another tenant's API of the same identifier starts afresh.
      await store.tenants.create({
        id: 't2',
        domains: ['two.example'],
        settings: { friendly_name: 'Two', flags: {} },
      })
      const other = await store.resourceServers.create('t2', { ...server, id: 'rs_t2' })
      expect(other.scopes.map((s) => s.version)).toEqual([1, 1])
    })

    it('erases a user: grants, requests, receipts, permissions, roles and the user go; others stay', async () => {
      await store.resourceServers.create('t1', server)
      await store.clients.create('t1', client('c1', 'Client one'))
      for (const [id, userId] of [
        ['req_erase_gone_00001', 'u1'],
        ['req_erase_kept_00001', 'u2'],
      ] as const) {
        await store.consentRequests.create(pending(id, { userId }), { name: 'N', email: null })
        await openPage(store, 't1', id)
        await store.consentRequests.answer('t1', id, {
          action: 'accept',
          at,
          scopes: ['openid'],
          verifierHash: 'h',
          ...ON_PAGE,
        })
        const receipt = {
          id: `rcp_${id}`,
          tenantId: 't1',
          userId,
          clientId: 'c1',
          action: 'accept' as const,
          claims: {} as never,
          jws: 'x.y.z',
          recordedAt: at,
        }
        await store.consentRequests.verify('t1', id, at, ['openid'], {}, { receipt })
        await store.permissions.grantToUser('t1', userId, server.identifier, ['read:messages'])
      }
      await store.roles.create('t1', { id: 'rol_e', name: 'E', description: '' })
      await store.userRoles.add('t1', 'u1', ['rol_e'])

      await store.users.erase('t1', 'u1')
      const page = { page: 0, perPage: 50 }
      expect((await store.grants.list('t1', { userId: 'u1' }, page)).total).toBe(0)
      expect((await store.receipts.list('t1', { userId: 'u1' }, page)).total).toBe(0)
      expect(await store.consentRequests.get('t1', 'req_erase_gone_00001')).toBeUndefined()
      expect((await store.permissions.ofUser('t1', 'u1', page)).total).toBe(0)
      expect((await store.userRoles.list('t1', 'u1', page)).total).toBe(0)
      expect(await store.users.get('t1', 'u1')).toBeUndefined()
      // Another user keeps everything.
      expect((await store.grants.list('t1', { userId: 'u2' }, page)).total).toBe(1)
      expect((await store.receipts.list('t1', { userId: 'u2' }, page)).total).toBe(1)
      expect(await store.consentRequests.get('t1', 'req_erase_kept_00001')).toBeDefined()
    })

    it('keeps, per granted scope, the version shown and when it was granted', async () => {
      await store.clients.create('t1', client('c1', 'Client one'))
      await store.consentRequests.create(pending('req_versions_0000001'))
      await openPage(store, 't1', 'req_versions_0000001')
      await store.consentRequests.answer('t1', 'req_versions_0000001', {
        action: 'accept',
        at,
        scopes: ['openid', 'read:messages'],
        verifierHash: 'h',
        ...ON_PAGE,
      })
      const later = new Date(at.getTime() + 5000)
      await store.consentRequests.verify(
        't1',
        'req_versions_0000001',
        later,
        ['openid', 'read:messages'],
        {
          openid: 1,
          'read:messages': 3,
        },
      )
      const grant = await store.grants.find('t1', 'u1', 'c1', server.identifier)
      expect(grant?.details).toEqual({
        openid: { version: 1, at: later },
        'read:messages': { version: 3, at: later },
      })
    })

    it('keeps the durations a page offered and the one an accept chose, down to the grant (DESIGN §3.5.1)', async () => {
      await store.clients.create('t1', {
        ...client('c1', 'Client one'),
        consentDurationChoices: [3600, null],
      })
      expect((await store.clients.get('t1', 'c1'))?.consentDurationChoices).toEqual([3600, null])
      expect(
        (await store.clients.update('t1', 'c1', { consentDurationChoices: null }))
          ?.consentDurationChoices,
      ).toBeNull()
      const page = { ...SHOWN, durations: [3600, null] }
      for (const [id, chosen, detail] of [
        ['req_duration_000001', { seconds: 3600 }, { duration: 3600 }],
        ['req_duration_000002', { seconds: null }, {}],
      ] as const) {
        await store.consentRequests.create({ ...pending(id), userId: id })
        await store.consentRequests.bind('t1', id, 'browser', page)
        expect((await store.consentRequests.get('t1', id))?.shown).toEqual(page)
        const answered = await store.consentRequests.answer('t1', id, {
          action: 'accept',
          at,
          scopes: ['openid', 'read:messages'],
          verifierHash: 'h',
          shown: page,
          duration: chosen,
        })
        expect(answered.outcome).toBe('answered')
        expect((await store.consentRequests.get('t1', id))?.chosenDuration).toEqual(chosen)
        await store.consentRequests.verify('t1', id, at, ['read:messages'], { 'read:messages': 2 })
        expect((await store.grants.find('t1', id, 'c1', server.identifier))?.details).toEqual({
          'read:messages': { version: 2, at, ...detail },
        })
      }
      // A request answered with no choice offered chose nothing.
      await store.consentRequests.create(pending('req_duration_000003'))
      await openPage(store, 't1', 'req_duration_000003')
      await store.consentRequests.answer('t1', 'req_duration_000003', {
        action: 'accept',
        at,
        scopes: ['openid'],
        verifierHash: 'h',
        ...ON_PAGE,
      })
      expect((await store.consentRequests.get('t1', 'req_duration_000003'))?.chosenDuration).toBe(
        null,
      )
    })

    it('lists the self-registered clients, or the others (DESIGN §3.10)', async () => {
      await store.clients.create('t1', client('plain', 'Plain'))
      await store.clients.create('t1', { ...client('agent', 'Agent'), isDynamic: true })
      const all = { page: 0, perPage: 10 }
      const ids = async (filter?: { isDynamic?: boolean }) =>
        (await store.clients.list('t1', all, filter)).items.map((c) => c.clientId)
      expect((await ids()).sort()).toEqual(['agent', 'plain'])
      expect(await ids({ isDynamic: true })).toEqual(['agent'])
      expect(await ids({ isDynamic: false })).toEqual(['plain'])
      expect((await store.clients.list('t1', all, { isDynamic: true })).total).toBe(1)
    })

    it('writes an event for each subscribed endpoint with the change, and drops one whose endpoint is gone', async () => {
      const hook = (id: string, events: WebhookEventType[]) =>
        store.webhooks.create('t1', {
          id,
          url: `https://${id}.example/`,
          events,
          secret: 's',
          createdAt: at,
        })
      await hook('wh_accepted', ['consent.accepted'])
      await hook('wh_revoked', ['grant.revoked'])
      const event = (id: string) => ({
        id,
        type: 'consent.accepted' as const,
        userId: 'u1',
        payload: { consent_request_id: id },
      })
      const verified = async (id: string, effects: SideEffects) => {
        await store.consentRequests.create(pending(id))
        await openPage(store, 't1', id)
        await store.consentRequests.answer('t1', id, {
          action: 'accept',
          at,
          scopes: ['openid'],
          verifierHash: 'h',
          ...ON_PAGE,
        })
        await store.consentRequests.verify('t1', id, at, ['openid'], {}, effects)
      }
      await verified('req_events_000000001', { events: [event('msg_1')] })
      const [sent, ...more] = await store.webhooks.claim(at, 10, 60_000)
      expect(more).toEqual([])
      expect(sent).toMatchObject({ webhookId: 'wh_accepted', messageId: 'msg_1' })
      if (sent)
        await store.webhooks.settle(
          sent,
          { status: 200, error: null, delivered: true, nextAttemptAt: null },
          at,
        )

      // Written for an endpoint removed meanwhile: nothing to send, and nothing left to claim.
      await verified('req_events_000000002', {
        events: [event('msg_2')],
        endpoints: [{ id: 'wh_removed', events: ['consent.accepted'] }],
      })
      expect(await store.webhooks.claim(at, 10, 60_000)).toEqual([])
      expect(await store.webhooks.claim(new Date(at.getTime() + 120_000), 10, 60_000)).toEqual([])
    })

    it('caps endpoints per tenant, leases at most perEndpoint of each, and skips a disabled one until it is enabled', async () => {
      const hook = (id: string) =>
        store.webhooks.create(
          't1',
          {
            id,
            url: `https://${id}.example/`,
            events: ['consent.accepted'],
            secret: 's',
            createdAt: at,
          },
          2,
        )
      expect(await hook('wh_a')).toMatchObject({ id: 'wh_a', status: 'enabled' })
      await hook('wh_b')
      expect(await hook('wh_c')).toBeUndefined()
      expect((await store.webhooks.list('t1')).map((h) => h.id)).toEqual(['wh_a', 'wh_b'])

      await store.consentRequests.create(pending('req_fairs_0000000001'))
      await openPage(store, 't1', 'req_fairs_0000000001')
      await store.consentRequests.answer('t1', 'req_fairs_0000000001', {
        action: 'accept',
        at,
        scopes: ['openid'],
        verifierHash: 'h',
        ...ON_PAGE,
      })
      await store.consentRequests.verify(
        't1',
        'req_fairs_0000000001',
        at,
        ['openid'],
        {},
        {
          events: ['m1', 'm2', 'm3'].map((id) => ({
            id,
            type: 'consent.accepted' as const,
            userId: 'u1',
            payload: {},
          })),
        },
      )
      const claimed = await store.webhooks.claim(at, 10, 60_000, 2)
      expect(claimed.map((item) => item.webhookId).sort()).toEqual(['wh_a', 'wh_a', 'wh_b', 'wh_b'])
      // Both hold two: nothing more until one is settled or its lease ends.
      expect(await store.webhooks.claim(at, 10, 60_000, 2)).toEqual([])

      const [first, second] = claimed.filter((item) => item.webhookId === 'wh_a')
      const hour = 60 * 60 * 1000
      const later = (ms: number) => new Date(at.getTime() + ms)
      const failed = { status: 503, error: 'HTTP 503', delivered: false, nextAttemptAt: at }
      const settle = (item: typeof first, when: Date) =>
        item ? store.webhooks.settle(item, failed, when, { disableAfterMs: hour }) : undefined
      expect(await settle(first, at)).toEqual({ disabled: false })
      expect(await settle(second, later(hour))).toEqual({ disabled: true })
      expect((await store.webhooks.get('t1', 'wh_a'))?.status).toBe('disabled')

      // Leases over: only the enabled endpoint's events are handed out.
      const whileDisabled = await store.webhooks.claim(later(2 * hour), 10, 60_000, 2)
      expect(whileDisabled.map((item) => item.webhookId)).toEqual(['wh_b', 'wh_b'])

      expect(await store.webhooks.update('t1', 'wh_a', { status: 'enabled' })).toMatchObject({
        status: 'enabled',
      })
      const enabled = await store.webhooks.claim(later(2 * hour), 10, 60_000, 2)
      expect(enabled.map((item) => item.webhookId)).toEqual(['wh_a', 'wh_a'])
      // Enabled again, its day of failures starts afresh.
      expect(await settle(enabled[0], later(3 * hour))).toEqual({ disabled: false })
      expect(await store.webhooks.update('t1', 'wh_nope', { status: 'enabled' })).toBeUndefined()
    })

    it('adds to the day’s counts, a count given twice in one call included', async () => {
      const unticked = {
        clientId: 'c1',
        metric: 'unticked',
        scope: 'write:messages',
        count: 1,
      } as const
      await store.stats.add(
        't1',
        [{ ...unticked, metric: 'accepted', scope: '' }, unticked, unticked],
        at,
      )
      await store.stats.add('t1', [unticked, { ...unticked, scope: 'read:messages', count: 0 }], at)
      const nextDay = new Date(at.getTime() + 86_400_000)
      await store.stats.add('t1', [unticked], nextDay)
      const counts = await store.stats.range('t1', '2026-11-24', '2026-11-24')
      expect(
        counts
          .map(({ metric, scope, count }) => ({ metric, scope, count }))
          .sort((a, b) => a.metric.localeCompare(b.metric)),
      ).toEqual([
        { metric: 'accepted', scope: '', count: 1 },
        { metric: 'unticked', scope: 'write:messages', count: 3 },
      ])
      expect(await store.stats.range('t1', '2026-11-25', '2026-11-25')).toEqual([
        {
          day: '2026-11-25',
          clientId: 'c1',
          metric: 'unticked',
          scope: 'write:messages',
          count: 1,
        },
      ])
    })

    it('replaces scopes and drops the permissions on scopes removed', async () => {
      await store.resourceServers.create('t1', server)
      await store.permissions.grantToUser('t1', 'u1', server.identifier, [
        'read:messages',
        'write:messages',
      ])
      await store.roles.create('t1', { id: 'rol_1', name: 'Reader', description: '' })
      await store.roles.addPermissions('t1', 'rol_1', [
        { resourceServerIdentifier: server.identifier, permissionName: 'write:messages' },
      ])
      const updated = await store.resourceServers.update('t1', 'rs_1', {
        scopes: [{ value: 'read:messages', description: 'R' }],
      })
      expect(updated?.scopes).toEqual([{ value: 'read:messages', description: 'R', version: 2 }])
      expect([...(await store.permissions.namesFor('t1', 'u1', server.identifier))]).toEqual([
        'read:messages',
      ])
      expect((await store.roles.permissions('t1', 'rol_1', { page: 0, perPage: 10 })).total).toBe(0)
      expect(await store.resourceServers.delete('t1', 'rs_1')).toBe(true)
      expect((await store.permissions.namesFor('t1', 'u1', server.identifier)).size).toBe(0)
      expect(await store.resourceServers.delete('t1', 'rs_1')).toBe(false)
    })

    it('lists a user’s permissions with their sources, and roles with a name filter', async () => {
      await store.roles.create('t1', { id: 'rol_r', name: 'Message Reader', description: 'reads' })
      await store.roles.create('t1', { id: 'rol_w', name: 'Writer', description: '' })
      await expect(
        store.roles.create('t1', { id: 'rol_x', name: 'Writer', description: '' }),
      ).rejects.toBeInstanceOf(ConflictError)
      await expect(
        store.roles.update('t1', 'rol_w', { name: 'Message Reader' }),
      ).rejects.toMatchObject({ subject: 'role' })
      await store.roles.addPermissions('t1', 'rol_r', [
        { resourceServerIdentifier: 'https://a/', permissionName: 'read:x' },
      ])
      await store.userRoles.add('t1', 'u1', ['rol_r'])
      await store.permissions.grantToUser('t1', 'u1', 'https://a/', ['read:x', 'write:x'])
      const list = await store.permissions.ofUser('t1', 'u1', { page: 0, perPage: 10 })
      expect(list.items).toEqual([
        {
          resourceServerIdentifier: 'https://a/',
          permissionName: 'read:x',
          sources: [
            { type: 'DIRECT' },
            { type: 'ROLE', roleId: 'rol_r', roleName: 'Message Reader' },
          ],
        },
        {
          resourceServerIdentifier: 'https://a/',
          permissionName: 'write:x',
          sources: [{ type: 'DIRECT' }],
        },
      ])
      expect(
        (await store.roles.list('t1', { page: 0, perPage: 10 }, 'READ')).items.map((r) => r.id),
      ).toEqual(['rol_r'])
      expect((await store.roles.list('t1', { page: 0, perPage: 10 }, '%')).items).toEqual([])
      expect(await store.roles.delete('t1', 'rol_r')).toBe(true)
      expect(
        (await store.permissions.ofUser('t1', 'u1', { page: 0, perPage: 10 })).items.map(
          (p) => p.sources.length,
        ),
      ).toEqual([1, 1])
    })

    it('keeps admin sessions until they expire', async () => {
      const expiresAt = new Date(at.getTime() + 1000)
      await store.adminSessions.create(
        { id: 'hash1', tenantId: 't1', scopes: ['read:tenant_settings'], expiresAt },
        at,
      )
      expect(await store.adminSessions.get('hash1', at)).toEqual({
        id: 'hash1',
        tenantId: 't1',
        scopes: ['read:tenant_settings'],
        expiresAt,
      })
      expect(await store.adminSessions.get('hash1', expiresAt)).toBeUndefined()
      expect(await store.adminSessions.purgeExpired(expiresAt)).toBe(1)
    })

    it('uses a portal link once, keeping it, used, as long as the session it opened', async () => {
      const link: PortalSession = {
        id: 'link1',
        tenantId: 't1',
        userId: 'u1',
        kind: 'link',
        returnTo: null,
        uiLocales: 'fr',
        expiresAt: new Date(at.getTime() + 5 * 60_000),
        opened: null,
      }
      await store.portalSessions.create(link)
      expect(await store.portalSessions.link('link1', at)).toEqual(link)
      const sessionEnds = new Date(at.getTime() + 30 * 60_000)
      const open =
        (id: string) =>
        (used: PortalSession): PortalSession => ({
          ...used,
          id,
          kind: 'session',
          expiresAt: sessionEnds,
        })
      // Another tenant's request uses nothing; then of many racing uses exactly one wins.
      expect(await store.portalSessions.use('t2', 'link1', at, open('s0'))).toBeUndefined()
      const uses = await Promise.all(
        ['s1', 's2', 's3', 's4'].map((id) => store.portalSessions.use('t1', 'link1', at, open(id))),
      )
      const won = uses.filter((session) => session !== undefined)
      expect(won).toHaveLength(1)
      const session = won[0]
      expect(session).toMatchObject({ userId: 'u1', uiLocales: 'fr', kind: 'session' })
      expect(await store.portalSessions.get(session?.id ?? '', at)).toEqual(session)
      for (const lost of ['s0', 's1', 's2', 's3', 's4'].filter((id) => id !== session?.id))
        expect(await store.portalSessions.get(lost, at)).toBeUndefined()
      expect(await store.portalSessions.link('link1', at)).toEqual({
        ...link,
        kind: 'used',
        expiresAt: sessionEnds,
        opened: session?.id,
      })
      // A link is not a session, nor a session a link; both end when the session does.
      expect(await store.portalSessions.get('link1', at)).toBeUndefined()
      expect(await store.portalSessions.link(session?.id ?? '', at)).toBeUndefined()
      expect(await store.portalSessions.link('link1', sessionEnds)).toBeUndefined()
      expect(await store.portalSessions.get(session?.id ?? '', sessionEnds)).toBeUndefined()
    })

    it('uses no expired portal link', async () => {
      const expiresAt = new Date(at.getTime() + 1000)
      await store.portalSessions.create({
        id: 'old',
        tenantId: 't1',
        userId: 'u1',
        kind: 'link',
        returnTo: null,
        uiLocales: null,
        expiresAt,
        opened: null,
      })
      const open = (used: PortalSession): PortalSession => ({ ...used, id: 's', kind: 'session' })
      expect(await store.portalSessions.use('t1', 'old', expiresAt, open)).toBeUndefined()
      expect(await store.portalSessions.get('s', at)).toBeUndefined()
    })

    it('pages lists in a stable order', async () => {
      for (const id of ['rs_c', 'rs_a', 'rs_b'])
        await store.resourceServers.create('t1', { ...server, id, identifier: `urn:${id}` })
      const first = await store.resourceServers.list('t1', { page: 0, perPage: 2 })
      const second = await store.resourceServers.list('t1', { page: 1, perPage: 2 })
      expect(first.total).toBe(3)
      expect(new Set([...first.items, ...second.items].map((s) => s.id)).size).toBe(3)
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
        bindingHash: null,
        verifierHash: null,
        verifiedAt: null,
        granular: false,
        requiredScopes: [],
        declinedScopes: null,
        changedScopes: [],
        shown: null,
        receiptId: null,
        chosenDuration: null,
        device: null,
        switchAccountUrl: null,
        authorizationDetails: null,
        approvedDetails: null,
      })
      expect(await store.consentRequests.get('t2', request.id)).toBeUndefined()
    })
  })
}
