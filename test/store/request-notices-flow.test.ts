import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { consentBrowser, openRequest } from '../support/consent.js'
import { management } from '../support/management.js'
import { holdNotifications, sentBy, until } from '../support/pg-wire.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

describe.skipIf(!TEST_DATABASE_URL)(
  'PostgreSQL: a consent page kept on one instance, answered on another (DESIGN §7)',
  () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>
    const apps: TestApp[] = []

    beforeEach(async () => {
      database = await createTestDatabase()
    })
    afterEach(async () => {
      vi.restoreAllMocks()
      for (const app of apps.splice(0)) await app.close()
      await database.drop()
    })

    const instance = async () => {
      const app = await createTestApp({ env: { DATABASE_URL: database.url, ASSENT_DEMO: '1' } })
      apps.push(app)
      return app
    }

    it('reloads cost no query; answered on B, A verifies it at once, never a false 409', async () => {
      const a = await instance()
      const b = await instance()
      const id = await openRequest(management(a))
      const onA = consentBrowser(a)
      const page = await onA.visit(id)
      expect(page.status).toBe(200)
      // Once A listens, a reload is served from memory: no statement at all.
      await until(async () => {
        const reload = await sentBy(() => onA.visit(id, page.cookie))
        return reload.value.status === 200 && reload.sent.length === 0
      }, 'a reload without a query')

      // B answers; A has not heard of it yet.
      const held = holdNotifications()
      const answered = await consentBrowser(b).answer(id, 'accept', page)
      expect(answered.status).toBe(303)
      // A's page still reads the pending copy, so A has not heard: what follows reads past it.
      expect((await onA.visit(id, page.cookie)).status).toBe(200)

      const status = await management(a)('GET', `/consent-requests/${id}`)
      expect(status.status).toBe(200)
      // Answered, not pending (the decision shows once the AS has verified it).
      expect(status.body.status).toBe('answered')
      // The same browser posting again on A: already answered, not the prompt rendered again.
      const again = await onA.answer(id, 'accept', page)
      expect(again.status).toBe(409)
      expect(await again.text()).not.toContain('name="rendition"')
      const verified = await onA.redeem(answered)
      expect(verified.status).toBe(200)
      expect(verified.body).toMatchObject({ status: 'accepted' })
      expect(held.count()).toBeGreaterThan(0)
      held.release()
      // Heard: A's page says the request is answered.
      await until(async () => (await onA.visit(id, page.cookie)).status === 409, 'A hears')
    })

    it("an answer posted on A from a page B bound and rendered again: judged on the row, not A's copy", async () => {
      const a = await instance()
      const b = await instance()
      const id = await openRequest(management(a))
      // A listens: its configuration check sends nothing.
      await until(async () => (await sentBy(() => a.store.sync())).sent.length === 0, 'A listens')
      // The AS's status read leaves A a copy: pending, bound to no browser yet.
      expect((await management(a)('GET', `/consent-requests/${id}`)).body.status).toBe('pending')

      const held = holdNotifications()
      const onB = consentBrowser(b)
      const page = await onB.visit(id)
      expect(page.status).toBe(200)
      const french = await onB.switchTo(id, page, 'fr')
      expect(french.rendition).not.toBe(page.rendition)
      // A has heard of neither: its copy is still unbound.
      const copy = await sentBy(() => a.store.consentRequests.get(a.tenant.id, id))
      expect(copy.sent).toEqual([])
      expect(copy.value?.bindingHash).toBeNull()

      // Not "opened in another browser", nor the prompt again: the answer is recorded.
      const answered = await consentBrowser(a).answer(id, 'accept', french)
      expect(answered.status).toBe(303)
      held.release()
      const verified = await consentBrowser(a).redeem(answered)
      expect(verified.status).toBe(200)
      expect(verified.body).toMatchObject({ status: 'accepted' })
    })
  },
)
