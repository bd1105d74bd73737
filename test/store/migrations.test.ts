import { type Kysely, Migrator } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { createKyselyStore } from '../../src/store/kysely/index.js'
import { migrations } from '../../src/store/migrations/index.js'
import type { Database } from '../../src/store/schema.js'
import { engines } from '../support/engines.js'

const migrator = (db: Kysely<Database>) =>
  new Migrator({ db, provider: { getMigrations: async () => migrations } })

describe.each(engines)('migration 2026-11-27-0001-clients-per-tenant on $name', (engine) => {
  let db: Kysely<Database> | undefined
  let drop: () => Promise<void> = async () => {}
  afterEach(async () => {
    await db?.destroy()
    await drop()
  })

  it.skipIf(engine.skip)('keeps every client, now keyed by tenant and client id', async () => {
    ;({ db, drop } = await engine.open())
    const before = await migrator(db).migrateTo('2026-11-24-0002-admin-sessions')
    expect(before.error).toBeUndefined()
    const at = '2026-11-24T10:00:00.000Z'
    await db
      .insertInto('tenants')
      .values(
        ['t1', 't2'].map((id) => ({
          id,
          settings: '{"flags":{}}',
          created_at: at,
          updated_at: at,
        })),
      )
      .execute()
    await db
      .insertInto('clients')
      .values({
        tenant_id: 't1',
        client_id: 'web',
        name: 'Web',
        description: 'd',
        logo_uri: 'https://app.example/logo.png',
        is_first_party: 1,
        callbacks: '["https://app.example/cb"]',
        app_type: 'spa',
        created_at: at,
        updated_at: at,
      })
      .execute()

    const after = await migrator(db).migrateToLatest()
    expect(after.error).toBeUndefined()
    const store = createKyselyStore(db)
    expect(await store.clients.get('t1', 'web')).toEqual({
      clientId: 'web',
      name: 'Web',
      description: 'd',
      logoUri: 'https://app.example/logo.png',
      isFirstParty: true,
      callbacks: ['https://app.example/cb'],
      appType: 'spa',
      // Columns later migrations add read as their defaults for rows made before them.
      isVerified: true,
      consentLifetime: null,
      clientUri: null,
      policyUri: null,
      tosUri: null,
      isDynamic: false,
      registeredAt: null,
      consentDurationChoices: null,
      auth0: {},
      createdAt: new Date(at),
      updatedAt: new Date(at),
    })
    await store.clients.create('t2', {
      clientId: 'web',
      name: 'Other',
      description: '',
      logoUri: null,
      isFirstParty: false,
      callbacks: [],
      appType: null,
    })
    expect((await store.clients.list('t2', { page: 0, perPage: 10 })).total).toBe(1)
    // A tenant's clients still go with it.
    await db.deleteFrom('tenants').where('id', '=', 't1').execute()
    expect(await store.clients.get('t1', 'web')).toBeUndefined()
    expect(await store.clients.get('t2', 'web')).toBeDefined()
  })
})

describe.each(engines)('migration 2026-12-07-0001-audit-user-ids on $name', (engine) => {
  let db: Kysely<Database> | undefined
  let drop: () => Promise<void> = async () => {}
  afterEach(async () => {
    await db?.destroy()
    await drop()
  })

  it.skipIf(engine.skip)(
    'finds the users each earlier entry names, so erasure finds them',
    async () => {
      ;({ db, drop } = await engine.open())
      const before = await migrator(db).migrateTo('2026-11-27-0012-rate-limits')
      expect(before.error).toBeUndefined()
      const at = '2026-11-24T10:00:00.000Z'
      await db
        .insertInto('tenants')
        .values({ id: 't1', settings: '{"flags":{}}', created_at: at, updated_at: at })
        .execute()
      const odd = 'o"b\\x'
      const refs = '[{"resourceServerIdentifier":"https://e.example/","permissionName":"read:e"}]'
      // Entries as the services wrote them before the users had their own table.
      const written: [string, string, string | null, string | null, string[]][] = [
        ['user.permissions.add', 'e', null, refs, ['e']],
        ['user.permissions.remove', 'a%', refs, null, ['a%']],
        ['user.roles.add', odd, null, '["rol_1"]', [odd]],
        ['user.roles.remove', '_', '["rol_1"]', null, ['_']],
        ['grant.delete', 'grt_1', JSON.stringify({ user_id: odd }), null, [odd]],
        [
          'role.users.add',
          'rol_1',
          null,
          JSON.stringify(['e', odd, 'u2']),
          ['e', odd, 'u2'].sort(),
        ],
        ['role.users.remove', 'rol_1', '["u2"]', null, ['u2']],
        ['client.update', 'e', '{"name":"e"}', '{"name":"_"}', []],
      ]
      await db
        .insertInto('audit_log')
        .values(
          written.map(([action, target, before, after], i) => ({
            id: `aud_${i}`,
            tenant_id: 't1',
            at,
            actor: 'admin token',
            via: 'api',
            action,
            target,
            before,
            after,
          })),
        )
        .execute()

      const after = await migrator(db).migrateToLatest()
      expect(after.error).toBeUndefined()
      const store = createKyselyStore(db)
      const listed = async () =>
        new Map(
          (await store.auditLog.list('t1', { page: 0, perPage: 50 })).items.map((entry) => [
            entry.id,
            entry,
          ]),
        )
      const entries = await listed()
      written.forEach(([action, , , , userIds], i) => {
        expect({ action, userIds: entries.get(`aud_${i}`)?.userIds }).toEqual({ action, userIds })
      })

      await store.users.erase('t1', odd)
      const left = await listed()
      expect([...left.keys()].sort()).toEqual(
        ['aud_0', 'aud_1', 'aud_3', 'aud_5', 'aud_6', 'aud_7'].sort(),
      )
      expect(left.get('aud_5')).toMatchObject({
        after: ['e', '[erased]', 'u2'],
        userIds: ['e', 'u2'],
      })
    },
  )
})
