import { decodeJwt } from 'jose'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthorizationServer } from '../../examples/oidc-provider/authorization-server.js'
import { DEMO } from '../../src/services/demo.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { management } from '../support/management.js'
import { freePort, type Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

/*
 * Device sign-in through the oidc-provider example (RFC 8628, DESIGN §3.10): a device starts it,
 * the user enters its code on the AS's page, answers on Assent's page, which shows the same code,
 * and the polling device gets its token, or `access_denied`.
 */

let t: TestApp
let assent: Listening
let as: Awaited<ReturnType<typeof startAuthorizationServer>>
let browser: Browser
let asPort: number

const TV = 'living-room-tv'

chromiumForFile(
  (started) => ({ t, server: assent, browser } = started),
  async () => {
    asPort = await freePort()
    return { env: { ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${asPort}/interaction/` } }
  },
)
beforeAll(async () => {
  // A device has no redirect URI: Assent knows it by its id and name alone.
  await management(t)('POST', '/clients', { client_id: TV, name: 'Living Room TV', callbacks: [] })
  as = await startAuthorizationServer({
    port: asPort,
    assent: { url: assent.url, token: t.adminToken },
    defaultAudience: DEMO.audience,
    clients: [
      {
        client_id: TV,
        token_endpoint_auth_method: 'none',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  })
})
afterAll(async () => {
  await as?.close()
})

/** What the device does first: asks for a code (RFC 8628 §3.1). */
async function startDevice() {
  const res = await fetch(`${as.issuer}/device/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: TV, scope: 'openid read:messages' }).toString(),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as { device_code: string; user_code: string; verification_uri: string }
}

/** What the device does meanwhile: asks the token endpoint whether the user answered (§3.4). */
async function poll(deviceCode: string) {
  const res = await fetch(`${as.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: deviceCode,
      client_id: TV,
    }).toString(),
  })
  return { status: res.status, body: (await res.json()) as Record<string, string> }
}

/** The user, on their phone: enters the code, signs in, and lands on Assent's page. */
async function enterCode(page: Page, verificationUri: string, userCode: string, user: string) {
  await page.goto(verificationUri)
  await page.getByLabel('Code').fill(userCode)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByLabel('User name').fill(user)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${assent.url}/consent/**`)
}

describe('device sign-in with the oidc-provider example', () => {
  it('shows the device’s code on Assent’s page; Accept gives the polling device its token', async () => {
    const device = await startDevice()
    expect(device.user_code).toMatch(/^[B-Z]{4}-[B-Z]{4}$/)
    expect((await poll(device.device_code)).body.error).toBe('authorization_pending')

    const context = await browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await enterCode(page, device.verification_uri, device.user_code, 'dana')
    // The same code, exactly as the device shows it, with the warning against a code sent by
    // someone else.
    expect(await page.getByTestId('user-code').innerText()).toBe(device.user_code)
    expect(await page.getByTestId('device-warning').innerText()).toContain(
      'Nobody from Acme will ever ask you for this code',
    )
    await page.screenshot({ path: `${ARTIFACTS}device-consent.png`, fullPage: true })
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.getByTestId('device-done').waitFor()

    const token = await poll(device.device_code)
    expect(token.status).toBe(200)
    const claims = decodeJwt(token.body.access_token ?? '')
    expect(claims).toMatchObject({ sub: 'dana', aud: DEMO.audience, client_id: TV })
    expect(String(claims.scope).split(' ')).toContain('read:messages')
    // The receipt records the device sign-in and the code the user compared (DESIGN §3.6).
    const receipts = await management(t)('GET', '/consent-receipts?user_id=dana')
    expect(receipts.body[0]).toMatchObject({
      action: 'accept',
      flow: 'device',
      user_code: device.user_code,
    })
    await context.close()
  })

  it('asks again on the next device sign-in, and Decline gives the device access_denied', async () => {
    const device = await startDevice()
    const context = await browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    // The same user granted this client before: a device sign-in is asked all the same.
    await enterCode(page, device.verification_uri, device.user_code, 'dana')
    expect(await page.getByTestId('user-code').innerText()).toBe(device.user_code)
    await page.getByRole('button', { name: 'Decline' }).click()
    await page.getByText('The sign-in was declined or interrupted.').waitFor()

    const token = await poll(device.device_code)
    expect(token.status).toBe(400)
    expect(token.body.error).toBe('access_denied')
    await context.close()
  })

  it('a user who picks "1 hour" gives the AS a Grant that ends in an hour', async () => {
    await management(t)('PATCH', `/clients/${TV}`, { consent_duration_choices: [3600, null] })
    const saved: { accountId?: string; exp?: number }[] = []
    const keep = (grant: { accountId?: string; exp?: number }) => saved.push(grant)
    as.provider.on('grant.saved', keep)
    try {
      const device = await startDevice()
      const context = await browser.newContext({ locale: 'en-US' })
      const page = await context.newPage()
      await enterCode(page, device.verification_uri, device.user_code, 'erin')
      await page.getByText('1 hour', { exact: true }).click()
      const before = Math.floor(Date.now() / 1000)
      await page.getByRole('button', { name: 'Accept' }).click()
      await page.getByTestId('device-done').waitFor()
      const after = Math.ceil(Date.now() / 1000)
      expect((await poll(device.device_code)).status).toBe(200)
      // The Grant, and every token issued under it, ends an hour after the answer.
      const grant = saved.find((one) => one.accountId === 'erin')
      expect(grant?.exp).toBeGreaterThanOrEqual(before + 3600)
      expect(grant?.exp).toBeLessThanOrEqual(after + 3600)
      const receipts = await management(t)('GET', '/consent-receipts?user_id=erin')
      expect(receipts.body[0].duration).toBe(3600)
      await context.close()
    } finally {
      as.provider.off('grant.saved', keep)
      await management(t)('PATCH', `/clients/${TV}`, { consent_duration_choices: null })
    }
  })
})
