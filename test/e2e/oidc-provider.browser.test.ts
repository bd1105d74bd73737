import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthorizationServer } from '../../examples/oidc-provider/authorization-server.js'
import { startRelyingParty } from '../../examples/oidc-provider/relying-party.js'
import { silentLogger } from '../../src/logger.js'
import { DEMO } from '../../src/services/demo.js'
import { createWebhookWorker } from '../../src/services/webhooks/webhooks.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { management } from '../support/management.js'
import { freePort, type Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

let t: TestApp
let assent: Listening
let as: Awaited<ReturnType<typeof startAuthorizationServer>>
let rp: Awaited<ReturnType<typeof startRelyingParty>>
let browser: Browser
let asPort: number
let rpPort: number

chromiumForFile(
  (started) => ({ t, server: assent, browser } = started),
  async () => {
    ;[asPort, rpPort] = [await freePort(), await freePort()]
    return {
      env: {
        ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${asPort}/interaction/,http://127.0.0.1:${rpPort}/`,
        ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1',
      },
    }
  },
)
beforeAll(async () => {
  // The AS hears revocations at its webhook endpoint (DESIGN §3.8).
  const hook = await management(t)('POST', '/webhooks', {
    url: `http://127.0.0.1:${asPort}/assent/webhooks`,
    events: ['grant.revoked', 'grant.deleted'],
  })
  const redirectUri = `http://127.0.0.1:${rpPort}/callback`
  await management(t)('POST', '/clients', {
    client_id: 'example-app',
    name: 'Example App',
    callbacks: [redirectUri],
  })
  as = await startAuthorizationServer({
    port: asPort,
    assent: { url: assent.url, token: t.adminToken, webhookSecret: hook.body.secret },
    defaultAudience: DEMO.audience,
    portalReturnTo: `http://127.0.0.1:${rpPort}/`,
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
})
afterAll(async () => {
  await rp?.close()
  await as?.close()
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

  it('a consent link that leaks to another browser grants nothing, and the real user is asked again', async () => {
    const user = 'leaky-lee'
    const victim = await browser.newContext({ locale: 'en-US' })
    const victimPage = await victim.newPage()
    // The user signs in; the consent link leaks before their browser opens it (a proxy log, a
    // shared screen, …): the AS's redirects are followed here, with this browser's cookies.
    await victimPage.goto(`${rp.url}/login`)
    await victimPage.getByLabel('User name').waitFor()
    let next = await victim.request.post(`${victimPage.url()}/login`, {
      form: { username: user },
      maxRedirects: 0,
    })
    let leaked = ''
    for (let hop = 0; hop < 6 && !leaked; hop++) {
      const location = new URL(next.headers().location ?? '', as.issuer).href
      if (location.startsWith(`${assent.url}/consent/`)) leaked = location
      else next = await victim.request.get(location, { maxRedirects: 0 })
    }
    expect(leaked).not.toBe('')

    // The attacker opens it first, and accepts: Assent hands their browser a verifier …
    const attacker = await browser.newContext({ locale: 'en-US' })
    const attackerPage = await attacker.newPage()
    await attackerPage.goto(leaked)
    await attackerPage.getByRole('button', { name: 'Accept' }).click()
    // … which the authorization server will not redeem: this browser holds no interaction of its.
    await attackerPage.waitForURL(`${as.issuer}/interaction/**`)
    expect(await attackerPage.content()).not.toContain('callback')
    await attackerPage.screenshot({ path: `${ARTIFACTS}leaked-attacker.png`, fullPage: true })
    const grants = await management(t)('GET', `/grants?user_id=${user}`)
    expect(grants.body).toEqual([])

    // The real user, opening the leaked link, is told it was opened elsewhere — and told nothing else.
    const response = await victimPage.goto(leaked)
    expect(response?.status()).toBe(403)
    expect(await victimPage.getByRole('heading').innerText()).toBe(
      'This link was opened in another browser',
    )
    expect(await victimPage.content()).not.toContain(user)
    await victimPage.screenshot({ path: `${ARTIFACTS}leaked-victim.png`, fullPage: true })

    // Signing in again prompts: no grant was stored for the attacker's Accept.
    const again = await browser.newContext({ locale: 'en-US' })
    const againPage = await again.newPage()
    await againPage.goto(`${rp.url}/login`)
    await againPage.getByLabel('User name').fill(user)
    await againPage.getByRole('button', { name: 'Sign in' }).click()
    await againPage.waitForURL(`${assent.url}/consent/**`)
    await againPage.getByRole('button', { name: 'Accept' }).click()
    await againPage.waitForURL(`${rp.url}/callback**`)
    expect((await againPage.getByTestId('scope').innerText()).split(' ').sort()).toEqual([
      'read:messages',
      'write:messages',
    ])
    expect((await management(t)('GET', `/grants?user_id=${user}`)).body).toHaveLength(1)
    await again.close()
    await attacker.close()
    await victim.close()
  })

  it('with granular consent, an unticked line is missing from the access token', async () => {
    await management(t)('PATCH', '/tenants/settings', { flags: { enable_granular_consent: true } })
    try {
      const context = await browser.newContext({ locale: 'en-US' })
      const page = await context.newPage()
      await page.goto(`${rp.url}/login`)
      await page.getByLabel('User name').fill('picky-pat')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${assent.url}/consent/**`)
      // Each optional scope has its own box (DESIGN §3.5): untick both.
      await page.getByRole('checkbox', { name: 'Messages: read your messages' }).uncheck()
      await page.getByRole('checkbox', { name: 'Messages: write your messages' }).uncheck()
      await page.getByRole('button', { name: 'Accept' }).click()
      await page.waitForURL(`${rp.url}/callback**`)
      // The token carries none of the declined scopes; the user's grant in Assent neither.
      expect(await page.getByTestId('scope').innerText()).not.toContain('messages')
      const grants = await management(t)('GET', '/grants?user_id=picky-pat')
      expect(grants.body[0].scope).toEqual(['openid', 'profile'])
      await context.close()
    } finally {
      await management(t)('PATCH', '/tenants/settings', {
        flags: { enable_granular_consent: false },
      })
    }
  })

  it('Manage connected apps → Remove access: the AS hears grant.revoked, drops its Grant, and the next sign-in asks again', async () => {
    const user = 'rita-revokes'
    // An unsigned event is refused: only Assent can make the AS revoke anything.
    const forged = await fetch(`${as.issuer}/assent/webhooks`, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl',
      },
      body: JSON.stringify({ type: 'grant.revoked', data: { user_id: user, client_id: 'x' } }),
    })
    expect(forged.status).toBe(400)
    const context = await browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${rp.url}/login`)
    await page.getByLabel('User name').fill(user)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${assent.url}/consent/**`)
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.waitForURL(`${rp.url}/callback**`)

    // Signed in again with the AS session and its Grant: no prompt, straight back.
    await page.goto(`${rp.url}/login`)
    await page.waitForURL(`${rp.url}/callback**`)

    // The client app links to the AS, which opens a portal session in Assent for this user.
    await page.getByRole('link', { name: 'Manage connected apps' }).click()
    await page.waitForURL(`${assent.url}/account/session/**`)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${assent.url}/account/apps`)
    const app = page.getByTestId('connected-app')
    expect(await app.getByRole('heading').innerText()).toBe('Example App')
    expect(await app.locator('li').allInnerTexts()).toEqual([
      'Profile: access your name and picture',
      'Messages: read and write your messages',
    ])
    await app.getByText('Remove access', { exact: true }).click()
    await app.getByRole('button', { name: 'Yes, remove access' }).click()
    await page.waitForURL(`${assent.url}/account/apps?removed=**`)
    expect(await page.getByTestId('connected-app').count()).toBe(0)
    await page.screenshot({ path: `${ARTIFACTS}flow-connected-apps.png`, fullPage: true })
    expect((await management(t)('GET', `/grants?user_id=${user}`)).body).toEqual([])

    // Assent delivers grant.revoked to the AS (signed; the AS checks it) …
    const worker = createWebhookWorker({
      store: t.store,
      now: () => new Date(Math.max(Date.now(), t.clock.now().getTime())),
      log: silentLogger,
      allowHttpLoopback: true,
    })
    expect(await worker.runOnce()).toBe(1)
    const hooks = await management(t)('GET', '/webhooks')
    const deliveries = await management(t)('GET', `/webhooks/${hooks.body[0].id}/deliveries`)
    expect(deliveries.body[0]).toMatchObject({ type: 'grant.revoked', status: 204 })

    // … so the AS has no Grant left, and the next sign-in prompts again.
    await page.getByRole('link', { name: 'Back to the app' }).click()
    await page.waitForURL(`${rp.url}/`)
    await page.goto(`${rp.url}/login`)
    await page.waitForURL(`${assent.url}/consent/**`)
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.waitForURL(`${rp.url}/callback**`)
    expect((await page.getByTestId('scope').innerText()).split(' ').sort()).toEqual([
      'read:messages',
      'write:messages',
    ])
    await context.close()
  })
})
