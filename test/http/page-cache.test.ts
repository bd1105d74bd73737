import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import {
  compilePage,
  createPageCache,
  pageBuffer,
  personalise,
  SENTINEL,
} from '../../src/web/render/page-cache.js'
import { consentBrowser, demoRequest } from '../support/consent.js'
import { management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

const open = (userName: string) =>
  management(t)(
    'POST',
    '/consent-requests',
    demoRequest({ user_id: `user-${userName}`, user_name: userName }),
  )

describe('prompts rendered once, personalised per request', () => {
  it('shows each user their own name, token and request, never another’s', async () => {
    const browser = consentBrowser(t)
    const ana = (await open('ana@example.com')).body
    const bo = (await open('bo@example.com')).body
    const first = await browser.visit(ana.id)
    const second = await browser.visit(bo.id)
    expect(second.html).toContain('Signed in as <bdi>bo@example.com</bdi>')
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

  it('gives every page bytes of its own, however many are still being sent', () => {
    const page = compilePage(`<p>${'x'.repeat(5000)}${SENTINEL.user}</p>`)
    // More pages than one slab holds, all kept, as a slow socket keeps what it has not sent.
    const sent = Array.from({ length: 200 }, (_, i) =>
      personalise(page, { user: `user ${i}`, csrf: 'c', id: 'i', nonce: 'n' }),
    )
    sent.forEach((bytes, i) => {
      expect(bytes.toString()).toBe(`<p>${'x'.repeat(5000)}user ${i}</p>`)
    })
    // No two pages share a byte: per slab, each starts where the one before it ended, or after.
    const bySlab = new Map<ArrayBufferLike, { start: number; end: number }[]>()
    for (const bytes of sent) {
      const spans = bySlab.get(bytes.buffer) ?? []
      spans.push({ start: bytes.byteOffset, end: bytes.byteOffset + bytes.length })
      bySlab.set(bytes.buffer, spans)
    }
    expect(bySlab.size).toBeGreaterThan(1)
    for (const spans of bySlab.values()) {
      spans.sort((x, y) => x.start - y.start)
      for (let i = 1; i < spans.length; i++)
        expect(spans[i]?.start).toBeGreaterThanOrEqual(spans[i - 1]?.end ?? Infinity)
    }
    // A page too large for a slab gets a buffer of its own, the exact length asked.
    const large = pageBuffer(1024 * 1024)
    expect(large.length).toBe(1024 * 1024)
    expect(large.byteOffset === 0 || large.buffer.byteLength >= 1024 * 1024).toBe(true)
  })
})
