import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { consentBrowser } from '../support/consent.js'
import { management } from '../support/management.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

let t: TestApp
let server: Listening
let browser: Browser

chromiumForFile((started) => ({ t, server, browser } = started))

/** axe on the page as it stands: no serious or critical violation. */
async function expectAccessible(page: Page) {
  expect({ url: page.url(), violations: await seriousViolations(page) }).toEqual({
    url: page.url(),
    violations: [],
  })
}

const lines = (page: Page, mode: 'grouped' | 'descriptions') =>
  page.getByTestId(`scope-lines-${mode}`).locator('li').allInnerTexts()

describe('the admin console in Chromium', () => {
  // A long walk through the console on a shared machine: more than the default 30 s.
  it('follows the documentation: an API, a permission through the Permissions tab, the prompt, a role, a user, delete', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/admin/login`)
    await page.getByLabel('Management token').fill(t.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/admin/apis`)

    // Applications > APIs > Create API.
    await page.getByRole('link', { name: 'APIs', exact: true }).click()
    await expectAccessible(page)
    await page.getByLabel('Name').fill('Messages API')
    await page.getByLabel('Identifier').fill('https://messages.example')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL(/\/admin\/apis\/[^/]+\/permissions\?done=created$/)
    expect(await page.getByRole('status').innerText()).toBe('Created.')
    const tab = page.url().replace(/\?done=created$/, '')

    // Permissions tab: type the permission and its description, click "+ Add".
    await page.getByLabel('Permission', { exact: true }).fill('read:messages')
    await page.getByLabel('Description').fill('Read your messages')
    await page.getByRole('button', { name: '+ Add' }).click()
    await page.waitForURL(`${tab}?done=added`)
    expect(await page.getByRole('status').innerText()).toBe('Added.')
    const rows = page.getByTestId('permission-list').locator('li')
    expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('read:messages')])
    expect(await rows.first().innerText()).toContain('Read your messages')
    await expectAccessible(page)
    await page.screenshot({ path: `${ARTIFACTS}console-permissions.png`, fullPage: true })

    // A mistake is shown beside its field, the input kept.
    await page.getByLabel('Permission', { exact: true }).fill('openid')
    await page.getByRole('button', { name: '+ Add' }).click()
    expect(await page.locator('#value-error').innerText()).toBe('is a reserved scope name')
    expect(await page.getByLabel('Permission', { exact: true }).inputValue()).toBe('openid')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Edit read:messages' }).click()
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await expectAccessible(page)

    // The prompt, both modes, through the Preview link.
    await page.getByRole('link', { name: 'Preview', exact: true }).click()
    expect(await lines(page, 'grouped')).toEqual(['Messages: read your messages'])
    expect(await lines(page, 'descriptions')).toEqual(['Read your messages'])

    // A role that holds the permission, given to a user.
    await page.getByRole('link', { name: 'Roles', exact: true }).click()
    await expectAccessible(page)
    await page.getByLabel('Name').fill('Reader')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL(/\/admin\/roles\/rol_/)
    const role = page.url()
    // Pick the API, then one of its permissions (DESIGN §5: pickers that scale).
    await page.getByLabel('API', { exact: true }).selectOption({ label: 'Messages API' })
    await page.getByRole('button', { name: 'Show permissions' }).click()
    await page.getByLabel('Add a permission').selectOption('https://messages.example read:messages')
    await page.getByRole('button', { name: 'Add permission' }).click()
    await page.getByLabel('Assign to user id').fill('auth0|ana')
    await page.getByRole('button', { name: 'Assign' }).click()
    expect(await page.getByTestId('role-permissions').innerText()).toContain('read:messages')
    await expectAccessible(page)

    await page.getByRole('link', { name: 'Users', exact: true }).click()
    await expectAccessible(page)
    await page.getByLabel('Search').fill('auth0|ana')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByTestId('open-user').click()
    await page.waitForURL(/\/admin\/users\/auth0%7Cana$/)
    const user = page.url()
    const permissions = page.getByTestId('user-permissions').locator('tbody tr')
    expect(await permissions.allInnerTexts()).toEqual([
      expect.stringMatching(/read:messages\s+Messages API\s+Role Reader/),
    ])
    expect(await page.getByTestId('user-roles').innerText()).toContain('Reader')
    await expectAccessible(page)

    // Delete with the trash button: gone from the list, the prompt and the role.
    await page.goto(tab)
    await page.getByTestId('trash').first().click()
    await page.getByRole('button', { name: 'Confirm: delete read:messages' }).click()
    await page.waitForURL(`${tab}?done=deleted`)
    expect(await rows.count()).toBe(0)
    await page.getByRole('link', { name: 'Preview', exact: true }).click()
    expect(await lines(page, 'grouped')).toEqual([])
    expect(await lines(page, 'descriptions')).toEqual([])
    await page.goto(role)
    expect(await page.getByTestId('role-permissions').locator('li').count()).toBe(0)
    await page.goto(user)
    expect(await page.getByTestId('user-permissions').count()).toBe(0)
    await context.close()
  }, 90_000)

  it('fits a 320 px phone, every section reachable and accessible', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 740 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/admin/login`)
    await page.getByLabel('Management token').fill(t.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/admin/apis`)
    await t.store.grants.merge(t.tenant.id, 'auth0|ana', 'mail-helper', 'https://messages.demo/', [
      'read:messages',
    ])
    const api = (await t.store.resourceServers.list(t.tenant.id, { page: 0, perPage: 5 })).items[0]
    const role = (await t.store.roles.list(t.tenant.id, { page: 0, perPage: 5 })).items[0]
    for (const path of [
      '/admin/apis',
      `/admin/apis/${api?.id}/permissions`,
      `/admin/apis/${api?.id}/settings`,
      '/admin/roles',
      `/admin/roles/${role?.id}`,
      '/admin/users/auth0%7Cana',
      '/admin/clients',
      '/admin/clients/mail-helper',
      '/admin/settings',
      '/admin/logs',
      '/admin/users',
      `/admin/apis/${api?.id}/labels?resource=messages`,
      '/admin/webhooks',
      '/admin/insights',
    ]) {
      await page.goto(`${server.url}${path}`)
      // Every confirmation open, as a user about to press it sees it.
      for (const details of await page.locator('details.confirm').all())
        await details.locator('summary').click()
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(width, path).toBeLessThanOrEqual(320)
      // The console keeps a margin on a phone: nothing of it touches the screen's edges.
      const edges = await page.evaluate(() => {
        const box = document.querySelector('main')?.getBoundingClientRect()
        return box ? [box.left, window.innerWidth - box.right] : [0, 0]
      })
      expect(Math.min(...edges), path).toBeGreaterThanOrEqual(12)
      // No button breaks inside a word: each line of its text is a whole word or more.
      const broken = await page.evaluate(() =>
        [...document.querySelectorAll('.button')]
          .filter((b) => {
            const text = (b as HTMLElement).innerText.trim()
            return (
              !text.includes(' ') &&
              b.getClientRects().length > 0 &&
              (b as HTMLElement).offsetHeight > 48
            )
          })
          .map((b) => (b as HTMLElement).innerText),
      )
      expect(broken, path).toEqual([])
      // A confirmation's button stays inside its card.
      const outside = await page.evaluate(() =>
        [...document.querySelectorAll('.confirm-box .button')]
          .filter((b) => {
            const card = b.closest('.panel, .permission-list, .card')
            return card && b.getBoundingClientRect().right > card.getBoundingClientRect().right
          })
          .map((b) => (b as HTMLElement).innerText),
      )
      expect(outside, path).toEqual([])
      await expectAccessible(page)
    }
    await page.screenshot({ path: `${ARTIFACTS}console-phone.png`, fullPage: true })
    await context.close()
  }, 120_000)

  it('passes axe on the clients and settings pages, a refused colour included', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/admin/login`)
    await page.getByLabel('Management token').fill(t.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/admin/apis`)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Clients', exact: true }).click()
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Mail Helper' }).click()
    await page.getByLabel('Logo URL').fill('http://insecure.example/logo.png')
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    expect(await page.getByTestId('client-preview').innerText()).toContain('M')
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Tenant settings' }).click()
    await expectAccessible(page)
    await page.locator('#primary_color').fill('#ffcc00')
    await page.getByRole('button', { name: 'Save' }).click()
    expect(await page.locator('#primary_color-error').innerText()).toMatch(/WCAG AA needs 4.5:1/)
    await expectAccessible(page)
    await page.screenshot({ path: `${ARTIFACTS}console-settings.png`, fullPage: true })
    await page.getByRole('link', { name: 'Logs', exact: true }).click()
    const entries = page.getByTestId('log-list').locator('li')
    expect(await entries.first().innerText()).toContain('admin token')
    await entries.first().locator('summary').click()
    await expectAccessible(page)
    await context.close()
  })
})

describe('console insights in Chromium (DESIGN §5)', () => {
  it('draws the chart beside its numbers, with no serious accessibility violation', async () => {
    const api = management(t)
    const browser_ = consentBrowser(t)
    await api('POST', '/clients', {
      client_id: 'insight-app',
      name: 'Insight App',
      callbacks: ['https://insight.example/cb'],
    })
    for (const action of ['accept', 'deny'] as const) {
      const request = (
        await api('POST', '/consent-requests', {
          client_id: 'insight-app',
          user_id: `insight-browser-${action}`,
          scope: 'openid profile',
          redirect_uri: 'https://insight.example/cb',
          return_to: `${server.url}/done`,
        })
      ).body
      const page = await browser_.visit(request.id)
      await browser_.redeem(await browser_.answer(request.id, action, page))
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/admin/login`)
    await page.getByLabel('Management token').fill(t.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/admin/apis`)
    await page.getByRole('link', { name: 'Insights', exact: true }).click()
    await expect.poll(() => page.getByTestId('insights-table').isVisible()).toBe(true)
    expect(await page.getByRole('img').first().getAttribute('aria-label')).toContain(
      '1 accepted, 1 declined',
    )
    await expectAccessible(page)
    await page.screenshot({ path: `${ARTIFACTS}console-insights.png`, fullPage: true })
    await context.close()
  })
})
