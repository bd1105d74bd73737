import { describe, expect, it, vi } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { adminSignIn } from '../support/admin.js'
import {
  type ConsentBrowser,
  openRequest,
  type PageSession,
  renditionOf,
} from '../support/consent.js'
import type { Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/* What was shown is what counts (DESIGN §3.2.2, §3.4, §3.5.1, §3.6). */

let t: TestApp
let api: Management
let browser: ConsentBrowser

eachTestApp((suite) => ({ t, api, browser } = suite))

const SCOPES = [
  { value: 'read:messages', description: 'Read your messages' },
  { value: 'write:messages', description: 'Send messages as you' },
  { value: 'read:contacts', description: 'See your contacts' },
]
const apiPath = `/resource-servers/${encodeURIComponent(DEMO.audience)}`

const open = (overrides: Record<string, unknown> = {}) =>
  openRequest(api, { scope: 'openid read:messages read:contacts', ...overrides })

/** The same browser loading the page again, here in the language the switcher picked. */
async function switchTo(id: string, session: PageSession, locale: string): Promise<PageSession> {
  const page = await browser.switchTo(id, session, locale)
  expect(page.status).toBe(200)
  return page
}

const lines = (html: string) =>
  [
    ...(/data-testid="scope-lines"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(
      /<li( class="changed")?>[\s\S]*?<span>((?:[^<]|<\/?bdi>)*)<\/span>/g,
    ),
  ].map((m) => ({ text: m[2]?.replace(/<\/?bdi>/g, ''), changed: m[1] !== undefined }))

const stored = (id: string) => t.store.consentRequests.get(t.tenant.id, id)
const receiptOf = async (receiptId: string) =>
  (await api('GET', `/consent-receipts/${receiptId}`)).body

describe('the receipt quotes the page the user answered', () => {
  it('in the language the user switched to, with the time that page was shown', async () => {
    const id = await open({ ui_locales: 'en' })
    const english = await browser.visit(id)
    t.clock.advance(4_000)
    const french = await switchTo(id, english, 'fr')
    expect(french.rendition).not.toBe(english.rendition)
    const shownAt = t.clock.now().toISOString()
    t.clock.advance(7_000)
    const res = await browser.answer(id, 'accept', french)
    expect(res.status).toBe(303)
    const decision = await browser.redeem(res)
    const receipt = await receiptOf(decision.body.receipt_id)
    expect(receipt).toMatchObject({
      locale: 'fr',
      mode: 'grouped',
      lines: ['Messages\u202f: lire vos messages', 'Contacts\u202f: lire vos contacts'],
      granted_lines: ['Messages\u202f: lire vos messages', 'Contacts\u202f: lire vos contacts'],
      declined_lines: [],
      shown_at: shownAt,
      answered_at: t.clock.now().toISOString(),
    })
    expect(receipt.shown_at).not.toBe(receipt.answered_at)
  })

  it('a reload records nothing; a switch back to a language seen before is the latest again', async () => {
    const id = await open({ ui_locales: 'en' })
    const first = await browser.visit(id)
    const show = vi.spyOn(t.store.consentRequests, 'show')
    const reload = await browser.visit(id, first.cookie)
    expect(reload.rendition).toBe(first.rendition)
    expect(show).not.toHaveBeenCalled()
    const french = await switchTo(id, first, 'fr')
    const back = await switchTo(id, first, 'en')
    expect(show).toHaveBeenCalledTimes(2)
    expect(back.rendition).toBe(first.rendition)
    // The French tab is now the old one: its answer is refused and the page shown again.
    const old = await browser.answer(id, 'accept', french)
    expect(old.status).toBe(409)
    expect((await stored(id))?.status).toBe('pending')
    const res = await browser.answer(id, 'accept', back)
    expect(res.status).toBe(303)
    expect((await receiptOf((await browser.redeem(res)).body.receipt_id)).locale).toBe('en')
  })

  it('a deny quotes every line as declined', async () => {
    const id = await open()
    const page = await browser.visit(id)
    const decision = await browser.redeem(await browser.answer(id, 'deny', page))
    const receipt = await receiptOf(decision.body.receipt_id)
    expect(receipt.granted_lines).toEqual([])
    expect(receipt.declined_lines).toEqual(receipt.lines)
    expect(receipt.lines).toEqual(['Messages: read your messages', 'Contacts: read your contacts'])
  })
})

describe('an answer on a page that no longer says what is true is refused (409)', () => {
  it('a description changed while the page was open is never granted unseen', async () => {
    await api('PATCH', '/tenants/settings', { flags: { use_scope_descriptions_for_consent: true } })
    const id = await open()
    const page = await browser.visit(id)
    expect(lines(page.html).map((line) => line.text)).toEqual([
      'Read your messages',
      'See your contacts',
    ])
    await api('PATCH', apiPath, {
      scopes: [
        { value: 'read:messages', description: 'Read AND DELETE your messages' },
        SCOPES[1],
        SCOPES[2],
      ],
    })
    const refused = await browser.answer(id, 'accept', page)
    expect(refused.status).toBe(409)
    const html = await refused.text()
    expect(html).toContain('data-testid="changed-notice"')
    expect(html).toContain('changed while this page was open')
    // The prompt as it now reads, the changed line marked, the unchanged one not.
    expect(lines(html)).toEqual([
      { text: 'Read AND DELETE your messages', changed: true },
      { text: 'See your contacts', changed: false },
    ])
    // Nothing was recorded: not answered, no grant, no receipt.
    expect((await api('GET', `/consent-requests/${id}`)).body.status).toBe('pending')
    expect((await api('GET', '/grants')).body).toEqual([])
    expect((await api('GET', '/consent-receipts')).body).toEqual([])

    // The page shown with the 409 is the latest: answering it works, and the grant and the
    // receipt are those of what the user read there.
    const again = { ...page, rendition: renditionOf(html) }
    const res = await browser.answer(id, 'accept', again)
    expect(res.status).toBe(303)
    const decision = await browser.redeem(res)
    const receipt = await receiptOf(decision.body.receipt_id)
    expect(receipt.lines).toEqual(['Read AND DELETE your messages', 'See your contacts'])
    const grant = await t.store.grants.find(t.tenant.id, DEMO.userId, DEMO.clientId, DEMO.audience)
    expect(grant?.details['read:messages']?.version).toBe(2)
  })

  it('a label changed while the page was open is refused the same way', async () => {
    const id = await open({ ui_locales: 'de' })
    const page = await browser.visit(id)
    expect(lines(page.html)[0]?.text).toBe('Nachrichten: Ihre Nachrichten lesen')
    const current = (await api('GET', apiPath)).body
    await api('PATCH', apiPath, {
      consent_resources: {
        ...current.consent_resources,
        messages: {
          ...current.consent_resources.messages,
          de: { heading: 'Nachrichten', noun: 'Ihre Nachrichten und Ihr Bankkonto' },
        },
      },
    })
    const refused = await browser.answer(id, 'accept', page)
    expect(refused.status).toBe(409)
    const html = await refused.text()
    expect(lines(html)[0]).toEqual({
      text: 'Nachrichten: Ihre Nachrichten und Ihr Bankkonto lesen',
      changed: true,
    })
    expect(lines(html)[1]?.changed).toBe(false)
    expect((await stored(id))?.status).toBe('pending')
  })

  it('a scope removed while the page was open is refused, and the page asks for what is left', async () => {
    const id = await open()
    const page = await browser.visit(id)
    await api('PATCH', apiPath, { scopes: [SCOPES[0], SCOPES[1]] })
    const refused = await browser.answer(id, 'accept', page)
    expect(refused.status).toBe(409)
    const html = await refused.text()
    expect(html).toContain('data-testid="changed-notice"')
    expect(lines(html)).toEqual([{ text: 'Messages: read your messages', changed: true }])
    expect((await stored(id))?.status).toBe('pending')
  })

  it('an answer without a page id, or from a page that is not the latest, gets the page again', async () => {
    const id = await open()
    const page = await browser.visit(id)
    for (const rendition of [undefined, '', 'not-a-page-of-this-request']) {
      const res = await browser.answer(id, 'accept', {
        cookie: page.cookie,
        csrf: page.csrf,
        ...(rendition === undefined ? {} : { rendition }),
      })
      expect(res.status).toBe(409)
      const html = await res.text()
      expect(html).toContain('data-testid="changed-notice"')
      expect(html).toContain('This page has been updated since you opened it')
      expect(renditionOf(html)).toBe(page.rendition)
    }
    expect((await stored(id))?.status).toBe('pending')
    expect((await browser.answer(id, 'accept', page)).status).toBe(303)
  })

  it('a request already answered gets the plain 409 page, whatever the page id', async () => {
    const id = await open()
    const page = await browser.visit(id)
    expect((await browser.answer(id, 'deny', page)).status).toBe(303)
    for (const rendition of [page.rendition, 'other', undefined]) {
      const res = await browser.answer(id, 'accept', { ...page, rendition })
      expect(res.status).toBe(409)
      const html = await res.text()
      expect(html).not.toContain('data-testid="scope-lines"')
      expect(html).not.toContain('data-testid="changed-notice"')
    }
  })
})

describe('the grant keeps the versions the user was shown (DESIGN §3.5.1)', () => {
  it('a change between the answer and the verify is asked for at the next prompt', async () => {
    const id = await open()
    const page = await browser.visit(id)
    const res = await browser.answer(id, 'accept', page)
    expect(res.status).toBe(303)
    await api('PATCH', apiPath, {
      scopes: [SCOPES[0], SCOPES[1], { value: 'read:contacts', description: 'Export contacts' }],
    })
    expect((await browser.redeem(res)).status).toBe(200)
    const grant = await t.store.grants.find(t.tenant.id, DEMO.userId, DEMO.clientId, DEMO.audience)
    expect(grant?.details['read:contacts']?.version).toBe(1)
    expect(grant?.details['read:messages']?.version).toBe(1)
    // The user never saw the new words: they are asked for that scope, and only that one.
    const next = await api('POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: DEMO.userId,
      audience: DEMO.audience,
      scope: 'openid read:messages read:contacts',
      redirect_uri: DEMO.redirectUri,
      return_to: 'http://localhost:3000/demo/done',
    })
    expect(next.body.status).toBe('pending')
    const again = await browser.visit(next.body.id)
    expect(lines(again.html)).toEqual([{ text: 'Contacts: read your contacts', changed: true }])
  })

  it('a changed label asks again for the scopes of that resource only', async () => {
    const id = await open()
    await browser.redeem(await browser.answer(id, 'accept', await browser.visit(id)))
    const server = async () => {
      const found = await t.store.resourceServers.find(t.tenant.id, DEMO.audience)
      if (!found) throw new Error('the demo API is gone')
      return found
    }
    const before = await server()
    await api('PATCH', apiPath, {
      consent_resources: {
        ...before.consentResources,
        messages: {
          ...before.consentResources?.messages,
          fr: { heading: 'Messages', noun: 'vos messages et votre compte bancaire' },
        },
      },
    })
    const after = await server()
    const version = (
      value: string,
      api: { scopes: readonly { value: string; version?: number }[] },
    ) => api.scopes.find((scope) => scope.value === value)?.version ?? 1
    expect(version('read:messages', after)).toBe(version('read:messages', before) + 1)
    expect(version('write:messages', after)).toBe(version('write:messages', before) + 1)
    expect(version('read:contacts', after)).toBe(version('read:contacts', before))
    // The same labels again: nothing moves.
    await api('PATCH', apiPath, { consent_resources: after.consentResources })
    expect(version('read:messages', await server())).toBe(version('read:messages', after))
    const next = await open()
    const again = await browser.visit(next)
    expect(lines(again.html)).toEqual([{ text: 'Messages: read your messages', changed: true }])
    // The preview counts the user the label change asks again.
    const { cookie } = await adminSignIn(t)
    const preview = await t.app.request(
      `/admin/preview?audience=${encodeURIComponent(DEMO.audience)}&client_id=${DEMO.clientId}`,
      { headers: { cookie } },
    )
    expect(await preview.text()).toContain(
      'Its description or label changed since users granted it: 1 user will be asked again.',
    )
  })
})

describe('the status the AS reads (DESIGN §3.4)', () => {
  it('is pending, then answered until the verify, then the outcome; answered and never verified it expires', async () => {
    const id = await open()
    expect((await api('GET', `/consent-requests/${id}`)).body.status).toBe('pending')
    const page = await browser.visit(id)
    const res = await browser.answer(id, 'accept', page)
    const view = (await api('GET', `/consent-requests/${id}`)).body
    expect(view).toEqual({ id, status: 'answered', expires_at: expect.any(String) })
    await browser.redeem(res)
    expect((await api('GET', `/consent-requests/${id}`)).body.status).toBe('accepted')

    const other = await open({ user_id: 'someone-else' })
    await browser.answer(other, 'deny', await browser.visit(other))
    expect((await api('GET', `/consent-requests/${other}`)).body.status).toBe('answered')
    t.clock.advance(600_000)
    expect((await api('GET', `/consent-requests/${other}`)).body.status).toBe('expired')
  })
})
