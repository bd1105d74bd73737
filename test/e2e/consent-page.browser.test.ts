import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

let t: TestApp
let server: Listening
let browser: Browser

// The page is reached at the public URL, as a browser of a real deployment would.
chromiumForFile((started) => ({ t, server, browser } = started), { env: { ASSENT_DEMO: '1' } })

describe.each([
  {
    locale: 'en',
    acceptLanguage: 'en-US',
    dir: 'ltr',
    line: 'Messages: read and write your messages',
    accept: 'Accept',
  },
  {
    locale: 'fr',
    acceptLanguage: 'fr-FR',
    dir: 'ltr',
    line: 'Messages\u202F: lire et écrire vos messages',
    accept: 'Accepter',
  },
  { locale: 'ar', acceptLanguage: 'ar', dir: 'rtl', line: 'قراءة وكتابة', accept: 'قبول' },
])('the demo page in Chromium ($locale)', ({ locale, acceptLanguage, dir, line, accept }) => {
  it('shows the prompt, mirrored where it should be, with no serious accessibility violation', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        locale: acceptLanguage,
        extraHTTPHeaders: { 'accept-language': acceptLanguage },
        colorScheme,
        viewport: { width: 1024, height: 820 },
      })
      const page = await context.newPage()
      const blocked: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') blocked.push(message.text())
      })
      await page.goto(`${server.url}/demo`)
      expect(page.url()).toMatch(/\/consent\/[A-Za-z0-9_-]{22}$/)
      await expect.poll(() => page.locator('html').getAttribute('dir')).toBe(dir)
      expect(await page.locator('html').getAttribute('lang')).toBe(locale)

      const lines = await page.locator('[data-testid="scope-lines"] li').allInnerTexts()
      expect(lines.some((text) => text.includes(line))).toBe(true)
      expect(await page.getByRole('button', { name: accept }).count()).toBe(1)

      // Right-to-left: Accept (primary) sits left of Decline, mirrored from the LTR layout.
      const acceptBox = await page.locator('button[value="accept"]').boundingBox()
      const declineBox = await page.locator('button[value="deny"]').boundingBox()
      expect(acceptBox && declineBox).toBeTruthy()
      if (acceptBox && declineBox)
        expect(dir === 'rtl' ? acceptBox.x < declineBox.x : acceptBox.x > declineBox.x).toBe(true)

      // The stylesheet applied (a card, not raw HTML) and every image loaded.
      expect(
        await page.locator('main.card').evaluate((el) => getComputedStyle(el).borderRadius),
      ).toBe('12px')
      const images = await page
        .locator('img')
        .evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth))
      expect(images.every((width) => width > 0)).toBe(true)
      expect(blocked).toEqual([])

      await page.screenshot({
        path: `${ARTIFACTS}consent-${locale}-${colorScheme}.png`,
        fullPage: true,
      })

      expect(await seriousViolations(page)).toEqual([])
      await context.close()
    }
  })
})

describe('the demo page on a phone', () => {
  it('fills the width and keeps the buttons reachable', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    })
    const page = await context.newPage()
    await page.goto(`${server.url}/demo`)
    const card = await page.locator('main.card').boundingBox()
    expect(card?.width).toBe(375)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await page.screenshot({ path: `${ARTIFACTS}consent-en-phone.png`, fullPage: true })

    // Keyboard: Tab reaches the profile line's claims (a disclosure, DESIGN §3.9), then Decline,
    // then Accept, with a visible focus ring.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      return { value: el.getAttribute('value'), outline: getComputedStyle(el).outlineStyle }
    })
    expect(focused).toEqual({ value: 'accept', outline: 'solid' })
    await context.close()
  })
})

describe('a self-registered device app on a 320 px phone (DESIGN §3.10)', () => {
  it('shows the code whole, the warning and "Not you?", with no serious accessibility violation', async () => {
    const call = (path: string, body: unknown) =>
      fetch(`${server.url}/api/v2${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    // Self-registered, with its links: the trust block and the links are checked too.
    const registered = await call('/clients', {
      client_id: 'tv',
      name: 'Stream Box',
      is_dynamic: true,
      client_uri: 'https://streambox.example/',
      policy_uri: 'https://streambox.example/privacy',
      tos_uri: 'https://streambox.example/terms',
    })
    expect(registered.status).toBe(201)
    for (const colorScheme of ['light', 'dark'] as const) {
      const created = await call('/consent-requests', {
        client_id: 'tv',
        user_id: 'auth0|ana',
        user_name: 'ana@example.com',
        scope: 'openid profile',
        return_to: `${server.url}/demo/done`,
        switch_account_url: `${server.url}/demo/switch`,
        flow: 'device',
        user_code: 'WDJB-MJHT-KQZX-PLRS-TVNC-BDHG-4',
        device: { name: 'Living room TV' },
      })
      const { consent_url } = (await created.json()) as { consent_url: string }
      const context = await browser.newContext({
        viewport: { width: 320, height: 700 },
        colorScheme,
      })
      const page = await context.newPage()
      await page.goto(consent_url)
      const code = page.getByTestId('user-code')
      expect(await code.innerText()).toBe('WDJB-MJHT-KQZX-PLRS-TVNC-BDHG-4')
      expect(await code.isVisible()).toBe(true)
      expect(await page.getByTestId('device-warning').isVisible()).toBe(true)
      expect(await page.getByTestId('client-trust').innerText()).toContain('Self-registered app')
      expect(await page.getByTestId('client-link').count()).toBe(2)
      expect(await page.getByTestId('switch-account').getAttribute('href')).toBe(
        `${server.url}/demo/switch`,
      )
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        320,
      )
      await page.screenshot({
        path: `${ARTIFACTS}consent-device-${colorScheme}.png`,
        fullPage: true,
      })
      expect(await seriousViolations(page)).toEqual([])
      await context.close()
    }
  })
})
