import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

/* The console's Authorization details tab (DESIGN §3.9, §5), as an admin uses it in Chromium. */

let t: TestApp
let server: Listening
let browser: Browser

chromiumForFile((started) => ({ t, server, browser } = started), { env: { ASSENT_DEMO: '1' } })

async function expectAccessible(page: Page) {
  expect({ url: page.url(), violations: await seriousViolations(page) }).toEqual({
    url: page.url(),
    violations: [],
  })
}

describe('the Authorization details tab in Chromium', () => {
  it('adds a type, refuses a bad template beside its field, renders a sample, removes the type', {
    timeout: 120_000,
  }, async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        colorScheme,
        viewport: { width: 1280, height: 900 },
      })
      const page = await context.newPage()
      await page.goto(`${server.url}/admin/login`)
      await page.getByLabel('Management token').fill(t.adminToken)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${server.url}/admin/apis`)
      await page.getByRole('link', { name: 'Messages API' }).click()
      await page.getByRole('link', { name: 'Authorization details' }).click()
      await page.waitForURL(/\/details$/)
      await expectAccessible(page)

      // A template that does not parse: the form again, the message beside the field.
      await page.getByLabel('Type', { exact: true }).fill('payment_initiation')
      await page
        .getByLabel('JSON Schema (optional)')
        .fill('{"type":"object","required":["creditorName"]}')
      await page.getByLabel('Templates').fill('en: Pay {instructedAmount to {creditorName}')
      await page.getByRole('button', { name: 'Add type' }).click()
      expect(await page.locator('#detail-templates-error').innerText()).toContain(
        'the en template is not an ICU MessageFormat message',
      )
      await expectAccessible(page)

      await page
        .getByLabel('Templates')
        .fill(
          'en: Pay {instructedAmount} to {creditorName}\nfr: Payer {instructedAmount} à {creditorName}\nar: دفع {instructedAmount} إلى {creditorName}',
        )
      await page.getByRole('button', { name: 'Add type' }).click()
      await page.waitForURL(/\?done=added$/)
      expect(await page.getByRole('status').innerText()).toBe('Added.')

      await page
        .getByLabel('Sample entry (JSON)')
        .fill(
          '{"instructedAmount":{"currency":"EUR","amount":"123.50"},"creditorName":"Merchant A"}',
        )
      await page.getByRole('button', { name: 'Render' }).click()
      const rendered = page.getByTestId('rendered')
      expect(await rendered.allInnerTexts()).toEqual([
        'Pay €123.50 to Merchant A',
        'Payer 123,50\u00A0€ à Merchant A',
        expect.stringContaining('Merchant A'),
      ])
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        1280,
      )
      await expectAccessible(page)
      await page.screenshot({
        path: `${ARTIFACTS}console-detail-types-${colorScheme}.png`,
        fullPage: true,
      })

      // On a phone the rows stack: nothing wider than the screen, still accessible.
      await page.setViewportSize({ width: 375, height: 800 })
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        375,
      )
      await expectAccessible(page)
      await page.screenshot({
        path: `${ARTIFACTS}console-detail-types-phone-${colorScheme}.png`,
        fullPage: true,
      })
      await page.setViewportSize({ width: 1280, height: 900 })

      // Edit the English template in place.
      await page
        .getByLabel('Template in English (en)')
        .fill('Send {instructedAmount} to {creditorName}')
      await page.getByRole('button', { name: 'Save the template in English (en)' }).click()
      await page.waitForURL(/\?done=saved$/)
      expect(await page.getByRole('status').innerText()).toBe('Saved.')

      // Remove, behind its confirmation.
      await page.locator('details.confirm summary').click()
      await page.getByRole('button', { name: 'Confirm: remove payment_initiation' }).click()
      await page.waitForURL(/\?done=removed$/)
      expect(await page.getByRole('status').innerText()).toBe('Removed.')
      expect(await page.getByTestId('detail-type').count()).toBe(0)
      await context.close()
    }
  })
})
