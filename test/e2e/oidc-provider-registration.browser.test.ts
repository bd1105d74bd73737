import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthorizationServer } from '../../examples/oidc-provider/authorization-server.js'
import { startRelyingParty } from '../../examples/oidc-provider/relying-party.js'
import { DEMO } from '../../src/services/demo.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { management } from '../support/management.js'
import { freePort, type Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

/*
 * Dynamic client registration through the oidc-provider example (RFC 7591, DESIGN §3.10): an app
 * registers itself with the AS, as MCP clients do, the AS registers it in Assent as self-registered,
 * and its prompt says so.
 */

let t: TestApp
let assent: Listening
let as: Awaited<ReturnType<typeof startAuthorizationServer>>
let browser: Browser
let asPort: number

chromiumForFile(
  (started) => ({ t, server: assent, browser } = started),
  async () => {
    asPort = await freePort()
    return { env: { ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${asPort}/interaction/` } }
  },
)
beforeAll(async () => {
  as = await startAuthorizationServer({
    port: asPort,
    assent: { url: assent.url, token: t.adminToken },
    defaultAudience: DEMO.audience,
    clients: [],
  })
})
afterAll(async () => {
  await as?.close()
})

/** What an MCP client does first: registers itself (RFC 7591 §3.1). */
async function register(metadata: Record<string, unknown>) {
  const res = await fetch(`${as.issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...metadata,
    }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, string> }
}

describe('a client that registers itself with the oidc-provider example', () => {
  it('is registered in Assent as self-registered, and its prompt says so', async () => {
    const rpPort = await freePort()
    const registered = await register({
      client_name: 'Helpful Agent',
      redirect_uris: [`http://127.0.0.1:${rpPort}/callback`],
      client_uri: `http://127.0.0.1:${rpPort}/about`,
    })
    expect(registered.status).toBe(201)
    const clientId = registered.body.client_id ?? ''
    const inAssent = await management(t)('GET', `/clients/${clientId}`)
    expect(inAssent.body).toMatchObject({
      name: 'Helpful Agent',
      is_dynamic: true,
      is_verified: false,
      callbacks: [`http://127.0.0.1:${rpPort}/callback`],
    })
    expect(inAssent.body.registered_at).toEqual(expect.any(String))

    const rp = await startRelyingParty({
      port: rpPort,
      issuer: as.issuer,
      clientId,
      clientSecret: registered.body.client_secret ?? '',
      scope: 'openid read:messages',
    })
    try {
      const context = await browser.newContext({ locale: 'en-US' })
      const page = await context.newPage()
      await page.goto(`${rp.url}/login`)
      await page.getByLabel('User name').fill('mia')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${assent.url}/consent/**`)
      const trust = page.getByTestId('client-trust')
      expect(await trust.getByTestId('self-registered').innerText()).toBe('Self-registered app')
      expect(await trust.innerText()).toContain(`127.0.0.1:${rpPort}`)
      expect(await page.getByTestId('unverified-notice').isVisible()).toBe(true)
      await page.screenshot({ path: `${ARTIFACTS}self-registered-consent.png`, fullPage: true })
      await page.getByRole('button', { name: 'Accept' }).click()
      await page.waitForURL(`${rp.url}/callback**`)
      expect(await page.getByTestId('scope').innerText()).toContain('read:messages')
      await context.close()
    } finally {
      await rp.close()
    }
  })

  it('fails when Assent refuses what the app says of itself, and leaves no client behind', async () => {
    const before = (await management(t)('GET', '/clients?include_totals=true')).body.total
    const created: string[] = []
    as.provider.once('registration_create.success', (_ctx, client: { clientId: string }) =>
      created.push(client.clientId),
    )
    const refused = await register({
      client_name: 'Sneaky <b>Agent</b>',
      redirect_uris: ['http://127.0.0.1:9/callback'],
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toBe('invalid_client_metadata')
    expect((await management(t)('GET', '/clients?include_totals=true')).body.total).toBe(before)
    // oidc-provider had stored it, and forgot it again.
    expect(created).toHaveLength(1)
    expect(await as.provider.Client.find(created[0] ?? '')).toBeUndefined()
  })
})
