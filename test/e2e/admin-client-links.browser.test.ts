import type { Browser, BrowserContextOptions } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe.js'
import { chromiumForFile } from '../support/browser.js'
import { management } from '../support/management.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

/* A self-registered client's page with its links, in Chromium: light, dark, a 320 px phone. */

let t: TestApp
let server: Listening
let browser: Browser

chromiumForFile((started) => ({ t, server, browser } = started))

async function clientPage(options: BrowserContextOptions) {
  const context = await browser.newContext(options)
  const page = await context.newPage()
  await page.goto(`${server.url}/admin/login`)
  await page.getByLabel('Management token').fill(t.adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${server.url}/admin/apis`)
  await page.goto(`${server.url}/admin/clients/agent`)
  return { page, close: () => context.close() }
}

describe('the client page’s links in Chromium', () => {
  it('is accessible and fits the screen in light, dark and on a phone, a refused link included', async () => {
    await management(t)('POST', '/clients', {
      client_id: 'agent',
      name: 'Helpful Agent',
      callbacks: ['https://agent.example/callback'],
      is_dynamic: true,
      policy_uri: 'https://agent.example/privacy',
    })
    for (const options of [
      { colorScheme: 'light', viewport: { width: 1280, height: 900 } },
      { colorScheme: 'dark', viewport: { width: 1280, height: 900 } },
      { colorScheme: 'light', viewport: { width: 320, height: 800 } },
    ] as const) {
      const { page, close } = await clientPage(options)
      try {
        await expect
          .poll(() => page.getByTestId('self-registered').innerText())
          .toMatch(/Self-registered/)
        await page.getByLabel('Terms of service URL').fill('https://agent.example@evil.example/')
        await page.getByRole('button', { name: 'Save' }).click()
        await expect
          .poll(() => page.locator('#tos_uri-error').innerText())
          .toMatch(/without a user name or password/)
        expect(await seriousViolations(page)).toEqual([])
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        )
        expect(overflow, JSON.stringify(options)).toBe(0)
      } finally {
        await close()
      }
    }
  })
})
