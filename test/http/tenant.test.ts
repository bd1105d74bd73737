import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/errors.js'
import { requestTenants } from '../../src/services/admin/tenants.js'
import { openStore } from '../../src/store/open-database.js'
import type { Store } from '../../src/store/port.js'
import type { AppEnv } from '../../src/web/context.js'
import { tenant } from '../../src/web/middleware/tenant.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js'

const settings = { friendly_name: 'Tenant', flags: {} }

/** A store over each engine the tests can reach, as the app opens it (with its cache). */
const engines: {
  name: string
  open: () => Promise<{ store: Store; dispose: () => Promise<void> }>
}[] = [
  {
    name: 'SQLite',
    async open() {
      const store = await openStore('sqlite::memory:')
      return { store, dispose: () => store.close() }
    },
  },
]
if (TEST_DATABASE_URL) {
  engines.push({
    name: 'PostgreSQL',
    async open() {
      const database = await createTestDatabase()
      const store = await openStore(database.url)
      return {
        store,
        async dispose() {
          await store.close()
          await database.drop()
        },
      }
    },
  })
}

describe.each(engines)('tenant middleware over $name (DESIGN §2)', (engine) => {
  let store: Store
  let dispose: () => Promise<void>
  let app: Hono<AppEnv>

  beforeEach(async () => {
    ;({ store, dispose } = await engine.open())
    await store.migrate()
    await store.tenants.create({ id: 't1', domains: ['one.example'], settings })
    app = new Hono<AppEnv>()
    app.use(tenant({ tenantForHost: requestTenants(store) }))
    app.get('/', (c) => c.text(c.get('tenant').id))
    app.onError((err, c) => c.text(err.message, err instanceof AppError ? err.status : 500))
  })
  afterEach(async () => {
    await dispose()
  })

  const reached = async (host: string | undefined) => {
    const res = await app.request('/', host === undefined ? {} : { headers: { host } })
    return res.status === 200 ? await res.text() : res.status
  }

  it('lets every host reach the tenant when there is exactly one', async () => {
    expect(await reached('one.example')).toBe('t1')
    expect(await reached('ONE.example:8443')).toBe('t1')
    expect(await reached('elsewhere.example')).toBe('t1')
    expect(await reached('203.0.113.7')).toBe('t1')
    expect(await reached(undefined)).toBe('t1')
  })

  it('with several tenants, serves each on its own domains and no tenant elsewhere', async () => {
    expect(await reached('elsewhere.example')).toBe('t1')
    await store.tenants.create({ id: 't2', domains: ['two.example'], settings })
    expect(await reached('two.example')).toBe('t2')
    expect(await reached('one.example')).toBe('t1')
    expect(await reached('elsewhere.example')).toBe(404)
    expect(await reached(undefined)).toBe(404)
  })
})
