import { describe, expect, it } from 'vitest'
import { createRetentionJob, purgeExpired } from '../../src/jobs/retention.js'
import { createLogger, type Logger, silentLogger } from '../../src/logger.js'
import { demoRequest } from '../support/consent.js'
import type { Management } from '../support/management.js'
import { ON_PAGE, openPage } from '../support/shown.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

const minute = 60_000
const day = 24 * 60 * minute

eachTestApp((suite) => ({ t, api } = suite))

const retention = (log: Logger = silentLogger) => ({
  store: t.store,
  now: t.clock.now,
  log,
  retentionSeconds: day / 1000,
})

async function open(): Promise<string> {
  const created = await api('POST', '/consent-requests', demoRequest())
  expect(created.body.status).toBe('pending')
  return created.body.id
}

async function deny(id: string): Promise<void> {
  await openPage(t.store, t.tenant.id, id)
  const outcome = await t.store.consentRequests.answer(t.tenant.id, id, {
    action: 'deny',
    at: t.clock.now(),
    error: 'access_denied',
    verifierHash: 'h',
    ...ON_PAGE,
  })
  expect(outcome.outcome).toBe('answered')
}

const kept = async (id: string) => (await api('GET', `/consent-requests/${id}`)).status === 200

describe('retention (DESIGN §3.4, ASSENT_REQUEST_RETENTION_SECONDS)', () => {
  it('purges requests answered or expired more than the retention ago, and keeps the rest', async () => {
    const answeredLongAgo = await open()
    await deny(answeredLongAgo)
    const expiredLongAgo = await open()
    t.clock.advance(5 * minute)
    const expiredRecently = await open()
    t.clock.advance(12 * 60 * minute)
    const answeredRecently = await open()
    await deny(answeredRecently)
    const session = (id: string, expiresAt: Date) =>
      t.store.adminSessions.create(
        { id, tenantId: t.tenant.id, scopes: 'all', expiresAt },
        t.clock.now(),
      )
    await session('expired-session', new Date(t.clock.now().getTime() + 60 * minute))
    // A day and eleven minutes after the first request.
    t.clock.advance(day - 12 * 60 * minute + 6 * minute)
    const pending = await open()
    await session('live-session', new Date(t.clock.now().getTime() + 60 * minute))

    expect(await purgeExpired(retention())).toEqual({ requests: 2, adminSessions: 1 })
    expect(await kept(answeredLongAgo)).toBe(false)
    expect(await kept(expiredLongAgo)).toBe(false)
    expect(await kept(expiredRecently)).toBe(true)
    expect(await kept(answeredRecently)).toBe(true)
    expect(await kept(pending)).toBe(true)
    expect(await t.store.adminSessions.get('live-session', t.clock.now())).toBeDefined()
    expect(await purgeExpired(retention())).toEqual({ requests: 0, adminSessions: 0 })

    // The pending request expires ten minutes after it was opened: a day after that, it goes too.
    t.clock.advance(day + 11 * minute)
    expect(await purgeExpired(retention())).toEqual({ requests: 3, adminSessions: 1 })
  })

  it('runs under the store’s `purge` lock, one purge at a time', async () => {
    const names: string[] = []
    let inside = 0
    let most = 0
    const store = {
      ...t.store,
      exclusive: <T>(name: string, work: () => Promise<T>) => {
        names.push(name)
        return t.store.exclusive(name, async () => {
          most = Math.max(most, ++inside)
          try {
            return await work()
          } finally {
            inside -= 1
          }
        })
      },
    }
    const job = createRetentionJob({ ...retention(), store })
    await Promise.all([job.run(), job.run()])
    expect(names).toEqual(['purge'])
    expect(most).toBe(1)
  })

  it('logs a failed purge and tries again next time; stopped, it starts no more', async () => {
    const lines: string[] = []
    const log = createLogger('info', { write: (line) => lines.push(line) })
    let calls = 0
    const store = {
      ...t.store,
      consentRequests: {
        ...t.store.consentRequests,
        purge: async (before: Date) => {
          calls += 1
          if (calls === 1) throw new Error('database went away')
          return t.store.consentRequests.purge(before)
        },
      },
    }
    const job = createRetentionJob({ ...retention(log), store })
    await job.run()
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'purge failed',
        error: { name: 'Error', message: 'database went away' },
      }),
    ])
    await job.run()
    expect(calls).toBe(2)
    await job.stop()
    await job.run()
    expect(calls).toBe(2)
  })
})
