import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthorizationServer } from '../../examples/oidc-provider/authorization-server.js'
import { startRelyingParty } from '../../examples/oidc-provider/relying-party.js'
import { DEMO } from '../../src/services/demo.js'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { management } from '../support/management.js'
import { PAYMENT } from '../support/payment.js'
import { freePort, type Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

/*
 * A payment through oidc-provider's Rich Authorization Requests (RFC 9396) with Assent as the
 * consent page (DESIGN §3.9): the client asks for a `payment_initiation`, Assent shows it in
 * words, and the access token carries exactly what the user approved.
 */

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
    return { env: { ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${asPort}/interaction/` } }
  },
)
beforeAll(async () => {
  const api = management(t)
  // The API declares the type, its schema and its words (DESIGN §3.9).
  const declared = await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
    authorization_details: [
      {
        type: 'payment_initiation',
        schema: {
          type: 'object',
          required: ['type', 'instructedAmount', 'creditorName'],
          properties: {
            instructedAmount: {
              type: 'object',
              required: ['currency', 'amount'],
              properties: { currency: { type: 'string' }, amount: { type: 'string' } },
            },
            creditorName: { type: 'string', maxLength: 140 },
          },
        },
        consent_templates: {
          en: 'Pay {instructedAmount} to {creditorName}',
          fr: 'Payer {instructedAmount} à {creditorName}',
        },
      },
    ],
  })
  expect(declared.status).toBe(200)
  const redirectUri = `http://127.0.0.1:${rpPort}/callback`
  await api('POST', '/clients', { client_id: 'pay-app', name: 'Pay App', callbacks: [redirectUri] })
  as = await startAuthorizationServer({
    port: asPort,
    assent: { url: assent.url, token: t.adminToken },
    defaultAudience: DEMO.audience,
    authorizationDetailsTypes: ['payment_initiation'],
    clients: [
      {
        client_id: 'pay-app',
        client_secret: 'pay-app-secret',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // oidc-provider lets a client ask only for the detail types its metadata names.
        authorization_details_types: ['payment_initiation'],
      },
    ],
  })
  rp = await startRelyingParty({
    port: rpPort,
    issuer: as.issuer,
    clientId: 'pay-app',
    clientSecret: 'pay-app-secret',
    scope: 'openid read:messages',
    authorizationDetails: [PAYMENT],
  })
})
afterAll(async () => {
  await rp?.close()
  await as?.close()
})

async function signIn(user: string, locale: string) {
  const context = await browser.newContext({ locale })
  const page = await context.newPage()
  await page.goto(`${rp.url}/login?ui_locales=${locale.split('-')[0]}`)
  await page.getByLabel('User name').fill(user)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${assent.url}/consent/**`)
  return { context, page }
}

describe('a payment through oidc-provider’s Rich Authorization Requests, in Chromium', () => {
  it('shows "Pay €123.50 to Merchant A", and the access token carries the approved entry', async () => {
    const { context, page } = await signIn('payer-ana', 'en-US')
    const entries = page.locator('[data-testid="authorization-details"] li')
    expect(await entries.locator('.detail-text').allInnerTexts()).toEqual([
      'Pay €123.50 to Merchant A',
    ])
    // The entry's fields are under it, behind a disclosure that needs no script.
    await entries.getByText('Details').click()
    await expect.poll(() => entries.locator('dd').first().isVisible()).toBe(true)
    expect(await entries.locator('dd').allInnerTexts()).toEqual(['€123.50', 'Merchant A'])
    await page.screenshot({ path: `${ARTIFACTS}rar-consent.png`, fullPage: true })
    await page.getByRole('button', { name: 'Accept' }).click()

    await page.waitForURL(`${rp.url}/callback**`)
    expect(await page.getByTestId('scope').innerText()).toBe('read:messages')
    expect(JSON.parse(await page.getByTestId('authorization-details').innerText())).toEqual([
      PAYMENT,
    ])
    await context.close()
  })

  it('in French reads "123,50 €", and declining yields no token', async () => {
    const { context, page } = await signIn('payer-ines', 'fr-FR')
    expect(await page.locator('html').getAttribute('lang')).toBe('fr')
    const text = await page
      .locator('[data-testid="authorization-details"] .detail-text')
      .innerText()
    expect(text.replace(/\s/g, ' ')).toBe('Payer 123,50 € à Merchant A')
    await page.getByRole('button', { name: 'Refuser' }).click()
    await page.waitForURL(`${rp.url}/callback**`)
    expect(await page.getByTestId('error').innerText()).toBe('access_denied')
    await context.close()
  })
})

describe('entries on a 320 px phone (DESIGN §3.9, §3.2.1)', () => {
  it('a box per entry, fields opened, no sideways scroll and no serious accessibility violation, light and dark, left to right and right to left', async () => {
    const long = {
      ...PAYMENT,
      creditorName: 'Merchant-with-a-very-long-unbroken-name-and-account-DE02100100109307118603',
    }
    for (const [colorScheme, locale] of [
      ['light', 'en'],
      ['dark', 'ar'],
    ] as const) {
      const created = await management(t)('POST', '/consent-requests', {
        client_id: 'pay-app',
        user_id: 'phone-user',
        audience: DEMO.audience,
        scope: 'openid read:messages',
        redirect_uri: rp.redirectUri,
        return_to: `${as.issuer}/interaction/phone`,
        granular: true,
        ui_locales: locale,
        authorization_details: [PAYMENT, long],
      })
      expect(created.status).toBe(201)
      const context = await browser.newContext({
        viewport: { width: 320, height: 700 },
        colorScheme,
      })
      const page = await context.newPage()
      await page.goto(created.body.consent_url)
      const boxes = page.locator('input[name="authorization_details"]')
      expect(await boxes.count()).toBe(2)
      expect(await boxes.nth(1).isChecked()).toBe(true)
      for (const summary of await page.locator('.detail-fields summary').all())
        await summary.click()
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        320,
      )
      await page.screenshot({
        path: `${ARTIFACTS}rar-phone-${locale}-${colorScheme}.png`,
        fullPage: true,
      })
      expect(await seriousViolations(page)).toEqual([])
      await context.close()
    }
  })
})

describe('an entry written to attack the page', () => {
  it('shows script and markup in its fields as text, and runs none of it', async () => {
    const hostile = {
      ...PAYMENT,
      creditorName: '<img src=x onerror="document.title=\'pwned\'">',
      '<script>document.title="pwned"</script>': 'written by the client',
    }
    const ask = (entry: Record<string, unknown>) =>
      management(t)('POST', '/consent-requests', {
        client_id: 'pay-app',
        user_id: 'attacked-user',
        audience: DEMO.audience,
        scope: 'openid read:messages',
        redirect_uri: rp.redirectUri,
        return_to: `${as.issuer}/interaction/attacked`,
        authorization_details: [entry],
      })
    // A right-to-left override would make a value read otherwise than it is: refused outright.
    const reordered = await ask({ ...hostile, creditorName: '\u202eA tnahcreM' })
    expect(reordered.status).toBe(400)
    expect(reordered.body.errorCode).toBe('invalid_authorization_details')
    const created = await ask(hostile)
    expect(created.status).toBe(201)
    const context = await browser.newContext()
    const page = await context.newPage()
    let dialogs = 0
    page.on('dialog', (dialog) => {
      dialogs += 1
      void dialog.dismiss()
    })
    await page.goto(created.body.consent_url)
    await page.locator('.detail-fields summary').click()
    expect(await page.title()).not.toContain('pwned')
    expect(dialogs).toBe(0)
    expect(await page.locator('[data-testid="authorization-details"] img').count()).toBe(0)
    expect(
      await page.locator('[data-testid="authorization-details"] .detail-text').innerText(),
    ).toBe('Pay €123.50 to <img src=x onerror="document.title=\'pwned\'">')
    // The AS's words stay isolated, each value in a <bdi> of its own.
    expect(await page.locator('[data-testid="authorization-details"] dd bdi').count()).toBe(3)
    await context.close()
  })
})
