import { beforeEach, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import {
  type ConsentBrowser,
  createRequest,
  openRequest,
  type PageSession,
  renditionOf,
} from '../support/consent.js'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/* How long a grant lasts when the user chooses (DESIGN §3.5.1). */

let t: TestApp
let api: Management
let browser: ConsentBrowser

const HOUR = 3600
const DAY = 86_400

eachTestApp((suite) => ({ t, api, browser } = suite))

const open = (extra: Record<string, unknown> = {}) => createRequest(api, extra)

/** The radio buttons of a page: value, label and whether it is checked, in page order. */
function radios(html: string) {
  const block = /data-testid="duration-choice"[\s\S]*?<\/fieldset>/.exec(html)?.[0] ?? ''
  return [
    ...block.matchAll(
      /<input type="radio" id="[^"]+" name="duration" value="([^"]+)"[^>]*?( checked)?> <span>([^<]+)<\/span>/g,
    ),
    // Intl writes a no-break space between a number and its unit in some languages.
  ].map((m) => ({ value: m[1], checked: m[2] !== undefined, label: m[3]?.replace(/\s/g, ' ') }))
}

async function prompt(extra: Record<string, unknown> = {}) {
  const id = await openRequest(api, extra)
  return { id, page: await browser.visit(id) }
}

const accept = (id: string, page: PageSession, duration?: string) =>
  browser.answer(id, 'accept', page, duration === undefined ? [] : [['duration', duration]])

describe('consent_duration_choices on the Management API', () => {
  it('is kept on the client and the tenant, cleared by null, and checked', async () => {
    const client = await api('PATCH', `/clients/${DEMO.clientId}`, {
      consent_duration_choices: [HOUR, DAY, null],
    })
    expect(client.status).toBe(200)
    expect(client.body.consent_duration_choices).toEqual([HOUR, DAY, null])
    expect((await api('GET', `/clients/${DEMO.clientId}`)).body.consent_duration_choices).toEqual([
      HOUR,
      DAY,
      null,
    ])
    const tenant = await api('PATCH', '/tenants/settings', { consent_duration_choices: [DAY] })
    expect(tenant.body.consent_duration_choices).toEqual([DAY])
    const cleared = await api('PATCH', `/clients/${DEMO.clientId}`, {
      consent_duration_choices: null,
    })
    expect(cleared.body.consent_duration_choices).toBeUndefined()
    const tenantCleared = await api('PATCH', '/tenants/settings', {
      consent_duration_choices: null,
    })
    expect(tenantCleared.body.consent_duration_choices).toBeUndefined()
    for (const bad of [
      [59],
      [],
      [1.5],
      Array.from({ length: 9 }, (_, i) => (i + 1) * HOUR),
      ['1h'],
    ])
      for (const [path, method] of [
        [`/clients/${DEMO.clientId}`, 'PATCH'],
        ['/tenants/settings', 'PATCH'],
      ] as const)
        expectError(await api(method, path, { consent_duration_choices: bad }), 400, 'invalid_body')
  })

  it('is in the OpenAPI document, on clients, settings, decisions and receipts', async () => {
    const doc = await (await t.app.request('/api/v2/openapi.json')).text()
    expect(doc.match(/consent_duration_choices/g)?.length).toBeGreaterThanOrEqual(4)
    expect(doc).toContain('"duration"')
  })
})

describe('the duration choice on the prompt', () => {
  it('is absent unless choices are set; the client’s choices come before the tenant’s', async () => {
    expect((await prompt()).page.html).not.toContain('data-testid="duration-choice"')
    await api('PATCH', '/tenants/settings', { consent_duration_choices: [DAY, null] })
    expect(radios((await prompt()).page.html).map((r) => r.value)).toEqual([
      String(DAY),
      'until_removed',
    ])
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_duration_choices: [null, HOUR] })
    const { page } = await prompt()
    // Shortest first; the longest checked, which is what the grant lasts with no choice at all.
    expect(radios(page.html)).toEqual([
      { value: String(HOUR), checked: false, label: '1 hour' },
      { value: 'until_removed', checked: true, label: 'Until I remove it' },
    ])
    expect(page.html).toContain('How long to allow access')
  })

  it('is capped by the consent lifetime that applies', async () => {
    await api('PATCH', '/tenants/settings', { consent_lifetime: 7 * DAY })
    await api('PATCH', `/clients/${DEMO.clientId}`, {
      consent_duration_choices: [HOUR, 30 * DAY, null],
    })
    // 30 days and "until removed" are both the 7-day lifetime: one choice of 7 days.
    expect(radios((await prompt()).page.html)).toEqual([
      { value: String(HOUR), checked: false, label: '1 hour' },
      { value: String(7 * DAY), checked: true, label: '7 days' },
    ])
    // A lifetime that leaves one choice leaves nothing to choose.
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: 1800 })
    expect((await prompt()).page.html).not.toContain('data-testid="duration-choice"')
  })

  it('reads in the page’s language', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, {
      consent_duration_choices: [2 * HOUR, 30 * DAY, null],
    })
    const labels = radios((await prompt({ ui_locales: 'fr' })).page.html).map((r) => r.label)
    expect(labels).toEqual(['2 heures', '30 jours', 'Jusqu’à ce que je la retire'])
    const de = radios((await prompt({ ui_locales: 'de' })).page.html).map((r) => r.label)
    expect(de).toEqual(['2 Stunden', '30 Tage', 'Bis ich ihn entferne'])
  })

  it('is part of what the page showed: the rendition differs with the choices offered', async () => {
    const plain = (await prompt()).page.rendition
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_duration_choices: [HOUR, DAY] })
    const offered = (await prompt()).page.rendition
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_duration_choices: [HOUR, 2 * DAY] })
    const other = (await prompt()).page.rendition
    expect(new Set([plain, offered, other]).size).toBe(3)
  })
})

describe('the duration chosen', () => {
  beforeEach(async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, {
      consent_duration_choices: [HOUR, DAY, null],
    })
  })

  it('sets the grant’s expires_at, and is in the decision and the receipt', async () => {
    const { id, page } = await prompt()
    const decision = await browser.redeem(await accept(id, page, String(HOUR)))
    expect(decision.body).toMatchObject({ status: 'accepted', duration: HOUR })
    const grants = await api('GET', `/grants?client_id=${DEMO.clientId}`)
    expect(grants.body[0].expires_at).toBe(
      new Date(t.clock.now().getTime() + HOUR * 1000).toISOString(),
    )
    const receipt = await api('GET', `/consent-receipts/${decision.body.receipt_id}`)
    expect(receipt.body.duration).toBe(HOUR)
    // Within the hour the grant counts; after it the user is asked again.
    t.clock.advance(HOUR * 1000 - 1000)
    expect((await open()).body.status).toBe('accepted')
    t.clock.advance(2000)
    expect((await open()).body.status).toBe('pending')
  })

  it('"until removed" gives a grant with no end, and says null', async () => {
    const { id, page } = await prompt()
    const decision = await browser.redeem(await accept(id, page, 'until_removed'))
    expect(decision.body.duration).toBeNull()
    const receipt = await api('GET', `/consent-receipts/${decision.body.receipt_id}`)
    expect(receipt.body.duration).toBeNull()
    expect((await api('GET', '/grants')).body[0].expires_at).toBeUndefined()
    t.clock.advance(400 * DAY * 1000)
    expect((await open()).body.status).toBe('accepted')
  })

  it('is still capped by a lifetime set later', async () => {
    const { id, page } = await prompt()
    await browser.redeem(await accept(id, page, String(DAY)))
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: HOUR })
    expect((await api('GET', '/grants')).body[0].expires_at).toBe(
      new Date(t.clock.now().getTime() + HOUR * 1000).toISOString(),
    )
  })

  it('is refused when the page did not offer it, and the request stays open', async () => {
    await api('PATCH', '/tenants/settings', { consent_lifetime: DAY })
    const { id, page } = await prompt()
    expect(radios(page.html).map((r) => r.value)).toEqual([String(HOUR), String(DAY)])
    // Never shown, longer than the cap, "until removed" under a lifetime, another spelling,
    // or none at all: a forged form.
    for (const forged of [String(2 * HOUR), String(30 * DAY), 'until_removed', '3600.0', ' 3600'])
      expect((await accept(id, page, forged)).status, forged).toBe(400)
    expect((await accept(id, page)).status).toBe(400)
    const twice = await browser.answer(id, 'accept', page, [
      ['duration', String(HOUR)],
      ['duration', String(DAY)],
    ])
    expect(twice.status).toBe(400)
    expect((await api('GET', `/consent-requests/${id}`)).body.status).toBe('pending')
    // The page's own value is accepted after all that.
    const answered = await accept(id, page, String(DAY))
    expect(answered.status).toBe(303)
    expect((await browser.redeem(answered)).body.duration).toBe(DAY)
  })

  it('changed while the page was open: the answer is refused and the page shown again', async () => {
    const { id, page } = await prompt()
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_duration_choices: [HOUR, 7 * DAY] })
    const stale = await accept(id, page, 'until_removed')
    expect(stale.status).toBe(409)
    const html = await stale.text()
    expect(html).toContain('data-testid="changed-notice"')
    expect(radios(html).map((r) => r.value)).toEqual([String(HOUR), String(7 * DAY)])
    expect((await api('GET', `/consent-requests/${id}`)).body.status).toBe('pending')
    // Answered on the page as it now reads, it counts.
    const again = { ...page, rendition: renditionOf(html) }
    expect((await accept(id, again, 'until_removed')).status).toBe(400)
    const answered = await accept(id, again, String(7 * DAY))
    expect((await browser.redeem(answered)).body.duration).toBe(7 * DAY)
  })

  it('is refused on a page that offered none; a decline needs none', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_duration_choices: null })
    const { id, page } = await prompt()
    expect((await accept(id, page, String(HOUR))).status).toBe(400)
    const decision = await browser.redeem(await accept(id, page))
    expect(decision.body.duration).toBeUndefined()
    const declined = await prompt({ user_id: 'auth0|someone-else' })
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_duration_choices: [HOUR, DAY] })
    const denied = await browser.answer(declined.id, 'deny', declined.page)
    expect((await browser.redeem(denied)).body).toMatchObject({ status: 'denied' })
  })

  it('applies only to the scopes answered: an earlier scope keeps its own end', async () => {
    const first = await prompt()
    await browser.redeem(await accept(first.id, first.page, 'until_removed'))
    t.clock.advance(1000)
    const more = await prompt({ scope: 'openid read:messages write:messages' })
    expect(renditionOf(more.page.html)).not.toBe('')
    await browser.redeem(await accept(more.id, more.page, String(HOUR)))
    t.clock.advance(HOUR * 1000)
    // write:messages ran out; read:messages, chosen "until removed", still counts.
    const again = await open({ scope: 'openid read:messages write:messages' })
    expect(again.body.status).toBe('pending')
    expect((await open()).body.status).toBe('accepted')
  })
})
