import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBetterAuthServer } from '../../examples/better-auth/authorization-server.js'
import { startRelyingParty } from '../../examples/oidc-provider/relying-party.js'
import { DEMO } from '../../src/services/demo.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { management } from '../support/management.js'
import { freePort, type Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

let t: TestApp
let assent: Listening
let as: Awaited<ReturnType<typeof startBetterAuthServer>>
let rp: Awaited<ReturnType<typeof startRelyingParty>>
let browser: Browser
let asPort: number
let rpPort: number

chromiumForFile(
  (started) => ({ t, server: assent, browser } = started),
  async () => {
    ;[asPort, rpPort] = [await freePort(), await freePort()]
    return { env: { ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${asPort}/consent/return` } }
  },
)
beforeAll(async () => {
  as = await startBetterAuthServer({
    port: asPort,
    assent: { url: assent.url, token: t.adminToken },
    audience: DEMO.audience,
  })
  const redirectUri = `http://127.0.0.1:${rpPort}/callback`
  const client = await as.createClient({ name: 'Better App', redirectUri })
  // Assent knows the client by the id Better Auth gave it.
  await management(t)('POST', '/clients', {
    client_id: client.clientId,
    name: 'Better App',
    callbacks: [redirectUri],
  })
  rp = await startRelyingParty({
    port: rpPort,
    issuer: as.issuer,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    scope: 'openid profile read:messages write:messages',
  })
})
afterAll(async () => {
  await rp?.close()
  await as?.close()
})

async function signIn(name: string, locale = 'en-US') {
  const context = await browser.newContext({ locale })
  const page = await context.newPage()
  const visited: string[] = []
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.push(frame.url())
  })
  await page.goto(`${rp.url}/login`)
  await page.getByLabel('User name').fill(name)
  await page.getByRole('button', { name: 'Sign in' }).click()
  return { context, page, visited }
}

const SCOPE = ['openid', 'profile', 'read:messages', 'write:messages']
const scopeShown = async (page: import('playwright-core').Page) =>
  (await page.getByTestId('scope').innerText()).split(' ').sort()

describe('Better Auth with Assent as its consent page, in Chromium', () => {
  it('Accept: the token carries exactly the granted scopes; the next authorization asks nothing', async () => {
    const { context, page, visited } = await signIn('bea')
    await page.waitForURL(`${assent.url}/consent/**`)
    const lines = await page.locator('[data-testid="scope-lines"] li').allInnerTexts()
    expect(lines.map((line) => line.trim())).toEqual([
      'Profile: access your name and picture',
      'Messages: read and write your messages',
    ])
    await page.screenshot({ path: `${ARTIFACTS}better-auth-consent.png`, fullPage: true })
    await page.getByRole('button', { name: 'Accept' }).click()
    await page.waitForURL(`${rp.url}/callback**`)
    expect(await scopeShown(page)).toEqual(SCOPE)
    const grants = await management(t)('GET', '/grants')
    expect(grants.body).toEqual([expect.objectContaining({ scope: SCOPE })])

    // Same browser, same scopes: no prompt anywhere, and the same scopes in the token.
    visited.length = 0
    await page.goto(`${rp.url}/login`)
    await page.waitForURL(`${rp.url}/callback**`)
    expect(visited.some((url) => url.startsWith(assent.url))).toBe(false)
    expect(await scopeShown(page)).toEqual(SCOPE)
    expect(await tokenScopesOf('bea')).toEqual([SCOPE, SCOPE])
    await context.close()
  })

  it('Decline: the client gets access_denied and nothing is granted', async () => {
    const { context, page } = await signIn('dee')
    await page.waitForURL(`${assent.url}/consent/**`)
    await page.getByRole('button', { name: 'Decline' }).click()
    await page.waitForURL(`${rp.url}/callback**`)
    expect(await page.getByTestId('error').innerText()).toBe('access_denied')
    const grants = await management(t)('GET', '/grants')
    expect(grants.body.some((grant: { user_id: string }) => grant.user_id.includes('dee'))).toBe(
      false,
    )
    await context.close()
  })

  it('finishes a consent only in the browser that started it', async () => {
    const { context, page } = await signIn('theo')
    await page.waitForURL(`${assent.url}/consent/**`)
    // The user accepts, but the way back is taken from elsewhere first (a leaked URL).
    const csrf = (await page.locator('input[name="csrf"]').getAttribute('value')) ?? ''
    const rendition = (await page.locator('input[name="rendition"]').getAttribute('value')) ?? ''
    const answer = await context.request.post(page.url(), {
      form: { action: 'accept', csrf, rendition },
      headers: { origin: assent.url },
      maxRedirects: 0,
    })
    const back = answer.headers().location ?? ''
    expect(back).toContain('/consent/return?')
    const replay = await fetch(back, { redirect: 'manual' })
    expect(replay.status).toBe(400)
    expect(await tokenScopesOf('theo')).toEqual([])
    // The browser that started it still finishes it.
    await page.goto(back)
    await page.waitForURL(`${rp.url}/callback**`)
    expect(await scopeShown(page)).toEqual(SCOPE)
    await context.close()
  })

  it('grants only what Assent granted: with RBAC the token lacks the scope the user may not have', async () => {
    const api = management(t)
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      enforce_policies: true,
    })
    try {
      // Better Auth's user id is what Assent sees as user_id: sign in once to learn it.
      const { context, page } = await signIn('rita')
      await page.waitForURL(`${assent.url}/consent/**`)
      const userId = await userIdOf('rita')
      expect(userId).not.toBe('')
      await api('POST', `/users/${encodeURIComponent(userId)}/permissions`, {
        permissions: [
          { resource_server_identifier: DEMO.audience, permission_name: 'read:messages' },
        ],
      })
      // Asked again now that the permission is there: the prompt offers read:messages only.
      await page.goto(`${rp.url}/login`)
      await page.waitForURL(`${assent.url}/consent/**`)
      const lines = await page.locator('[data-testid="scope-lines"] li').allInnerTexts()
      expect(lines.map((line) => line.trim())).toEqual([
        'Profile: access your name and picture',
        'Messages: read your messages',
      ])
      await page.getByRole('button', { name: 'Accept' }).click()
      await page.waitForURL(`${rp.url}/callback**`)
      expect(await scopeShown(page)).toEqual(['openid', 'profile', 'read:messages'])
      expect(await tokenScopesOf('rita')).toEqual([['openid', 'profile', 'read:messages']])
      await context.close()
    } finally {
      await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
        enforce_policies: false,
      })
    }
  })
})

/** The scopes of every access token Better Auth issued to a user, as it stored them. */
async function tokenScopesOf(name: string): Promise<string[][]> {
  const ctx = await as.auth.$context
  const rows = await ctx.adapter.findMany<{ scopes: string[] | string }>({
    model: 'oauthAccessToken',
    where: [{ field: 'userId', value: await userIdOf(name) }],
  })
  return rows.map((row) =>
    (Array.isArray(row.scopes) ? row.scopes : String(row.scopes).split(/[ ,]/)).sort(),
  )
}

/** The Better Auth user id of a name signed in through the example's form. */
async function userIdOf(name: string): Promise<string> {
  const ctx = await as.auth.$context
  const user = await ctx.internalAdapter.findUserByEmail(`${name}@users.example`)
  return user?.user.id ?? ''
}
