import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthorizationServer } from '../../examples/oidc-provider/authorization-server.js'
import { startRelyingParty } from '../../examples/oidc-provider/relying-party.js'
import { DEMO } from '../../src/services/demo.js'
import { ARTIFACTS, launchChromium } from '../support/browser.js'
import { management } from '../support/management.js'
import { freePort, listen } from '../support/serve.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let assent: Awaited<ReturnType<typeof listen>>
let as: Awaited<ReturnType<typeof startAuthorizationServer>>
let rp: Awaited<ReturnType<typeof startRelyingParty>>
let browser: Browser

beforeAll(async () => {
  const [assentPort, asPort, rpPort] = [await freePort(), await freePort(), await freePort()]
  t = await createTestApp({
    env: {
      PORT: String(assentPort),
      ASSENT_PUBLIC_URL: `http://127.0.0.1:${assentPort}`,
      ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${asPort}/interaction/`,
    },
  })
  assent = await listen(t.app, assentPort)
  const redirectUri = `http://127.0.0.1:${rpPort}/callback`
  await management(t)('POST', '/clients', {
    client_id: 'example-app',
    name: 'Example App',
    callbacks: [redirectUri],
  })
  as = await startAuthorizationServer({
    port: asPort,
    assent: { url: assent.url, token: t.adminToken },
    defaultAudience: DEMO.audience,
    clients: [
      {
        client_id: 'example-app',
        client_secret: 'example-app-secret',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
  })
  rp = await startRelyingParty({
    port: rpPort,
    issuer: as.issuer,
    clientId: 'example-app',
    clientSecret: 'example-app-secret',
    scope: 'openid profile read:messages write:messages',
  })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await rp?.close()
  await as?.close()
  await assent?.close()
  await t?.close()
})

describe('the whole flow in Chromium', () => {
  it('signs in, clicks Accept on Assent, and ends at the client’s callback with a token', async () => {
    const context = await browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${rp.url}/login`)
    await page.getByLabel('User name').fill('hana')
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.waitForURL(`${assent.url}/consent/**`)
    const lines = await page.locator('[data-testid="scope-lines"] li').allInnerTexts()
    expect(lines.map((line) => line.trim())).toEqual([
      'Profile: access your name and picture',
      'Messages: read and write your messages',
    ])
    await page.screenshot({ path: `${ARTIFACTS}flow-consent.png`, fullPage: true })
    await page.getByRole('button', { name: 'Accept' }).click()

    await page.waitForURL(`${rp.url}/callback**`)
    expect(await page.getByTestId('audience').innerText()).toBe(DEMO.audience)
    expect((await page.getByTestId('scope').innerText()).split(' ').sort()).toEqual([
      'read:messages',
      'write:messages',
    ])
    await page.screenshot({ path: `${ARTIFACTS}flow-callback.png`, fullPage: true })
    await context.close()
  })

  it('Decline ends at the client’s callback with access_denied', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' })
    const page = await context.newPage()
    await page.goto(`${rp.url}/login?ui_locales=fr`)
    await page.getByLabel('User name').fill('ines')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${assent.url}/consent/**`)
    expect(await page.locator('html').getAttribute('lang')).toBe('fr')
    await page.getByRole('button', { name: 'Refuser' }).click()
    await page.waitForURL(`${rp.url}/callback**`)
    expect(await page.getByTestId('error').innerText()).toBe('access_denied')
    await context.close()
  })
})
