import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

/* The lines of the standard scopes open to the claims they release (DESIGN §3.9), in Chromium. */

let t: TestApp
let server: Listening
let browser: Browser

chromiumForFile((started) => ({ t, server, browser } = started), { env: { ASSENT_DEMO: '1' } })

async function consentUrl(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${server.url}/api/v2/consent-requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: DEMO.clientId,
      user_id: 'auth0|claims',
      user_name: 'ana@example.com',
      audience: DEMO.audience,
      scope: 'openid profile email address phone read:messages',
      return_to: `${server.url}/demo/done`,
      redirect_uri: DEMO.redirectUri,
      ...body,
    }),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { consent_url: string }).consent_url
}

const noSideScroll = (page: Page, width: number) =>
  expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(
    width,
  )

describe.each([
  { locale: 'en', dir: 'ltr', first: 'Full name', width: 1024 },
  { locale: 'ar', dir: 'rtl', first: 'الاسم الكامل', width: 1024 },
  { locale: 'he', dir: 'rtl', first: 'שם מלא', width: 1024 },
  { locale: 'en', dir: 'ltr', first: 'Full name', width: 320 },
  { locale: 'he', dir: 'rtl', first: 'שם מלא', width: 320 },
])('the profile line in Chromium ($locale, $width px)', ({ locale, dir, first, width }) => {
  it('opens to its claims, readable and with no serious accessibility violation', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      // A request binds to the first browser that opens it: one each.
      const url = await consentUrl({ ui_locales: locale })
      // The page can run no script (CSP `script-src 'none'`): what opens it is the <details>.
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } })
      const page = await context.newPage()
      await page.goto(url)
      expect(await page.locator('html').getAttribute('dir')).toBe(dir)
      const profile = page.locator('[data-testid="scope-lines"] li').first()
      const claims = profile.locator('.claim')
      // Closed, the line reads as its words alone; the claims are not shown.
      const closed = await profile.innerText()
      expect(closed).not.toContain(first)
      expect(await claims.first().isVisible()).toBe(false)
      expect(await seriousViolations(page)).toEqual([])

      await profile.locator('summary').click()
      expect(await claims.count()).toBe(14)
      expect(await claims.first().innerText()).toBe(first)
      expect(await claims.last().isVisible()).toBe(true)
      expect(
        await page
          .getByRole('listitem')
          .filter({ hasText: new RegExp(`^${first}$`) })
          .count(),
      ).toBe(1)
      await noSideScroll(page, width)
      // Each claim stays inside the card, whatever the direction.
      const card = await page.locator('main.card').boundingBox()
      for (const box of await claims.evaluateAll((els) =>
        els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect),
      )) {
        expect(box.left).toBeGreaterThanOrEqual(card?.x ?? 0)
        expect(box.right).toBeLessThanOrEqual((card?.x ?? 0) + (card?.width ?? 0))
      }
      await page.screenshot({
        path: `${ARTIFACTS}consent-claims-${locale}-${width}-${colorScheme}.png`,
        fullPage: true,
      })
      expect(await seriousViolations(page)).toEqual([])
      await context.close()
    }
  })
})

describe('a granular profile line', () => {
  it('keeps its box named by its words; a click on the words opens the list and leaves the box', async () => {
    const url = await consentUrl({ granular: true, required_scopes: 'openid' })
    const context = await browser.newContext({ viewport: { width: 400, height: 900 } })
    const page = await context.newPage()
    await page.goto(url)
    const box = page.getByRole('checkbox', { name: 'Profile: access your name and picture' })
    expect(await box.isChecked()).toBe(true)
    await page.locator('summary').first().click()
    expect(await box.isChecked()).toBe(true)
    expect(await page.locator('.claim').first().isVisible()).toBe(true)
    // From the keyboard: the summary is reached by Tab and Enter closes it again.
    await page.locator('summary').first().focus()
    await page.keyboard.press('Enter')
    expect(await page.locator('.claim').first().isVisible()).toBe(false)
    await box.uncheck()
    expect(await box.isChecked()).toBe(false)
    await page.screenshot({ path: `${ARTIFACTS}consent-claims-granular.png`, fullPage: true })
    expect(await seriousViolations(page)).toEqual([])
    await context.close()
  })
})
