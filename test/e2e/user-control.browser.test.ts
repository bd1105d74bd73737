import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { type Management, management } from '../support/management.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

let t: TestApp
let server: Listening
let browser: Browser
let api: Management

chromiumForFile(
  (started) => {
    ;({ t, server, browser } = started)
    api = management(t)
  },
  { env: { ASSENT_DEMO: '1' } },
)

let users = 0

/** Opens a consent request for a fresh user, answered back at the demo's stand-in AS. */
async function open(overrides: Record<string, unknown> = {}) {
  const created = await api('POST', '/consent-requests', {
    client_id: DEMO.clientId,
    user_id: `browser-user-${++users}`,
    user_name: 'ana@example.com',
    audience: DEMO.audience,
    scope: 'openid profile read:messages write:messages read:contacts',
    redirect_uri: DEMO.redirectUri,
    return_to: `${server.url}/demo/done`,
    ...overrides,
  })
  expect(created.status).toBe(201)
  return created.body as { id: string; status: string; consent_url: string }
}

async function newPage(locale = 'en-US', colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({
    locale,
    extraHTTPHeaders: { 'accept-language': locale },
    colorScheme,
    viewport: { width: 420, height: 900 },
  })
  return { context, page: await context.newPage() }
}

const grantedLines = (page: Page) =>
  page.locator('[data-testid="granted-lines"] li').allInnerTexts()

describe('granular consent in Chromium (DESIGN §3.5)', () => {
  it('unticks a line, accepts, and the AS gets the rest; the required line has no box', async () => {
    const request = await open({ granular: true, required_scopes: 'openid read:messages' })
    const { context, page } = await newPage()
    await page.goto(request.consent_url)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      expect(await seriousViolations(page)).toEqual([])
    }
    // One box per optional line, labelled by the line's text; the required line is marked.
    const profile = page.getByRole('checkbox', { name: 'Profile: access your name and picture' })
    const contacts = page.getByRole('checkbox', { name: 'Contacts: read your contacts' })
    await expect.poll(() => profile.isChecked()).toBe(true)
    // Write is optional, so it stands on its own line: read can be granted without it.
    expect(await page.getByRole('checkbox').count()).toBe(3)
    await expect
      .poll(() => page.getByRole('checkbox', { name: 'Messages: write your messages' }).isChecked())
      .toBe(true)
    expect(await page.locator('li:has-text("Messages") .badge.required').innerText()).toBe(
      'Required',
    )
    await page.screenshot({ path: `${ARTIFACTS}granular-en.png`, fullPage: true })

    await contacts.uncheck()
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.waitForURL(`${server.url}/demo/done**`)
    expect(await grantedLines(page)).toEqual([
      'Profile: access your name and picture',
      'Messages: read and write your messages',
    ])
    const decision = await api('GET', `/consent-requests/${request.id}`)
    expect(decision.body.declined_scopes).toEqual(['read:contacts'])
    await context.close()
  })

  it('accepts with every optional line unticked, by keyboard alone', async () => {
    const request = await open({ granular: true })
    const { context, page } = await newPage()
    await page.goto(request.consent_url)
    // Tab to each box and untick it with the space bar, then Tab on to Accept and press Enter.
    // The profile line's box is followed by its words, a disclosure of its claims (DESIGN §3.9).
    const boxes = await page.getByRole('checkbox').count()
    expect(boxes).toBe(4)
    const focused = () =>
      page.evaluate(
        () => document.activeElement?.getAttribute('type') ?? document.activeElement?.tagName,
      )
    for (let i = 0; i < boxes; i++) {
      await page.keyboard.press('Tab')
      expect(await focused()).toBe('checkbox')
      await page.keyboard.press('Space')
      if (i === 0) {
        await page.keyboard.press('Tab')
        expect(await focused()).toBe('SUMMARY')
      }
    }
    expect(await page.locator('input[type=checkbox]:checked').count()).toBe(0)
    await page.keyboard.press('Tab') // Decline
    await page.keyboard.press('Tab') // Accept
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Accept')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${server.url}/demo/done**`)
    const decision = await api('GET', `/consent-requests/${request.id}`)
    expect(decision.body).toMatchObject({
      status: 'accepted',
      granted_scopes: ['openid'],
      declined_scopes: ['profile', 'read:messages', 'write:messages', 'read:contacts'],
    })
    await context.close()
  })
})

describe('asked again (DESIGN §3.5.1)', () => {
  it('a changed description prompts only for that scope, and says why', async () => {
    const first = await open({ user_id: 'changes-user' })
    const { context, page } = await newPage()
    await page.goto(first.consent_url)
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.waitForURL(`${server.url}/demo/done**`)
    const server_ = (await api('GET', `/resource-servers/${encodeURIComponent(DEMO.audience)}`))
      .body
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      scopes: server_.scopes.map((s: { value: string; description: string }) =>
        s.value === 'read:contacts' ? { ...s, description: 'Read AND export all contacts' } : s,
      ),
    })
    const again = await open({ user_id: 'changes-user' })
    expect(again.status).toBe('pending')
    await page.goto(again.consent_url)
    expect(await page.getByTestId('changed-notice').innerText()).toContain('is asking again')
    expect(
      (await page.locator('[data-testid="scope-lines"] li').allInnerTexts()).map((l) =>
        l.replace(/\s+/g, ' ').trim(),
      ),
    ).toEqual(['Changed Contacts: read your contacts'])
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: `${ARTIFACTS}changed-en.png`, fullPage: true })
    await context.close()
  })

  it('an expired grant prompts again', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: 3600 })
    try {
      const first = await open({ user_id: 'expiry-user' })
      const { context, page } = await newPage()
      await page.goto(first.consent_url)
      await page.getByRole('button', { name: 'Accept' }).click()
      await page.waitForURL(`${server.url}/demo/done**`)
      expect((await open({ user_id: 'expiry-user' })).status).toBe('accepted')
      t.clock.advance(3_600_000)
      const again = await open({ user_id: 'expiry-user' })
      expect(again.status).toBe('pending')
      await page.goto(again.consent_url)
      expect(await page.locator('[data-testid="scope-lines"] li').count()).toBe(3)
      await context.close()
    } finally {
      await api('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: null })
    }
  })
})

describe('unverified apps (DESIGN §3.5.2)', () => {
  it('shows the notice in a right-to-left locale, above the lines, with Decline as the default', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, { is_verified: false })
    try {
      for (const scheme of ['light', 'dark'] as const) {
        // One request per browser: a consent page belongs to the browser that opened it.
        const request = await open({ ui_locales: 'ar' })
        const { context, page } = await newPage('ar', scheme)
        await page.goto(request.consent_url)
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
        const notice = page.getByTestId('unverified-notice')
        expect(await notice.isVisible()).toBe(true)
        expect(await notice.innerText()).toContain('لم يتحقق')
        const noticeBox = await notice.boundingBox()
        const linesBox = await page.getByTestId('scope-lines').boundingBox()
        expect((noticeBox?.y ?? 0) < (linesBox?.y ?? 0)).toBe(true)
        expect(await page.getByRole('button', { name: 'قبول' }).getAttribute('class')).toContain(
          'secondary',
        )
        expect(await seriousViolations(page)).toEqual([])
        await page.screenshot({ path: `${ARTIFACTS}unverified-ar-${scheme}.png`, fullPage: true })
        await context.close()
      }
    } finally {
      await api('PATCH', `/clients/${DEMO.clientId}`, { is_verified: true })
    }
  })
})
