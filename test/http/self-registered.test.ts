import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import type { ConsentBrowser } from '../support/consent.js'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/* Self-registered clients and the links people look for (DESIGN §2, §3.2.1, §3.10). */

let t: TestApp
let api: Management
let browser: ConsentBrowser

const CALLBACK = 'https://agent.example/callback'
const DAY = 86_400_000

eachTestApp((suite) => ({ t, api, browser } = suite))

const registerAgent = (overrides: Record<string, unknown> = {}) =>
  api('POST', '/clients', {
    client_id: 'agent',
    name: 'Helpful Agent',
    callbacks: [CALLBACK],
    is_dynamic: true,
    ...overrides,
  })

const open = (clientId = 'agent', redirectUri = CALLBACK) =>
  api('POST', '/consent-requests', {
    client_id: clientId,
    user_id: DEMO.userId,
    user_name: DEMO.userName,
    audience: DEMO.audience,
    scope: 'openid read:messages',
    redirect_uri: redirectUri,
    return_to: 'http://localhost:3000/demo/done',
  })

/** Opens, accepts and redeems a prompt: a grant, as the AS writes it. */
async function grant(clientId = 'agent', redirectUri = CALLBACK) {
  const created = await open(clientId, redirectUri)
  expect(created.body.status).toBe('pending')
  const page = await browser.visit(created.body.id)
  const decision = await browser.redeem(await browser.answer(created.body.id, 'accept', page))
  expect(decision.body.status).toBe('accepted')
}

describe('a self-registered client', () => {
  it('keeps when it registered, and is unverified until an admin says otherwise', async () => {
    const created = await registerAgent()
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      is_dynamic: true,
      registered_at: t.clock.now().toISOString(),
      is_verified: false,
    })
    expect((await api('GET', '/clients/agent')).body).toMatchObject({ is_dynamic: true })
    const verified = await api('PATCH', '/clients/agent', { is_verified: true })
    expect(verified.body.is_verified).toBeUndefined()
    expect(verified.body.is_dynamic).toBe(true)
    // Any other client: not self-registered, and says nothing of it.
    const plain = (await api('GET', `/clients/${DEMO.clientId}`)).body
    expect(plain.is_dynamic).toBeUndefined()
    expect(plain.registered_at).toBeUndefined()
  })

  it('is never first-party, at creation or later, and stays self-registered', async () => {
    const res = await registerAgent({ is_first_party: true })
    expectError(res, 400, 'invalid_body')
    expect(res.body.message).toContain('is_first_party')
    await registerAgent()
    expectError(await api('PATCH', '/clients/agent', { is_first_party: true }), 400, 'invalid_body')
    expectError(await api('PATCH', '/clients/agent', { is_dynamic: false }), 400, 'invalid_body')
  })

  it('is badged on the prompt with its registration date and the host it names', async () => {
    await registerAgent({ client_uri: 'https://agent.example/about' })
    const page = await browser.visit((await open()).body.id)
    const trust = /data-testid="client-trust"[\s\S]*?<\/p>/.exec(page.html)?.[0] ?? ''
    expect(trust).toContain('Self-registered app')
    expect(trust).toContain('Registered')
    expect(trust).toContain('agent.example')
    expect(page.html).toContain('data-testid="unverified-notice"')
  })

  it('names the redirect host when it gives no client_uri; other clients have no trust block', async () => {
    await registerAgent({ callbacks: ['https://cb.agent.example/cb'] })
    const page = await browser.visit((await open('agent', 'https://cb.agent.example/cb')).body.id)
    expect(/data-testid="client-trust"[\s\S]*?<\/p>/.exec(page.html)?.[0]).toContain(
      'cb.agent.example',
    )
    const demo = await browser.visit((await open(DEMO.clientId, DEMO.redirectUri)).body.id)
    expect(demo.html).not.toContain('data-testid="client-trust"')
  })

  it('has grants that count 30 days by default', async () => {
    await registerAgent()
    await grant()
    t.clock.advance(30 * DAY - 1000)
    expect((await open()).body.status).toBe('accepted')
    t.clock.advance(2000)
    expect((await open()).body.status).toBe('pending')
    // Other clients keep theirs until revoked (the tenant sets no lifetime).
    await grant(DEMO.clientId, DEMO.redirectUri)
    t.clock.advance(365 * DAY)
    expect((await open(DEMO.clientId, DEMO.redirectUri)).body.status).toBe('accepted')
  })

  it("follows the tenant's dynamic_client_consent_lifetime, and its own consent_lifetime first", async () => {
    const settings = await api('GET', '/tenants/settings')
    expect(settings.body.dynamic_client_consent_lifetime).toBe(2_592_000)
    expectError(
      await api('PATCH', '/tenants/settings', { dynamic_client_consent_lifetime: 59 }),
      400,
      'invalid_body',
    )
    const patched = await api('PATCH', '/tenants/settings', {
      dynamic_client_consent_lifetime: 3600,
    })
    expect(patched.body.dynamic_client_consent_lifetime).toBe(3600)
    await registerAgent()
    await grant()
    const grants = await api('GET', '/grants?client_id=agent')
    expect(grants.body[0].expires_at).toBe(
      new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
    )
    t.clock.advance(3_601_000)
    expect((await open()).body.status).toBe('pending')

    // Its own lifetime comes first: the same grant, 3601 s old, counts again for 7200 s.
    await api('PATCH', '/clients/agent', { consent_lifetime: 7200 })
    expect((await open()).body.status).toBe('accepted')
    t.clock.advance(3_600_000)
    expect((await open()).body.status).toBe('pending')
  })
})

describe('privacy policy and terms links', () => {
  it('are linked on the prompt when the client has them', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, {
      policy_uri: 'https://mail-helper.example/privacy',
      tos_uri: 'http://localhost:4000/terms',
    })
    const page = await browser.visit((await open(DEMO.clientId, DEMO.redirectUri)).body.id)
    expect(page.html).toContain('href="https://mail-helper.example/privacy"')
    expect(page.html).toContain('>Privacy policy</a>')
    expect(page.html).toContain('href="http://localhost:4000/terms"')
    expect(page.html).toContain('>Terms of service</a>')
    const client = (await api('GET', `/clients/${DEMO.clientId}`)).body
    expect(client).toMatchObject({
      policy_uri: 'https://mail-helper.example/privacy',
      tos_uri: 'http://localhost:4000/terms',
    })
    // Cleared, they are gone from the page.
    await api('PATCH', `/clients/${DEMO.clientId}`, { policy_uri: '', tos_uri: null })
    const again = await browser.visit((await open(DEMO.clientId, DEMO.redirectUri)).body.id)
    expect(again.html).not.toContain('data-testid="client-link"')
  })

  it.each([
    ['policy_uri', 'javascript:alert(1)'],
    ['tos_uri', 'data:text/html,hi'],
    ['policy_uri', 'http://privacy.example/'],
    ['client_uri', 'ftp://agent.example/'],
    ['tos_uri', 'not a url'],
  ])('refuses %s %s', async (field, value) => {
    const res = await api('PATCH', `/clients/${DEMO.clientId}`, { [field]: value })
    expectError(res, 400, 'invalid_body')
    expect(res.body.message).toContain(field)
  })
})
