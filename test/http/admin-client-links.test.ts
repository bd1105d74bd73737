import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import type { ConsentBrowser } from '../support/consent.js'
import { consoleSession, scopedApp } from '../support/console.js'
import { htmlForm } from '../support/html-form.js'
import type { Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/* A client's links in the console: home page, privacy policy, terms (DESIGN §2, §3.2.1, §5). */

let t: TestApp
let api: Management
let browser: ConsentBrowser

type ConsoleSession = Awaited<ReturnType<typeof consoleSession>>

eachTestApp((suite) => ({ t, api, browser } = suite))

const PAGE = `/admin/clients/${DEMO.clientId}`
const clientForm = async (s: ConsoleSession, page = PAGE) =>
  htmlForm(await (await s.get(page)).text(), (f) => f.action === page)
const stored = async (clientId: string = DEMO.clientId) =>
  t.store.clients.get(t.tenant.id, clientId)

/** The prompt the demo client opens now, as the user's browser receives it. */
async function prompt() {
  const created = await api('POST', '/consent-requests', {
    client_id: DEMO.clientId,
    user_id: DEMO.userId,
    audience: DEMO.audience,
    scope: 'openid read:messages',
    redirect_uri: DEMO.redirectUri,
    return_to: 'http://localhost:3000/demo/done',
  })
  expect(created.status).toBe(201)
  return (await browser.visit(created.body.id)).html
}

const LINKS = {
  client_uri: 'https://mail-helper.example/',
  policy_uri: 'https://mail-helper.example/privacy',
  tos_uri: 'http://localhost:4000/terms',
}

describe('console: a client’s links', () => {
  it('saves them, the prompt links the policy and terms, and emptied they are gone', async () => {
    const s = await consoleSession(t)
    const res = await s.submit(await clientForm(s), LINKS)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${PAGE}?done=saved`)
    expect(await stored()).toMatchObject({
      clientUri: LINKS.client_uri,
      policyUri: LINKS.policy_uri,
      tosUri: LINKS.tos_uri,
    })
    // The page shows them again, and the API reads what the console wrote.
    expect((await clientForm(s)).entries()).toEqual(expect.arrayContaining(Object.entries(LINKS)))
    expect((await api('GET', `/clients/${DEMO.clientId}`)).body).toMatchObject(LINKS)
    const html = await prompt()
    expect(html).toContain(`href="${LINKS.policy_uri}"`)
    expect(html).toContain('>Privacy policy</a>')
    expect(html).toContain(`href="${LINKS.tos_uri}"`)
    expect(html).toContain('>Terms of service</a>')

    await s.submit(await clientForm(s), { client_uri: '', policy_uri: '', tos_uri: '  ' })
    expect(await stored()).toMatchObject({ clientUri: null, policyUri: null, tosUri: null })
    expect(await prompt()).not.toContain('data-testid="client-link"')
  })

  it.each([
    ['policy_uri', 'javascript:alert(1)'],
    ['tos_uri', 'data:text/html,<script>alert(1)</script>'],
    ['policy_uri', 'http://privacy.example/'],
    ['client_uri', 'http://10.0.0.5/'],
    ['tos_uri', 'https://mail-helper.example@evil.example/terms'],
    ['client_uri', 'https://user:secret@mail-helper.example/'],
    ['policy_uri', 'ftp://mail-helper.example/privacy'],
    ['tos_uri', 'not a url'],
  ])(
    'refuses %s %s beside the field, keeps what was typed, stores nothing',
    async (field, value) => {
      await api('PATCH', `/clients/${DEMO.clientId}`, LINKS)
      const name = (await stored())?.name
      const s = await consoleSession(t)
      // With another change in the same post: a refusal saves none of it.
      const res = await s.submit(await clientForm(s), { [field]: value, name: 'Renamed' })
      expect(res.status).toBe(400)
      const html = await res.text()
      expect(html).toMatch(new RegExp(`id="${field}-error">must be an`))
      expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`))
      expect(htmlForm(html, (f) => f.action === PAGE).entries()).toContainEqual([field, value])
      expect(await stored()).toMatchObject({
        name,
        clientUri: LINKS.client_uri,
        policyUri: LINKS.policy_uri,
        tosUri: LINKS.tos_uri,
      })
      // The Management API answers the same value the same way.
      expect((await api('PATCH', `/clients/${DEMO.clientId}`, { [field]: value })).status).toBe(400)
    },
  )

  it('leaves the links alone when a post does not carry them, and refuses a post without the token', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, LINKS)
    const s = await consoleSession(t)
    expect((await s.post(PAGE, { name: 'Mail Helper 2' })).status).toBe(303)
    expect(await stored()).toMatchObject({
      name: 'Mail Helper 2',
      clientUri: LINKS.client_uri,
      policyUri: LINKS.policy_uri,
      tosUri: LINKS.tos_uri,
    })
    const forged = await s.post(PAGE, { policy_uri: 'https://evil.example/' }, false)
    expect(forged.status).toBe(403)
    expect((await stored())?.policyUri).toBe(LINKS.policy_uri)
  })

  it('shows a reader the links without a way to change them, and refuses the reader’s post', async () => {
    const scoped = await scopedApp()
    try {
      const admin = await consoleSession(scoped.t)
      await admin.submit(await clientForm(admin), LINKS)
      const reader = await consoleSession(scoped.t, await scoped.token('read:clients'))
      const html = await (await reader.get(PAGE)).text()
      expect(html).toMatch(
        /id="policy_uri"[^>]*value="https:\/\/mail-helper.example\/privacy" disabled/,
      )
      expect(html).not.toContain('>Save</button>')
      const res = await reader.post(PAGE, { policy_uri: 'https://evil.example/' })
      expect(res.status).toBe(403)
      const kept = await scoped.t.store.clients.get(scoped.t.tenant.id, DEMO.clientId)
      expect(kept?.policyUri).toBe(LINKS.policy_uri)
    } finally {
      await scoped.close()
    }
  })

  it('previews the typed links as the prompt would, without saving them', async () => {
    const s = await consoleSession(t)
    const res = await s.submit(
      await clientForm(s),
      { policy_uri: LINKS.policy_uri, tos_uri: 'http://terms.example/' },
      { name: 'intent', value: 'preview' },
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    const preview = html.slice(html.indexOf('data-testid="client-preview-links"'))
    expect(preview).toContain(`href="${LINKS.policy_uri}"`)
    // Not https: the prompt would not link it, so the preview does not either.
    expect(preview).not.toContain('terms.example')
    expect((await stored())?.policyUri).toBeNull()
  })
})

describe('console: what a save leaves alone', () => {
  it('keeps the Auth0 fields the client carries through a save of every field', async () => {
    const auth0 = {
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      jwt_configuration: { lifetime_in_seconds: 36000, alg: 'RS256' },
      client_metadata: { team: 'web' },
      allowed_logout_urls: ['https://orders.example.com/'],
    }
    const created = await api('POST', '/clients', { client_id: 'orders', name: 'Orders', ...auth0 })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const page = '/admin/clients/orders'
    const s = await consoleSession(t)
    const res = await s.submit(await clientForm(s, page), {
      name: 'Orders 2',
      description: 'The orders front end',
      logo_uri: 'https://orders.example.com/logo.png',
      callbacks: 'https://orders.example.com/callback',
      is_first_party: true,
      is_verified: false,
      consent_lifetime: '7',
      consent_lifetime_unit: 'days',
      consent_duration_choices: '3600, until_removed',
      ...LINKS,
    })
    expect(res.status).toBe(303)
    expect((await stored('orders'))?.auth0).toEqual(auth0)
    expect((await api('GET', '/clients/orders')).body).toMatchObject({
      name: 'Orders 2',
      policy_uri: LINKS.policy_uri,
      ...auth0,
    })
  })
})

describe('console: a self-registered client', () => {
  it('says so with its registration date; other clients do not', async () => {
    await api('POST', '/clients', {
      client_id: 'agent',
      name: 'Helpful Agent',
      callbacks: ['https://agent.example/callback'],
      is_dynamic: true,
    })
    const s = await consoleSession(t)
    const html = await (await s.get('/admin/clients/agent')).text()
    const day = t.clock.now().toISOString().slice(0, 10)
    expect(html).toContain('data-testid="self-registered"')
    expect(html).toContain(`<time datetime="${day}">${day}</time>`)
    // Shown, not a field: no post can turn it off.
    const form = await clientForm(s, '/admin/clients/agent')
    expect(form.entries().map(([name]) => name)).not.toContain('is_dynamic')
    expect((await s.post('/admin/clients/agent', { is_dynamic: 'off' })).status).toBe(303)
    expect((await stored('agent'))?.isDynamic).toBe(true)
    // First-party: the box is off and can't be ticked; a post that ticks it anyway is refused
    // beside the box, as the API refuses it.
    expect(form.entries().map(([name]) => name)).not.toContain('is_first_party')
    const refused = await s.post('/admin/clients/agent', { is_first_party: 'on' })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('id="is_first_party-error"')
    expect((await stored('agent'))?.isFirstParty).toBe(false)
    expect(await (await s.get(PAGE)).text()).not.toContain('data-testid="self-registered"')
  })
})
