import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { consentBrowser, openRequest } from '../support/consent.js'
import { management } from '../support/management.js'
import { sentBy } from '../support/pg-wire.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** What a statement does, by its first word: `select`, `update`, `with`, `begin`, `commit`… */
const verbs = (sent: readonly string[]) =>
  sent.map((text) => text.trim().split(/\s/)[0]?.toLowerCase())

describe.skipIf(!TEST_DATABASE_URL)(
  'PostgreSQL: what a page and its answer cost in round trips (DESIGN §7)',
  () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>
    let app: TestApp

    beforeEach(async () => {
      database = await createTestDatabase()
      app = await createTestApp({ env: { DATABASE_URL: database.url, ASSENT_DEMO: '1' } })
    })
    afterEach(async () => {
      vi.restoreAllMocks()
      await app.close()
      await database.drop()
    })

    it('a first view is one read and one write, counted with its binding; an answer one write; a verify one transaction', async () => {
      const browser = consentBrowser(app)
      // The instance's first pair loads its form-token key, receipt key and webhooks, once.
      const warmId = await openRequest(management(app))
      const warm = await browser.visit(warmId)
      expect((await browser.redeem(await browser.answer(warmId, 'accept', warm))).status).toBe(200)
      // Another user: the first one's grant would answer this request without a page.
      const id = await openRequest(management(app), { user_id: 'auth0|second-user' })
      const first = await sentBy(() => browser.visit(id))
      expect(first.value.status).toBe(200)
      // The request read, then bound and counted in one statement: no BEGIN, no COMMIT.
      expect(verbs(first.sent)).toEqual(['select', 'with'])
      expect(first.sent[1]).toContain('"consent_stats"')

      const answer = await sentBy(async () => browser.answer(id, 'accept', first.value))
      expect(answer.value.status).toBe(303)
      // The kept copy is current: the conditional update alone decides.
      expect(verbs(answer.sent)).toEqual(['update'])

      const verify = await sentBy(() => browser.redeem(answer.value))
      expect(verify.value.status).toBe(200)
      // The latest state read past the copy, then one transaction: the request marked verified,
      // the grant merged, and its receipt and count written by one statement.
      expect(verbs(verify.sent)).toEqual(['select', 'begin', 'update', 'insert', 'with', 'commit'])
      expect(verify.sent[4]).toMatch(/"consent_receipts".*"consent_stats"/s)
      // Both first views counted, each once, by the statement that bound it.
      const counts = await app.store.stats.range(app.tenant.id, '2000-01-01', '2999-12-31')
      expect(counts.filter((count) => count.metric === 'shown')).toMatchObject([{ count: 2 }])
      expect(counts.filter((count) => count.metric === 'accepted')).toMatchObject([{ count: 2 }])
    })
  },
)
