import type { Browser } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { management } from '../support/management.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

/* The duration choice in a real browser, without script, on a 320 px phone (DESIGN §3.5.1). */

let t: TestApp
let server: Listening
let browser: Browser

chromiumForFile((started) => ({ t, server, browser } = started), { env: { ASSENT_DEMO: '1' } })
beforeAll(async () => {
  await management(t)('PATCH', `/clients/${DEMO.clientId}`, {
    consent_duration_choices: [3600, 86_400, 2_592_000, null],
  })
})

describe('the duration choice in Chromium', () => {
  it('is radio buttons, readable at 320 px, with no serious accessibility violation', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: { width: 320, height: 800 },
        colorScheme,
        locale: 'en-US',
      })
      const page = await context.newPage()
      await page.goto(`${server.url}/demo`)
      const choice = page.getByTestId('duration-choice')
      expect(await choice.getByRole('radio').count()).toBe(4)
      expect(await page.getByRole('radio', { name: 'Until I remove it' }).isChecked()).toBe(true)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        320,
      )
      await page.screenshot({
        path: `${ARTIFACTS}consent-duration-${colorScheme}.png`,
        fullPage: true,
      })
      expect(await seriousViolations(page)).toEqual([])
      await context.close()
    }
  })

  it('with script off, a user who picks "1 hour" has a grant that expires in an hour', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${server.url}/demo`)
    // The label is the control: clicking the words picks it.
    await page.getByText('1 hour', { exact: true }).click()
    expect(await page.getByRole('radio', { name: '1 hour' }).isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.waitForURL(`${server.url}/demo/done**`)
    const grants = await management(t)(
      'GET',
      `/grants?user_id=${encodeURIComponent(DEMO.userId)}&client_id=${DEMO.clientId}`,
    )
    expect(grants.body).toHaveLength(1)
    expect(grants.body[0].expires_at).toBe(
      new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
    )
    await context.close()
  })
})
