import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { DEMO } from '../../src/services/demo.js'
import { ARTIFACTS, launchChromium } from '../support/browser.js'
import { freePort, listen } from '../support/serve.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** Strings that would run script, or lead somewhere, if anything printed them raw. */
const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '"><img src=x onerror="window.__xss=1">',
  "'><svg onload=window.__xss=1>",
  'javascript:window.__xss=1',
  '<a href="javascript:window.__xss=1">click</a>',
  '{{constructor.constructor("window.__xss=1")()}}',
  '<%= it.constructor.constructor("window.__xss=1")() %>',
  '</style><script>window.__xss=1</script>',
  '\u2028\u2029<iframe srcdoc="<script>parent.__xss=1</script>">',
  // Bidi overrides the API refuses, as if stored before it did: shown inside <bdi>.
  '\u202Egnp.exe\u2066<b onmouseover="window.__xss=1">x</b>',
]

let t: TestApp
let server: Awaited<ReturnType<typeof listen>>
let attacker: Server
let attackerUrl: string
let browser: Browser

async function hostileRequest(payload: string, uiLocales = 'en') {
  return t.deps.consentFlow.open((await t.store.tenants.get(t.tenant.id)) ?? t.tenant, {
    clientId: 'hostile',
    userId: `user-${Math.random()}`,
    userName: payload,
    audience: 'urn:hostile',
    scope: `openid read:${encodeURIComponent(payload).slice(0, 60)} write:things plain`,
    redirectUri: 'https://hostile.example/cb',
    returnTo: `${server.url}/demo/done`,
    state: payload,
    prompt: 'consent',
    uiLocales,
  })
}

beforeAll(async () => {
  const port = await freePort()
  t = await createTestApp({
    env: { PORT: String(port), ASSENT_PUBLIC_URL: `http://127.0.0.1:${port}` },
  })
  server = await listen(t.app, port)
  attacker = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? ''
    res.writeHead(200, { 'content-type': 'text/html' })
    if (req.url?.startsWith('/frame'))
      res.end(
        `<!doctype html><iframe id="victim" src="${target}" width="600" height="600"></iframe>`,
      )
    else
      res.end(
        `<!doctype html><form id="f" method="post" action="${target}"><input name="action" value="accept"><input name="csrf" value="guess"></form><script>document.getElementById('f').submit()</script>`,
      )
  })
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve))
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => attacker?.close(() => resolve()))
  await server?.close()
  await t?.close()
})

async function expectNothingRan(page: Page) {
  expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined()
  for (const frame of page.frames()) {
    expect(
      await frame.evaluate(() => (globalThis as { __xss?: unknown }).__xss).catch(() => undefined),
    ).toBeUndefined()
  }
}

describe('hostile input rendered in Chromium', () => {
  it.each(PAYLOADS)('runs no script and follows no javascript: URL for %j', async (payload) => {
    // Written to the store directly too, so the page is safe even from data the API would refuse.
    await t.store.tenants.updateSettings(t.tenant.id, {
      ...t.tenant.settings,
      friendly_name: payload,
      branding: { logo_url: payload, primary_color: '#4f46e5' },
    })
    await t.store.clients.delete(t.tenant.id, 'hostile')
    await t.store.clients.create(t.tenant.id, {
      clientId: 'hostile',
      name: payload,
      description: payload,
      logoUri: payload,
      isFirstParty: false,
      callbacks: ['https://hostile.example/cb'],
      appType: null,
    })
    await t.store.resourceServers.delete(t.tenant.id, 'rs_hostile')
    await t.store.resourceServers.create(t.tenant.id, {
      id: 'rs_hostile',
      identifier: 'urn:hostile',
      name: payload,
      scopes: [
        {
          value: `read:${encodeURIComponent(payload).slice(0, 60)}`,
          description: payload,
          descriptions: { fr: payload, ar: payload },
        },
        { value: 'write:things', description: payload },
        { value: 'plain', description: '' },
      ],
      enforcePolicies: false,
      allowOfflineAccess: false,
      skipConsentForVerifiableFirstPartyClients: false,
      tokenDialect: 'access_token',
      tokenLifetime: 60,
      signingAlg: 'RS256',
      isSystem: false,
    })

    for (const [locale, flag] of [
      ['en', false],
      ['fr', true],
      ['ar', true],
    ] as const) {
      await t.store.tenants.updateSettings(t.tenant.id, {
        ...((await t.store.tenants.get(t.tenant.id))?.settings ?? t.tenant.settings),
        flags: { use_scope_descriptions_for_consent: flag },
      })
      const request = await hostileRequest(payload, locale)
      const context = await browser.newContext()
      const page = await context.newPage()
      const dialogs: string[] = []
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message())
        void dialog.dismiss()
      })
      const response = await page.goto(`${server.url}/consent/${request.id}`)
      expect(response?.status()).toBe(200)
      await expectNothingRan(page)
      // What the admin and user wrote is on the page as text, not as markup.
      expect(await page.locator('main').innerText()).toContain(
        payload
          .replace(/\u2028|\u2029/g, '')
          .trim()
          .slice(0, 10),
      )
      // Escaping, not only the policy, holds: no markup from the payload became an element.
      expect(
        await page
          .locator('img[src^="javascript:"], a[href^="javascript:"], iframe, script, svg, body a')
          .count(),
      ).toBe(0)
      expect(
        await page.evaluate(() =>
          [...document.querySelectorAll('*')].some((el) =>
            [...el.attributes].some((a) => a.name.startsWith('on')),
          ),
        ),
      ).toBe(false)

      await page.getByRole('button', { name: /Decline|Refuser|رفض/ }).click()
      await page.waitForLoadState()
      expect(new URL(page.url()).protocol).toBe('http:')
      expect(page.url().startsWith(`${server.url}/demo/done`)).toBe(true)
      await expectNothingRan(page)
      expect(dialogs).toEqual([])
      await context.close()
    }
  })
})

/** A plain demo request for `userId`, on this server. */
function demoRequest(userId: string) {
  return t.deps.consentFlow.open(t.tenant, {
    clientId: DEMO.clientId,
    userId,
    audience: DEMO.audience,
    scope: 'openid read:messages',
    redirectUri: DEMO.redirectUri,
    returnTo: `${server.url}/demo/done`,
  })
}

describe('framing and cross-site posts', () => {
  it('refuses to be framed by a page of another origin', async () => {
    const request = await demoRequest('framed')
    const context = await browser.newContext()
    const page = await context.newPage()
    const refused: string[] = []
    page.on('console', (message) => refused.push(message.text()))
    await page.goto(
      `${attackerUrl}/frame?target=${encodeURIComponent(`${server.url}/consent/${request.id}`)}`,
    )
    await page.waitForTimeout(500)
    const frame = page.frames().find((f) => f !== page.mainFrame())
    expect(frame).toBeDefined()
    // A refused frame is Chromium's error page: none of Assent's page is in it.
    expect(await frame?.locator('[data-testid="scope-lines"]').count()).toBe(0)
    expect(refused.join('\n')).toMatch(/frame-ancestors|X-Frame-Options/)
    await page.screenshot({ path: `${ARTIFACTS}framing-refused.png` })
    await context.close()
  })

  it('refuses a form posted from another site, and the request stays pending', async () => {
    const request = await demoRequest('csrf-victim')
    const context = await browser.newContext()
    const page = await context.newPage()
    // The victim has seen the prompt, so the browser holds Assent's cookie.
    await page.goto(`${server.url}/consent/${request.id}`)
    const answered = page.waitForResponse(
      (res) => res.url().endsWith(`/consent/${request.id}`) && res.request().method() === 'POST',
    )
    await page.goto(
      `${attackerUrl}/post?target=${encodeURIComponent(`${server.url}/consent/${request.id}`)}`,
    )
    expect((await answered).status()).toBe(403)
    expect((await t.store.consentRequests.get(t.tenant.id, request.id))?.status).toBe('pending')
    await context.close()
  })
})

describe('link scanners and login CSRF', () => {
  it('a HEAD (a link scanner’s) binds nothing and sets no cookie: the browser that opens the link next answers it', async () => {
    const request = await demoRequest('scanned')
    const url = `${server.url}/consent/${request.id}`
    const context = await browser.newContext()
    // The scanner's HEAD goes through the browser's own cookie jar.
    const head = await context.request.head(url)
    expect(head.status()).toBe(200)
    expect(head.headers()['set-cookie']).toBeUndefined()
    expect((await context.storageState()).cookies).toEqual([])
    expect((await t.store.consentRequests.get(t.tenant.id, request.id))?.bindingHash).toBeNull()

    const page = await context.newPage()
    await page.goto(url)
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.waitForURL(/\/demo\/done/)
    expect((await t.store.consentRequests.get(t.tenant.id, request.id))?.status).toBe('accepted')
    // Bound to the browser that opened it with a GET: any other one is refused.
    const other = await browser.newContext()
    expect((await (await other.newPage()).goto(url))?.status()).toBe(403)
    await other.close()
    await context.close()
  })

  it('another site cannot sign the browser in with its own portal link', async () => {
    const mine = await t.deps.portal.createLink(t.tenant, 'victim', {})
    const theirs = await t.deps.portal.createLink(t.tenant, 'attacker', {})
    const context = await browser.newContext()
    const page = await context.newPage()
    // The victim is on their own page.
    await page.goto(mine.url)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(/\/account\/apps$/)
    const session = async () =>
      (await context.cookies()).find((cookie) => cookie.name === 'assent_account')?.value
    const victim = await session()
    expect(victim).toBeDefined()

    // The attacker's page posts "Continue" for its own link: refused, nothing changes.
    const posted = page.waitForResponse(
      (res) => res.url() === theirs.url && res.request().method() === 'POST',
    )
    await page.goto(`${attackerUrl}/post?target=${encodeURIComponent(theirs.url)}`)
    expect((await posted).status()).toBe(403)
    expect(await session()).toBe(victim)
    // Sent to the link itself, the browser is only shown the page and told whose it is.
    await page.goto(theirs.url)
    expect(await page.getByTestId('switch-notice').innerText()).toBe(
      'You are signed in as victim. Continuing will switch to attacker.',
    )
    expect(await session()).toBe(victim)
    await page.goto(`${server.url}/account/apps`)
    expect(await page.locator('h1').innerText()).toBe('Connected apps')
    await context.close()
  })
})
