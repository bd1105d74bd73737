import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { compactVerify, createLocalJWKSet } from 'jose'
import type { Browser } from 'playwright-core'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssentClient } from '../../src/client/index.js'
import { silentLogger } from '../../src/logger.js'
import { DEMO } from '../../src/services/demo.js'
import { createWebhookWorker } from '../../src/services/webhooks/webhooks.js'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, startInChromium } from '../support/browser.js'
import { management } from '../support/management.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

let t: TestApp
let server: Listening
let browser: Browser
let stop: (() => Promise<void>) | undefined
let api: ReturnType<typeof management>
let receiver: Server
let receiverUrl: string
const received: { body: string; headers: IncomingHttpHeaders }[] = []

beforeAll(async () => {
  ;({
    t,
    server,
    browser,
    close: stop,
  } = await startInChromium({
    env: { ASSENT_DEMO: '1', ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1' },
  }))
  api = management(t)
  // The AS's webhook endpoint: keeps what it is sent.
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      received.push({ body, headers: req.headers })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/assent-events`
})
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve))
  await stop?.()
})

describe('connected apps in Chromium (DESIGN §3.7)', () => {
  it('the user removes an app: the grant goes, a signed revoke receipt is written, and the AS hears grant.revoked', async () => {
    const hook = await api('POST', '/webhooks', { url: receiverUrl, events: ['grant.revoked'] })
    expect(hook.status).toBe(201)

    // The user allows the demo client, in the browser.
    const userId = 'portal-browser-user'
    const created = await api('POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: userId,
      audience: DEMO.audience,
      scope: 'openid profile read:messages write:messages',
      redirect_uri: DEMO.redirectUri,
      return_to: `${server.url}/demo/done`,
    })
    const context = await browser.newContext({
      locale: 'en-US',
      extraHTTPHeaders: { 'accept-language': 'en-US' },
      viewport: { width: 390, height: 844 },
    })
    const page = await context.newPage()
    await page.goto(created.body.consent_url)
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.waitForURL(/\/demo\/done/)
    expect((await api('GET', `/grants?user_id=${userId}`)).body).toHaveLength(1)

    // The AS opens the user's page through its typed client, and sends the browser there.
    const assent = new AssentClient({ url: server.url, token: t.adminToken })
    const link = await assent.createPortalSession(userId, {
      return_to: `${server.url}/demo`,
      ui_locales: 'en',
    })
    // The link's page asks to continue; only that same-origin post signs the browser in.
    await page.goto(link.url)
    expect(await page.locator('h1').innerText()).toBe('Open your connected apps')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(/\/account\/apps$/)
    const app = page.getByTestId('connected-app')
    await expect.poll(() => app.count()).toBe(1)
    expect(await app.getByRole('heading').innerText()).toBe('Mail Helper')
    const shown = await app.locator('li').allInnerTexts()
    expect(shown).toEqual([
      'Profile: access your name and picture',
      'Messages: read and write your messages',
    ])
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      expect(await seriousViolations(page)).toEqual([])
    }
    // Phone-sized: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: `${ARTIFACTS}connected-apps-en.png`, fullPage: true })

    // Removing asks first: the control opens a confirmation holding the form.
    const confirm = app.getByRole('button', { name: 'Yes, remove access' })
    expect(await confirm.isVisible()).toBe(false)
    await app.getByText('Remove access', { exact: true }).click()
    expect(
      await app.getByText('Mail Helper will no longer be able to access your account.').isVisible(),
    ).toBe(true)
    expect(await seriousViolations(page)).toEqual([])
    await confirm.click()
    await page.waitForURL(/\/account\/apps\?removed=/)
    expect(await page.getByTestId('revoked-notice').innerText()).toBe(
      'Mail Helper no longer has access to your account.',
    )
    expect(await page.getByTestId('connected-app').count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    expect((await api('GET', `/grants?user_id=${userId}`)).body).toEqual([])
    expect(await page.getByRole('link', { name: 'Back to the app' }).getAttribute('href')).toBe(
      `${server.url}/demo`,
    )

    // The revoke receipt verifies with the published keys.
    const receipts = await api('GET', `/consent-receipts?user_id=${userId}`)
    const receipt = receipts.body.find((r: { action: string }) => r.action === 'revoke')
    // It quotes what the page showed the user, word for word.
    expect(receipt.lines).toEqual(shown)
    const keys = await (await fetch(`${server.url}/.well-known/assent-receipt-keys.json`)).json()
    const { payload } = await compactVerify(receipt.jws, createLocalJWKSet(keys))
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      action: 'revoke',
      user_id: userId,
      client_id: DEMO.clientId,
    })

    // The worker delivers grant.revoked, signed per Standard Webhooks.
    const worker = createWebhookWorker({
      store: t.store,
      now: () => new Date(Math.max(Date.now(), t.clock.now().getTime())),
      log: silentLogger,
      allowHttpLoopback: true,
    })
    await worker.runOnce()
    expect(received).toHaveLength(1)
    const [event] = received
    const headers = Object.fromEntries(
      Object.entries(event?.headers ?? {}).map(([name, value]) => [name, String(value)]),
    )
    const verified = new Webhook(hook.body.secret).verify(event?.body ?? '', headers) as {
      type: string
      data: Record<string, unknown>
    }
    expect(verified.type).toBe('grant.revoked')
    expect(verified.data).toMatchObject({
      user_id: userId,
      client_id: DEMO.clientId,
      receipt_id: receipt.receipt_id,
    })
    await context.close()
  })

  it('the page reads right to left in Arabic and has no serious accessibility violation', async () => {
    const link = await new AssentClient({
      url: server.url,
      token: t.adminToken,
    }).createPortalSession('nobody-yet', { ui_locales: 'ar' })
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await page.goto(link.url)
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
    expect(await page.locator('h1').innerText()).toBe('افتح تطبيقاتك المرتبطة')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'متابعة' }).click()
    await page.waitForURL(/\/account\/apps$/)
    expect(await page.locator('h1').innerText()).toBe('التطبيقات المرتبطة')
    expect(await seriousViolations(page)).toEqual([])
    // Reopened in this browser while its session lasts, the used link leads back to the page.
    await page.goto(link.url)
    expect(new URL(page.url()).pathname).toBe('/account/apps')
    // In another browser it is spent: the translated 410 page.
    const other = await browser.newContext({ locale: 'ar' })
    const again = await (await other.newPage()).goto(link.url)
    expect(again?.status()).toBe(410)
    await other.close()
    await context.close()
  })
})
