import { describe, expect, it } from 'vitest'
import { consentBrowser, demoRequest } from '../support/consent.js'
import { management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

const head = (path: string) => t.app.request(path, { method: 'HEAD' })

describe('a HEAD changes nothing (DESIGN §3.2: a link scanner binds nothing)', () => {
  it('leaves a consent request unbound and sets no cookie: the next GET’s browser gets it', async () => {
    const created = await management(t)('POST', '/consent-requests', demoRequest())
    const id = created.body.id as string
    for (let scan = 0; scan < 2; scan++) {
      const res = await head(`/consent/${id}`)
      expect(res.status).toBe(200)
      expect(res.headers.getSetCookie()).toEqual([])
      expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
      expect(await res.text()).toBe('')
    }
    expect((await t.store.consentRequests.get(t.tenant.id, id))?.bindingHash).toBeNull()

    const browser = consentBrowser(t)
    const page = await browser.visit(id)
    expect(page.status).toBe(200)
    expect(page.cookie).toMatch(/^assent_csrf=/)
    // Bound to that browser: another one is refused, this one answers.
    expect((await browser.visit(id, 'assent_csrf=the-scanner-browser')).status).toBe(403)
    expect((await browser.answer(id, 'accept', page)).status).toBe(303)
  })

  it('sets no cookie on the admin sign-in page', async () => {
    const res = await head('/admin/login')
    expect(res.status).toBe(200)
    expect(res.headers.getSetCookie()).toEqual([])
  })
})
