import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { type ConsentBrowser, cookieOf, csrfOf, demoRequest } from '../support/consent.js'
import { consoleSession } from '../support/console.js'
import type { Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/*
 * The pages around a chosen duration (DESIGN §3.5.1, §3.7, §5): the connected-apps page says until
 * when, the console sets the choices, and lists the self-registered apps apart (§3.10).
 */

let t: TestApp
let api: Management
let browser: ConsentBrowser

eachTestApp((suite) => ({ t, api, browser } = suite))

const DAY = 86_400

/** The user grants the demo client its scopes, choosing `duration` on the page. */
async function grant(duration: string) {
  const created = await api('POST', '/consent-requests', demoRequest())
  const page = await browser.visit(created.body.id)
  const answered = await browser.answer(created.body.id, 'accept', page, [['duration', duration]])
  expect((await browser.redeem(answered)).body.status).toBe('accepted')
}

/** The connected-apps page of the demo user, through a portal link as the AS hands it out. */
async function connectedApps(uiLocales = 'en') {
  const link = await api('POST', `/users/${encodeURIComponent(DEMO.userId)}/portal-sessions`, {
    ui_locales: uiLocales,
  })
  const path = new URL(link.body.url).pathname
  const page = await t.app.request(path)
  const linkCookie = cookieOf(page)
  const csrf = csrfOf(await page.text())
  const opened = await t.app.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: linkCookie,
      origin: 'http://localhost:3000',
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({ csrf }).toString(),
  })
  const session = opened.headers.getSetCookie().find((c) => c.startsWith('assent_account='))
  const apps = await t.app.request('/account/apps', {
    headers: { cookie: session?.split(';')[0] ?? '' },
  })
  return apps.text()
}

const until = (html: string) =>
  /data-testid="grant-until">([^<]+)</.exec(html)?.[1]?.replace(/\s/g, ' ')

describe('the connected-apps page', () => {
  it('says until when a grant lasts, in the page’s language, and nothing for one without end', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, {
      consent_duration_choices: [DAY, 30 * DAY, null],
    })
    // The clock starts on 24 November 2026: 30 days later is 24 December.
    await grant(String(30 * DAY))
    expect(until(await connectedApps())).toBe('Until December 24')
    expect(until(await connectedApps('fr'))).toBe('Jusqu’au 24 décembre')
    expect(until(await connectedApps('de'))).toBe('Bis 24. Dezember')
  })

  it('names the year when it is not this one, and nothing for a grant until removed', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, {
      consent_duration_choices: [DAY, 60 * DAY, null],
    })
    await grant(String(60 * DAY))
    expect(until(await connectedApps())).toBe('Until January 23, 2027')
    expect((await api('DELETE', `/grants?user_id=${encodeURIComponent(DEMO.userId)}`)).status).toBe(
      204,
    )
    await grant('until_removed')
    expect(until(await connectedApps())).toBeUndefined()
  })
})

describe('the console', () => {
  it('sets the duration choices of a client and of the tenant, and names a bad one', async () => {
    const s = await consoleSession(t)
    const saved = await s.post(`/admin/clients/${DEMO.clientId}`, {
      consent_duration_choices: '3600, 86400, until_removed',
    })
    expect(saved.status).toBe(303)
    expect((await t.store.clients.get(t.tenant.id, DEMO.clientId))?.consentDurationChoices).toEqual(
      [3600, 86_400, null],
    )
    expect(await (await s.get(`/admin/clients/${DEMO.clientId}`)).text()).toContain(
      'value="3600, 86400, until_removed"',
    )
    const bad = await s.post(`/admin/clients/${DEMO.clientId}`, {
      consent_duration_choices: '1 hour',
    })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/id="consent_duration_choices-error">must list seconds/)
    const short = await s.post(`/admin/clients/${DEMO.clientId}`, {
      consent_duration_choices: '30',
    })
    expect(await short.text()).toMatch(/id="consent_duration_choices-error">must hold whole/)
    // Emptied: the tenant's choices apply again.
    await s.post(`/admin/clients/${DEMO.clientId}`, { consent_duration_choices: '' })
    expect(
      (await t.store.clients.get(t.tenant.id, DEMO.clientId))?.consentDurationChoices,
    ).toBeNull()

    const tenant = await s.post('/admin/settings', {
      consent_duration_choices: '86400 until_removed',
    })
    expect(tenant.status).toBe(303)
    expect((await api('GET', '/tenants/settings')).body.consent_duration_choices).toEqual([
      86_400,
      null,
    ])
  })

  it('lists the self-registered clients apart', async () => {
    await api('POST', '/clients', {
      client_id: 'agent',
      name: 'Helpful Agent',
      callbacks: ['https://agent.example/cb'],
      is_dynamic: true,
    })
    const s = await consoleSession(t)
    const rows = (html: string) =>
      [
        ...(/data-testid="client-list"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '').matchAll(
          /<tr><td>/g,
        ),
      ].length
    const all = await (await s.get('/admin/clients')).text()
    expect(all).toContain('Helpful Agent')
    expect(all).toContain('Mail Helper')
    expect(rows(all)).toBeGreaterThanOrEqual(2)
    const only = await (await s.get('/admin/clients?kind=self_registered')).text()
    expect(only).toContain('Helpful Agent')
    expect(only).not.toContain('Mail Helper')
    expect(rows(only)).toBe(1)
    expect(only).toMatch(/href="\/admin\/clients\?kind=self_registered" aria-current="page"/)
    // The Management API filters alike.
    const ids = async (query: string) =>
      ((await api('GET', `/clients${query}`)).body as { client_id: string }[]).map(
        (client) => client.client_id,
      )
    expect(await ids('?is_dynamic=true')).toEqual(['agent'])
    expect(await ids('?is_dynamic=false')).not.toContain('agent')
    expect(await ids('?is_dynamic=false')).toContain(DEMO.clientId)
    // An unknown filter shows them all.
    expect(await (await s.get('/admin/clients?kind=%3Cscript%3E')).text()).toContain('Mail Helper')
  })
})

describe('the preview', () => {
  it('shows the duration choice, the trust block and a device sign-in', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_duration_choices: [3600, null] })
    await api('POST', '/clients', {
      client_id: 'agent',
      name: 'Helpful Agent',
      callbacks: ['https://agent.example/cb'],
      is_dynamic: true,
    })
    const s = await consoleSession(t)
    const plain = await (await s.get(`/admin/preview?client_id=${DEMO.clientId}`)).text()
    // Both columns show the choice, shown but not answerable.
    expect(plain.match(/data-testid="duration-choice" disabled/g)).toHaveLength(2)
    expect(plain).toContain('<span>1 hour</span>')
    expect(plain).not.toContain('data-testid="user-code"')
    const device = await (
      await s.get(`/admin/preview?client_id=${DEMO.clientId}&flow=device`)
    ).text()
    expect(device).toMatch(/data-testid="user-code"[^>]*>WDJB-MJHT</)
    expect(device).toContain('data-testid="device-warning"')
    expect(device).toContain('name="flow" value="device" checked')
    const agent = await (await s.get('/admin/preview?client_id=agent')).text()
    expect(agent).toContain('data-testid="client-trust"')
    expect(agent).not.toContain('data-testid="duration-choice"')
  })
})
