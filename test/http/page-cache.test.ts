import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { compilePage, createPageCache, personalise, SENTINEL } from '../../src/http/page-cache.js'
import { DEMO } from '../../src/services/demo.js'
import { consentBrowser } from '../support/consent.js'
import { management } from '../support/management.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const open = (userName: string) =>
  management(t)('POST', '/consent-requests', {
    client_id: DEMO.clientId,
    user_id: `user-${userName}`,
    user_name: userName,
    audience: DEMO.audience,
    scope: 'openid read:messages',
    redirect_uri: DEMO.redirectUri,
    return_to: 'http://localhost:3000/demo/done',
  })

describe('prompts rendered once, personalised per request', () => {
  it('shows each user their own name, token and request, never another’s', async () => {
    const browser = consentBrowser(t)
    const ana = (await open('ana@example.com')).body
    const bo = (await open('bo@example.com')).body
    const first = await browser.visit(ana.id)
    const second = await browser.visit(bo.id)
    expect(second.html).toContain('Hi <bdi>bo@example.com</bdi>,')
    expect(second.html).not.toContain('ana@example.com')
    expect(second.html).toContain(`action="/consent/${bo.id}"`)
    expect(second.html).not.toContain(ana.id)
    expect(second.csrf).not.toBe(first.csrf)
    // Nothing of the stand-ins reaches a page.
    expect(`${first.html}${second.html}`).not.toContain('\u0000')
    // Both answer with what their page gave them.
    expect((await browser.answer(bo.id, 'accept', second)).status).toBe(303)
    expect((await browser.answer(ana.id, 'deny', first)).status).toBe(303)
  })

  it('forgets every page on a configuration write', async () => {
    const browser = consentBrowser(t)
    expect((await browser.visit((await open('a')).body.id)).html).toContain('Mail Helper')
    await management(t)('PATCH', `/clients/${DEMO.clientId}`, { name: 'Mail Helper Pro' })
    expect((await browser.visit((await open('b')).body.id)).html).toContain('Mail Helper Pro')
  })

  it('escapes a personal value as the template would, and keeps a bound', () => {
    const html = `<p>${SENTINEL.user}</p><form action="/consent/${SENTINEL.id}">`
    const page = compilePage(html)
    expect(
      personalise(page, { user: '<b>"&\'', csrf: 'c', id: 'abc', nonce: 'n' }).toString(),
    ).toBe('<p>&lt;b&gt;&quot;&amp;&#39;</p><form action="/consent/abc">')
    // A token outside the URL-safe alphabet is escaped like any other value, never trusted.
    const form = compilePage(`<input value="${SENTINEL.csrf}">`)
    expect(personalise(form, { user: 'u', csrf: '"><b>', id: 'i', nonce: 'n' }).toString()).toBe(
      '<input value="&quot;&gt;&lt;b&gt;">',
    )
    const cache = createPageCache(3)
    for (let i = 0; i < 10; i++) cache.page(`k${i}`, () => `page ${i}`)
    expect(cache.size).toBe(3)
    expect(cache.page('k9', () => 'rendered again').parts[0]?.toString()).toBe('page 9')
  })
})
