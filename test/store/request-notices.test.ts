import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { withConfigCache } from '../../src/store/cached-store.js'
import { postgresConfigChanges } from '../../src/store/config-changes.js'
import { createKyselyStore } from '../../src/store/kysely/index.js'
import { openPostgres, openStore } from '../../src/store/open-database.js'
import type { Store } from '../../src/store/port.js'
import { holdNotifications, killListeners, sentBy, until } from '../support/pg-wire.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js'
import { ON_PAGE, OTHER_PAGE, openPage, pendingRequest } from '../support/shown.js'

const at = new Date('2026-11-27T10:00:00Z')
const accept = { action: 'accept', at, scopes: ['openid'], verifierHash: 'v', ...ON_PAGE } as const

/** Runs `work`, and waits until the `count` notices its writes send have been heard. */
async function delivered(count: number, work: () => Promise<unknown>): Promise<void> {
  const held = holdNotifications()
  try {
    await work()
    await until(async () => held.count() === count, `${count} notices`)
  } finally {
    held.release()
  }
}

/** Sends `payload` on the request channel from a connection of no instance, as anyone may. */
async function forge(url: string, payload: string): Promise<void> {
  const outsider = new pg.Client({ connectionString: url })
  await outsider.connect()
  try {
    await outsider.query('select pg_notify($1, $2)', ['assent_requests', payload])
  } finally {
    await outsider.end()
  }
}

describe.skipIf(!TEST_DATABASE_URL)(
  'PostgreSQL: consent requests kept in memory while changes are announced (DESIGN §7)',
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

    /** An instance as `openStore` makes it, or with its own wait before listening again. */
    async function instance(retry?: { firstRetryMs: number }): Promise<Store> {
      let store: Store
      if (retry) {
        const origin = `assent:test-${randomBytes(6).toString('hex')}`
        const db = await openPostgres(database.url, origin)
        store = withConfigCache(createKyselyStore(db, { lockRows: true }), {
          shared: true,
          listen: postgresConfigChanges(db, database.url, pg.Client, { ...retry, origin }),
        })
      } else store = await openStore(database.url)
      opened.push(store)
      await store.migrate()
      return store
    }

    async function seed(store: Store, ...ids: string[]) {
      await store.tenants.create({
        id: 't1',
        domains: ['one.example'],
        settings: { friendly_name: 'One', flags: {} },
      })
      await store.clients.create('t1', {
        clientId: 'c1',
        name: 'App',
        description: '',
        logoUri: null,
        isFirstParty: false,
        callbacks: ['https://app.example/cb'],
        appType: null,
      })
      for (const id of ids) await store.consentRequests.create(pendingRequest(id, at))
    }

    /** Until `store` serves the request from memory: a read that sends nothing. */
    async function kept(store: Store, id: string) {
      await until(async () => {
        await store.consentRequests.get('t1', id)
        const { sent } = await sentBy(() => store.consentRequests.get('t1', id))
        return sent.length === 0
      }, `${id} kept`)
    }

    /** Until the connection of `store` listens: its configuration check sends nothing. */
    async function listening(store: Store) {
      await until(async () => {
        await store.sync()
        const { sent } = await sentBy(() => store.sync())
        return sent.length === 0
      }, 'listening')
    }

    const renditionOn = async (store: Store, id: string) =>
      (await store.consentRequests.get('t1', id))?.shown?.rendition

    it('a reload on a listening instance sends no query: its own writes are kept as they left the row', async () => {
      const a = await instance()
      await seed(a, 'req_reload_000000001')
      await listening(a)
      // The first view binds the request (one write, which announces it) and keeps what it left.
      const held = holdNotifications()
      await openPage(a, 't1', 'req_reload_000000001')
      // Its own announcement comes back too: it does not make the copy go.
      await until(async () => held.count() > 0, 'its own notice arrives')
      held.release()
      const reloads = await sentBy(async () => {
        const seen = []
        for (let i = 0; i < 5; i++)
          seen.push(await a.consentRequests.get('t1', 'req_reload_000000001'))
        return seen
      })
      expect(reloads.sent).toEqual([])
      expect(reloads.value.map((each) => each?.bindingHash)).toEqual(Array(5).fill('browser'))
    })

    it('answered on B, the request reads as answered on A at once where the latest state counts, before A hears of it', async () => {
      const a = await instance()
      const b = await instance()
      await seed(a, 'req_race_00000000001', 'req_race_00000000002')
      await listening(a)
      for (const id of ['req_race_00000000001', 'req_race_00000000002']) {
        await openPage(a, 't1', id)
        await kept(a, id)
      }

      const held = holdNotifications()
      for (const id of ['req_race_00000000001', 'req_race_00000000002']) {
        expect((await b.consentRequests.answer('t1', id, accept)).outcome).toBe('answered')
        // A has not heard: its page still shows the pending copy.
        expect((await a.consentRequests.get('t1', id))?.status).toBe('pending')
      }
      // What a verify or the status read asks for goes past the copy.
      const latest = await sentBy(() =>
        a.consentRequests.get('t1', 'req_race_00000000001', { latest: true }),
      )
      expect(latest.sent.length).toBe(1)
      expect(latest.value).toMatchObject({ status: 'accepted', verifierHash: 'v' })
      // The verify itself: the answer B gave, verified once.
      expect(
        (await a.consentRequests.verify('t1', 'req_race_00000000001', at, ['openid'])).outcome,
      ).toBe('verified')
      // An answer made from A's pending copy: the conditional write finds the row answered, and
      // says so (not "another page was rendered", which would show the prompt again).
      expect(
        await a.consentRequests.answer('t1', 'req_race_00000000002', {
          ...accept,
          verifierHash: 'x',
        }),
      ).toEqual({ outcome: 'already_answered' })
      expect(held.count()).toBeGreaterThan(0)
      held.release()
      expect(
        (await a.consentRequests.get('t1', 'req_race_00000000002', { latest: true }))?.verifierHash,
      ).toBe('v')
    })

    it('a change made on B reaches the copy kept on A by notification', async () => {
      const a = await instance()
      const b = await instance()
      await seed(a, 'req_change_00000001')
      await listening(a)
      await listening(b)
      await delivered(2, () => openPage(a, 't1', 'req_change_00000001'))
      await kept(a, 'req_change_00000001')

      const held = holdNotifications()
      await b.consentRequests.show('t1', 'req_change_00000001', OTHER_PAGE)
      // Heard by both listening connections, A's and B's.
      await until(async () => held.count() === 2, 'the notice arrives')
      // Until it is heard, A serves its copy: nothing else made it go.
      expect(await renditionOn(a, 'req_change_00000001')).toBe('rendition-one')
      held.release()
      const next = await sentBy(() => renditionOn(a, 'req_change_00000001'))
      expect(next.value).toBe('rendition-two')
      expect(next.sent.length).toBe(1)
      // Kept again from that read.
      expect((await sentBy(() => renditionOn(a, 'req_change_00000001'))).sent).toEqual([])
    })

    it('with its listening connection killed, A keeps nothing and sees a change made meanwhile', async () => {
      const a = await instance({ firstRetryMs: 60_000 })
      const b = await instance()
      await seed(b, 'req_lost_0000000001')
      await listening(a)
      await openPage(a, 't1', 'req_lost_0000000001')
      await kept(a, 'req_lost_0000000001')

      expect(await killListeners(database.url)).toBeGreaterThanOrEqual(1)
      await until(async () => {
        const { sent } = await sentBy(() => a.consentRequests.get('t1', 'req_lost_0000000001'))
        return sent.length > 0
      }, 'A reads the database')
      await b.consentRequests.show('t1', 'req_lost_0000000001', OTHER_PAGE)
      for (let i = 0; i < 3; i++) {
        const read = await sentBy(() => renditionOn(a, 'req_lost_0000000001'))
        expect(read.value).toBe('rendition-two')
        expect(read.sent.length).toBe(1)
      }
    })

    it('listening again, A drops what it kept before: a change whose notice was lost is seen', async () => {
      const a = await instance({ firstRetryMs: 20 })
      const b = await instance()
      await seed(b, 'req_again_000000001')
      await listening(a)
      await listening(b)
      await delivered(2, () => openPage(a, 't1', 'req_again_000000001'))
      await kept(a, 'req_again_000000001')

      // The notice of B's change never reaches A: its connection is killed with it in flight.
      const held = holdNotifications()
      await b.consentRequests.show('t1', 'req_again_000000001', OTHER_PAGE)
      // Heard by both listening connections, A's and B's.
      await until(async () => held.count() === 2, 'the notice arrives')
      expect(await killListeners(database.url)).toBeGreaterThanOrEqual(1)
      held.discard()
      await until(
        async () => (await renditionOn(a, 'req_again_000000001')) === 'rendition-two',
        'the change seen on A',
      )
      // Listening again, A keeps requests again.
      await kept(a, 'req_again_000000001')
      expect(await renditionOn(a, 'req_again_000000001')).toBe('rendition-two')
    })

    it('an erasure on B: A serves nothing erased', async () => {
      const a = await instance()
      const b = await instance()
      await seed(a, 'req_erase_000000001', 'req_erase_000000002')
      await listening(a)
      await openPage(a, 't1', 'req_erase_000000001')
      await openPage(a, 't1', 'req_erase_000000002')
      await kept(a, 'req_erase_000000001')
      await kept(a, 'req_erase_000000002')

      await b.users.erase('t1', 'u1')
      // Where the latest state counts, at once.
      expect(
        await a.consentRequests.get('t1', 'req_erase_000000001', { latest: true }),
      ).toBeUndefined()
      // Everywhere, once the announcement is heard: both copies go with one notice.
      await until(
        async () => (await a.consentRequests.get('t1', 'req_erase_000000001')) === undefined,
        'the first erased on A',
      )
      expect(await a.consentRequests.get('t1', 'req_erase_000000002')).toBeUndefined()
    })

    it('a forged notification only makes A read again, never serve anything else', async () => {
      const a = await instance()
      await seed(a, 'req_forged_00000001')
      await listening(a)
      await openPage(a, 't1', 'req_forged_00000001')
      const payloads = [
        'not json',
        JSON.stringify(['psql', 't1', 'req_forged_00000001']),
        JSON.stringify(['psql']),
        JSON.stringify([1, 2, 3]),
      ]
      for (const payload of payloads) {
        await kept(a, 'req_forged_00000001')
        await forge(database.url, payload)
        await until(async () => {
          const read = await sentBy(() => a.consentRequests.get('t1', 'req_forged_00000001'))
          expect(read.value).toMatchObject({ bindingHash: 'browser', status: 'pending' })
          return read.sent.length > 0
        }, `A reads again after ${payload}`)
      }
    })
  },
)
