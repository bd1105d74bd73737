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
