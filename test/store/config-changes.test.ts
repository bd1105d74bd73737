import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { withConfigCache } from '../../src/store/cached-store.js'
import { postgresConfigChanges } from '../../src/store/config-changes.js'
import { createKyselyStore } from '../../src/store/kysely/index.js'
import { openPostgres, openStore } from '../../src/store/open-database.js'
import type { Store } from '../../src/store/port.js'
import { killListeners, statements, until } from '../support/pg-wire.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js'

const settings = (name: string) => ({ friendly_name: name, flags: {} })

describe.skipIf(!TEST_DATABASE_URL)(
  'PostgreSQL: configuration changes over LISTEN/NOTIFY, lost connections (DESIGN §7)',
  () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>
    const opened: Store[] = []

    beforeEach(async () => {
      database = await createTestDatabase()
    })
    afterEach(async () => {
      vi.restoreAllMocks()
      for (const store of opened.splice(0)) await store.close()
      await database.drop()
    })

    async function instance(retry?: { firstRetryMs: number }): Promise<Store> {
      const store = retry
        ? await (async () => {
            const db = await openPostgres(database.url)
            return withConfigCache(createKyselyStore(db, { lockRows: true }), {
              shared: true,
              listen: postgresConfigChanges(db, database.url, pg.Client, retry),
            })
          })()
        : await openStore(database.url)
      opened.push(store)
      await store.migrate()
      return store
    }

    /** `store` has read the version row since it started listening: its `sync` asks nothing. */
    async function listening(store: Store) {
      await until(async () => {
        const seen = statements()
        await store.sync()
        seen.restore()
        return seen.sent.length === 0
      }, 'sync without a query')
    }

    const nameOn = async (store: Store, id: string) => {
      await store.sync()
      return (await store.tenants.get(id))?.settings.friendly_name
    }

    it('a page on a listening instance asks the database nothing about the configuration', async () => {
      const a = await instance()
      await a.tenants.create({ id: 't1', domains: ['one.example'], settings: settings('One') })
      await listening(a)
      expect(await nameOn(a, 't1')).toBe('One')
      const seen = statements()
      for (let i = 0; i < 5; i++) expect(await nameOn(a, 't1')).toBe('One')
      seen.restore()
      expect(seen.sent).toEqual([])
    })

    it('a change made on one instance reaches the other by notification, not by the version row', async () => {
      const a = await instance()
      const b = await instance()
      await a.tenants.create({ id: 't1', domains: ['one.example'], settings: settings('One') })
      await listening(b)
      expect(await nameOn(b, 't1')).toBe('One')

      await a.tenants.updateSettings('t1', settings('Changed'))
      const seen = statements()
      await until(async () => (await nameOn(b, 't1')) === 'Changed', 'the change seen on B')
      seen.restore()
      expect(seen.sent.filter((text) => text.includes('assent_meta'))).toEqual([])
    })

    it('with its listening connection killed, an instance reads the version row and misses nothing', async () => {
      const a = await instance()
      // B waits a minute before listening again: the change below lands while nothing listens.
      const b = await instance({ firstRetryMs: 60_000 })
      await a.tenants.create({ id: 't1', domains: ['one.example'], settings: settings('One') })
      await listening(b)
      expect(await nameOn(b, 't1')).toBe('One')

      expect(await killListeners(database.url)).toBeGreaterThanOrEqual(1)
      // B notices the lost connection: from then on each sync reads the version row.
      await until(async () => {
        const seen = statements()
        await b.sync()
        seen.restore()
        return seen.sent.some((text) => text.includes('assent_meta'))
      }, 'B falls back to the version row')

      await a.tenants.updateSettings('t1', settings('While nobody listened'))
      expect(await nameOn(b, 't1')).toBe('While nobody listened')
    })

    it('listens again after its connection is killed, and then hears changes without asking', async () => {
      const a = await instance()
      const b = await instance({ firstRetryMs: 20 })
      await a.tenants.create({ id: 't1', domains: ['one.example'], settings: settings('One') })
      await listening(b)

      expect(await killListeners(database.url)).toBeGreaterThanOrEqual(1)
      await a.tenants.updateSettings('t1', settings('During the gap'))
      // Whether B heard it before the kill took effect or read the row after: it sees it.
      await until(async () => (await nameOn(b, 't1')) === 'During the gap', 'the gap change on B')

      await listening(b)
      await a.tenants.updateSettings('t1', settings('After'))
      const seen = statements()
      await until(async () => (await nameOn(b, 't1')) === 'After', 'the later change on B')
      seen.restore()
      expect(seen.sent.filter((text) => text.includes('assent_meta'))).toEqual([])
    })

    it('survives a connection killed while it is checked out, between two statements', async () => {
      const a = await instance()
      const crashes: unknown[] = []
      const onError = (error: unknown) => crashes.push(error)
      process.on('uncaughtException', onError)
      try {
        const outcome = await a
          .exclusive('killed-mid-work', async () => {
            // The lock's connection is checked out while this runs: kill every other backend.
            const admin = new pg.Client({ connectionString: database.url })
            await admin.connect()
            try {
              await admin.query(
                `select pg_terminate_backend(pid) from pg_stat_activity
               where datname = current_database() and pid <> pg_backend_pid()`,
              )
            } finally {
              await admin.end()
            }
            // Long enough for the server's FATAL message to reach the checked-out client before
            // its next statement: that message is what a client without a listener dies of.
            await new Promise((resolve) => setTimeout(resolve, 100))
            return 'done'
          })
          .then(
            (value) => value,
            () => 'failed',
          )
        expect(['done', 'failed']).toContain(outcome)
        expect(crashes).toEqual([])
        // The pool makes new connections: the store still answers.
        await until(async () => a.ping(), 'the store answers again')
      } finally {
        process.off('uncaughtException', onError)
      }
    })

    it('a notification that names no new version, or comes from anyone, forgets at most the cache', async () => {
      const a = await instance()
      await a.tenants.create({ id: 't1', domains: ['one.example'], settings: settings('One') })
      await listening(a)
      expect(await nameOn(a, 't1')).toBe('One')
      // Anyone allowed to connect can NOTIFY the channel: the worst it does is empty the cache.
      const outsider = new pg.Client({ connectionString: database.url })
      await outsider.connect()
      try {
        await outsider.query(`select pg_notify('assent_config', 'forged')`)
      } finally {
        await outsider.end()
      }
      await until(async () => {
        const seen = statements()
        const name = await nameOn(a, 't1')
        seen.restore()
        return name === 'One' && seen.sent.some((text) => text.includes('"tenants"'))
      }, 'A reads the tenant again')
      expect(await nameOn(a, 't1')).toBe('One')
    })
  },
)
