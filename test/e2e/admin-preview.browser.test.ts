import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

let t: TestApp
let server: Listening
let browser: Browser

chromiumForFile((started) => ({ t, server, browser } = started))

describe('the tenant-flag preview in Chromium', () => {
  it('signs in, shows both renderings, flips the flag, and the next live prompt shows descriptions', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/admin/preview`)
    expect(new URL(page.url()).pathname).toBe('/admin/login')
    expect(await seriousViolations(page)).toEqual([])
    await page.getByLabel('Management token').fill(t.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/admin/apis`)
    await page.goto(`${server.url}/admin/preview`)

    const grouped = page.getByTestId('scope-lines-grouped').locator('li')
    const descriptions = page.getByTestId('scope-lines-descriptions').locator('li')
    expect(await grouped.allInnerTexts()).toEqual([
      'Messages: read and write your messages',
      'Contacts: read your contacts',
    ])
    expect(await descriptions.allInnerTexts()).toEqual([
      'Read your messages',
      'Send messages as you',
      'See your contacts',
    ])
    await page.screenshot({ path: `${ARTIFACTS}preview-both.png`, fullPage: true })
    expect(await seriousViolations(page)).toEqual([])

    // Choose French and fewer scopes through the form, as an admin would.
    await page.getByLabel('Language').selectOption('fr')
    await page.getByRole('checkbox', { name: 'read:contacts' }).uncheck()
    await page.getByRole('button', { name: 'Show', exact: true }).click()
    expect(await grouped.allInnerTexts()).toEqual(['Messages\u202F: lire et écrire vos messages'])
    await page.getByLabel('Language').selectOption('ar')
    await page.getByRole('button', { name: 'Show', exact: true }).click()
    expect(await page.locator('.preview-card').first().getAttribute('dir')).toBe('rtl')
    await page.screenshot({ path: `${ARTIFACTS}preview-ar.png`, fullPage: true })

    await page.getByTestId('flip-flag').click()
    await page.waitForURL(/\/admin\/preview\?/)
    expect(await page.getByTestId('live-mode').locator('xpath=..').innerText()).toContain(
      'Scope descriptions',
    )

    const live = await context.newPage()
    await live.goto(`${server.url}/demo`)
    expect(await live.getByTestId('scope-lines').locator('li').allInnerTexts()).toEqual([
      'Profile: access your name and picture',
      'Offline access: keep access when you are not using the app',
      'Read your messages',
      'Send messages as you',
      'See your contacts',
    ])
    await live.screenshot({ path: `${ARTIFACTS}live-after-flip.png`, fullPage: true })
    await context.close()
  })
})
