import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openStore } from '../../src/store/open-database.js'
import type { Store } from '../../src/store/port.js'
import { SqliteDatabase } from '../../src/store/sqlite-driver.js'
import { OTHER_PAGE, pendingRequest, SHOWN } from '../support/shown.js'
import { tempDir } from '../support/temp.js'

/** Every statement SQLite runs from here on: its text, and whether a transaction was open. */
function statements() {
  const probe = new SqliteDatabase(':memory:')
  const Statement = Object.getPrototypeOf(probe.prepare('select 1'))
  probe.close()
  const ran: { sql: string; inTransaction: boolean }[] = []
  for (const method of ['run', 'all', 'get', 'iterate'] as const) {
    const original = Statement[method]
    vi.spyOn(Statement, method).mockImplementation(function (
      this: { source: string; database: { inTransaction: boolean } },
      ...args: unknown[]
    ) {
      ran.push({ sql: this.source, inTransaction: this.database.inTransaction })
      return original.apply(this, args)
    })
  }
  return ran
}

describe('SQLite group commit: first views and their counts', () => {
  let temp: ReturnType<typeof tempDir>
  let store: Store
  const at = new Date('2026-12-07T10:00:00Z')

  beforeEach(async () => {
    temp = tempDir()
    store = await openStore(`sqlite:${join(temp.dir, 'assent.sqlite')}`)
    await store.migrate()
    await store.tenants.create({
      id: 't1',
      domains: ['one.example'],
      settings: { friendly_name: 'One', flags: {} },
    })
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await store.close()
    temp.remove()
  })

  it('share durable commits with each other instead of one commit a write', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `req_group_000000000${i}`)
    for (const id of ids) await store.consentRequests.create(pendingRequest(id, at))
    const ran = statements()
    // Eight browsers open their pages at once: each binds, counting its view, then reloads.
    await Promise.all(
      ids.map(async (id) => {
        await store.consentRequests.bind('t1', id, `browser-${id}`, SHOWN)
        await store.consentRequests.show('t1', id, OTHER_PAGE)
      }),
    )
    const writes = ran.filter((s) => /^(update|insert)/.test(s.sql))
    expect(writes.filter((s) => s.sql.includes('"consent_requests"'))).toHaveLength(ids.length * 2)
    expect(writes.every((s) => s.inTransaction)).toBe(true)
    // One commit for each turn of the event loop's writes, not for each write, and the views'
    // counts summed into one upsert a commit.
    const commits = ran.filter((s) => s.sql === 'commit').length
    expect(commits).toBeLessThanOrEqual(3)
    expect(writes.filter((s) => s.sql.includes('"consent_stats"')).length).toBeLessThanOrEqual(
      commits,
    )
    // Counted on the day of the view (SHOWN.at).
    const [counted] = await store.stats.range('t1', '2026-11-24', '2026-11-24')
    expect(counted).toMatchObject({ metric: 'shown', count: ids.length })
    for (const id of ids) {
      expect(await store.consentRequests.get('t1', id)).toMatchObject({
        bindingHash: `browser-${id}`,
        shown: { rendition: OTHER_PAGE.rendition },
      })
    }
  })
})
