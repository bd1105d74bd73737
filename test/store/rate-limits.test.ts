import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../../src/store/open-database.js'
import { createRateLimiter } from '../../src/store/rate-limits.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js'

describe.skipIf(!TEST_DATABASE_URL)('shared rate-limit counters on PostgreSQL (DESIGN §6)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  let pool: pg.Pool

  beforeAll(async () => {
    database = await createTestDatabase()
    const store = await openStore(database.url)
    await store.migrate()
    await store.close()
    pool = new pg.Pool({ connectionString: database.url, max: 10 })
    // As the service's own pool: a connection the server ends (the drop below) is not a crash.
    pool.on('error', () => {})
  })
  afterAll(async () => {
    await pool?.end()
    await database?.drop()
  })

  it('has its table from the migrations, not from a limiter starting', async () => {
    const found = await pool.query(
      "select column_name from information_schema.columns where table_name = 'rate_limits' order by column_name",
    )
    expect(found.rows.map((row) => row.column_name)).toEqual(['expire', 'key', 'points'])
  })

  it('lets many limiters start at once, as instances starting together do, and counts once', async () => {
    // Each limiter used to create the table as it started; started together, they raced and the
    // loser stopped its process (`type "rate_limits" already exists`).
    const limiters = Array.from({ length: 12 }, () =>
      createRateLimiter({ name: 'together', perMinute: 5, pool }),
    )
    const waits = await Promise.all(limiters.map((limiter) => limiter.take('203.0.113.9')))
    // One shared counter: five hits allowed across all of them, the other seven refused.
    expect(waits.filter((wait) => wait === 0)).toHaveLength(5)
    expect(waits.filter((wait) => wait > 0)).toHaveLength(7)
  })
})
