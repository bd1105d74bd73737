import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import type { ConsentBrowser } from '../support/consent.js'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/* Device sign-in (RFC 8628; DESIGN §3.10) and the "Not you?" link (§3.1, §3.2.1). */

let t: TestApp
let api: Management
let browser: ConsentBrowser

const RETURN_TO = 'http://localhost:3000/demo/done'
const TV = 'living-room-tv'

eachTestApp(async (suite) => {
  ;({ t, api, browser } = suite)
  // A device client registers no callbacks: nothing is redirected anywhere.
  const created = await api('POST', '/clients', { client_id: TV, name: 'Stream Box' })
  expect(created.status).toBe(201)
})

const deviceBody = (overrides: Record<string, unknown> = {}) => ({
  client_id: TV,
  user_id: DEMO.userId,
  user_name: DEMO.userName,
  audience: DEMO.audience,
  scope: 'openid read:messages',
  return_to: RETURN_TO,
  flow: 'device',
  user_code: 'WDJB-MJHT',
  device: { name: 'Living room TV' },
  ...overrides,
})

const openDevice = (overrides: Record<string, unknown> = {}) =>
  api('POST', '/consent-requests', deviceBody(overrides))

const testid = (html: string, id: string) =>
  new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1]

describe('a device sign-in', () => {
  it('needs no redirect_uri, shows the code exactly as sent, the warning and the device', async () => {
    const created = await openDevice({ user_code: 'abCD-1234' })
    expect(created.status).toBe(201)
    expect(created.body.status).toBe('pending')
    const page = await browser.visit(created.body.id)
    expect(page.status).toBe(200)
    expect(testid(page.html, 'user-code')).toBe('abCD-1234')
    expect(page.html).toContain('data-testid="device-warning"')
    expect(page.html).toContain('Check that this code matches the one shown on your device')
    expect(page.html).toContain('Nobody from')
    expect(page.html).toContain('You are signing in on <bdi>Living room TV</bdi>')
    expect(page.html).not.toContain('You will be sent to')
  })

  it('says "another device" when the AS names none, in every locale it is asked in', async () => {
    const created = await openDevice({ device: undefined, ui_locales: 'fr' })
    const page = await browser.visit(created.body.id)
    expect(page.html).toContain('Vous vous connectez sur un autre appareil')
    expect(page.html).toContain('data-testid="device-warning"')
  })

  it('is asked again even when everything was granted before', async () => {
    await api('PATCH', `/clients/${TV}`, { callbacks: ['https://tv.example/cb'] })
    const first = await api('POST', '/consent-requests', {
      ...deviceBody({ flow: undefined, user_code: undefined, device: undefined }),
      redirect_uri: 'https://tv.example/cb',
    })
    const page = await browser.visit(first.body.id)
    const verified = await browser.redeem(await browser.answer(first.body.id, 'accept', page))
    expect(verified.body.status).toBe('accepted')
    // The redirect flow skips the page now …
    const again = await api('POST', '/consent-requests', {
      ...deviceBody({ flow: undefined, user_code: undefined, device: undefined }),
      redirect_uri: 'https://tv.example/cb',
    })
    expect(again.body.status).toBe('accepted')
    // … the device flow never does, and asks about everything.
    const device = await openDevice()
    expect(device.body.status).toBe('pending')
    const devicePage = await browser.visit(device.body.id)
    expect(devicePage.html).toContain('Messages')
  })

  it('is asked even for a first-party client on an API that skips consent for them', async () => {
    await api('PATCH', `/clients/${TV}`, { is_first_party: true })
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      skip_consent_for_verifiable_first_party_clients: true,
    })
    const created = await openDevice()
    expect(created.body.status).toBe('pending')
  })

  it('answers prompt=none with consent_required', async () => {
    const created = await openDevice({ prompt: 'none' })
    expect(created.body).toMatchObject({ status: 'denied', error: 'consent_required' })
  })

  it('records the code on the page shown, and the receipt quotes it', async () => {
    const created = await openDevice()
    const page = await browser.visit(created.body.id)
    const stored = await t.store.consentRequests.get(t.tenant.id, created.body.id)
    expect(stored?.shown?.device).toEqual({ userCode: 'WDJB-MJHT', name: 'Living room TV' })
    const res = await browser.answer(created.body.id, 'accept', page)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/demo\/done\?/)
    const decision = await browser.redeem(res)
    expect(decision.body).toMatchObject({
      status: 'accepted',
      granted_scopes: ['openid', 'read:messages'],
    })
    const receipt = await api('GET', `/consent-receipts/${decision.body.receipt_id}`)
    expect(receipt.body).toMatchObject({ action: 'accept', flow: 'device', user_code: 'WDJB-MJHT' })
  })

  it('gives access_denied on decline, and the receipt still names the code', async () => {
    const created = await openDevice()
    const page = await browser.visit(created.body.id)
    const decision = await browser.redeem(await browser.answer(created.body.id, 'deny', page))
    expect(decision.body).toMatchObject({ status: 'denied', error: 'access_denied' })
    const receipt = await api('GET', `/consent-receipts/${decision.body.receipt_id}`)
    expect(receipt.body).toMatchObject({ action: 'deny', flow: 'device', user_code: 'WDJB-MJHT' })
  })

  it('gives two codes two renditions: an answer is about the code it showed', async () => {
    const a = await browser.visit((await openDevice({ user_code: 'AAAA-1111' })).body.id)
    const b = await browser.visit((await openDevice({ user_code: 'BBBB-2222' })).body.id)
    expect(a.rendition).not.toBe(b.rendition)
    expect(testid(b.html, 'user-code')).toBe('BBBB-2222')
  })

  it.each([
    [{ user_code: undefined }, 'user_code'],
    [{ user_code: '' }, 'user_code'],
    [{ user_code: 'A'.repeat(33) }, 'user_code'],
    [{ user_code: 'WDJB MJHT' }, 'user_code'],
    [{ user_code: '<b>WDJB</b>' }, 'user_code'],
    [{ user_code: 'WDJB\u202eMJHT' }, 'user_code'],
    [{ device: { name: 'TV\u202e' } }, 'device'],
    [{ device: { name: '<img>' } }, 'device'],
    [{ flow: 'implicit' }, 'flow'],
    [{ redirect_uri: 'https://tv.example/cb' }, 'redirect_uri'],
    [{ flow: undefined }, 'user_code'],
    [{ flow: undefined, user_code: undefined }, 'device'],
  ])('refuses %j, naming the field', async (overrides, field) => {
    const res = await openDevice(overrides)
    expectError(res, 400, 'invalid_body')
    expect(res.body.message).toContain(field)
  })

  it('still needs redirect_uri without the device flow', async () => {
    const res = await openDevice({ flow: undefined, user_code: undefined, device: undefined })
    expectError(res, 400, 'invalid_body')
    expect(res.body.message).toContain('redirect_uri')
  })
})

describe('"Not you?"', () => {
  const open = (overrides: Record<string, unknown>) =>
    api('POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: DEMO.userId,
      user_name: DEMO.userName,
      audience: DEMO.audience,
      scope: 'openid read:messages',
      redirect_uri: DEMO.redirectUri,
      return_to: RETURN_TO,
      ...overrides,
    })

  it('links the AS switch_account_url unchanged', async () => {
    const url = 'http://localhost:3000/demo/switch?from=consent&amp=1'
    const created = await open({ switch_account_url: url })
    const page = await browser.visit(created.body.id)
    expect(page.html).toContain(
      `<a href="${url.replace(/&/g, '&amp;')}" data-testid="switch-account">Not you?</a>`,
    )
  })

  it('shows no link when the AS gives none', async () => {
    const page = await browser.visit((await open({})).body.id)
    expect(page.html).not.toContain('data-testid="switch-account"')
  })

  it.each([
    'javascript:alert(1)',
    'https://evil.example/switch',
    'http://localhost:3000.evil.example/',
    'data:text/html,hi',
  ])('refuses %s: the same rule as return_to', async (url) => {
    const res = await open({ switch_account_url: url })
    expectError(res, 400, 'invalid_body')
    expect(res.body.message).toContain('switch_account_url')
  })
})
