import { beforeEach, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consentBrowser, demoRequest } from '../support/consent.js'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

const RETURN_TO = 'http://localhost:3000/demo/done'

eachTestApp((suite) => ({ t, api } = suite))

async function open(overrides: Record<string, unknown> = {}) {
  const created = await api(
    'POST',
    '/consent-requests',
    demoRequest({
      user_name: DEMO.userName,
      scope: 'openid profile read:messages write:messages',
      return_to: RETURN_TO,
      state: 'af0ifjsldkj',
      ...overrides,
    }),
  )
  return created
}

/** A browser on the consent pages: its cookie and form token kept (test/support/consent.ts). */
const visit = (id: string, cookie?: string) => consentBrowser(t).visit(id, cookie)
const answer = (
  id: string,
  action: string,
  session: { cookie: string; csrf: string },
  headers: Record<string, string> = {},
) => consentBrowser(t).answer(id, action, session, [], headers)
const redeem = async (res: Response) => {
  const { status, body } = await consentBrowser(t).redeem(res)
  return { status, body, headers: new Headers() }
}

const decision = async (id: string) => (await api('GET', `/consent-requests/${id}`)).body

const lines = (html: string) =>
  [
    ...(/data-testid="scope-lines"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(
      /<span>((?:[^<]|<\/?bdi>)*)<\/span>/g,
    ),
  ].map((m) => m[1]?.replace(/<\/?bdi>/g, ''))

describe('POST /api/v2/consent-requests (DESIGN §3.1)', () => {
  it('opens a pending request with a 128-bit id and the scopes it is about', async () => {
    const created = await open({ scope: 'openid read:messages delete:everything offline_access' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      status: 'pending',
      consent_url: `http://localhost:3000/consent/${created.body.id}`,
      effective_scopes: ['openid', 'offline_access', 'read:messages'],
      dropped_scopes: ['delete:everything'],
      granted_scopes: [],
      expires_at: new Date(t.clock.now().getTime() + 600_000).toISOString(),
    })
  })

  it.each([
    [{ client_id: 'nope' }, 404, 'inexistent_client'],
    [{ audience: 'https://nope/' }, 404, 'inexistent_resource_server'],
    [{ return_to: 'https://evil.example/steal' }, 400, 'invalid_body'],
    [{ return_to: 'http://localhost:3000.evil.example/' }, 400, 'invalid_body'],
    [{ redirect_uri: 'https://elsewhere.example/cb' }, 400, 'invalid_body'],
    [{ prompt: 'sometimes' }, 400, 'invalid_body'],
    [{ scope: undefined }, 400, 'invalid_body'],
    [{ extra: 1 }, 400, 'invalid_body'],
    [{ return_to: 'http://localhost:3000/demo/..%2f..%2fadmin' }, 400, 'invalid_body'],
    [{ redirect_uri: 'javascript:alert(1)' }, 400, 'invalid_body'],
  ])('refuses %j', async (overrides, status, code) => {
    expectError(await open(overrides), status, code)
  })

  it('refuses a client that registered no callbacks: its browser could be sent anywhere', async () => {
    await api('POST', '/clients', { client_id: 'no-callbacks', name: 'No callbacks' })
    const res = await open({ client_id: 'no-callbacks', redirect_uri: 'https://any.example/cb' })
    expectError(res, 400, 'invalid_body')
    expect(res.body.message).toContain('no registered callbacks')
  })

  it('needs the create:consent_requests scope', async () => {
    const res = await t.app.request('/api/v2/consent-requests', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(401)
  })

  it('answers prompt=none with consent_required when a page is needed', async () => {
    const created = await open({ prompt: 'none' })
    expect(created.body).toMatchObject({
      status: 'denied',
      error: 'consent_required',
      granted_scopes: [],
    })
    expect(await decision(created.body.id)).toMatchObject({
      status: 'denied',
      error: 'consent_required',
      scope: '',
    })
  })
})

describe('answering the prompt (DESIGN §3.2)', () => {
  it('accept: 303 back to the AS, the grant holds the scopes, the decision carries them', async () => {
    const created = await open()
    const page = await visit(created.body.id)
    expect(page.status).toBe(200)
    const res = await answer(created.body.id, 'accept', page)
    expect(res.status).toBe(303)
    const back = new URL(res.headers.get('location') ?? '')
    expect(`${back.origin}${back.pathname}`).toBe(RETURN_TO)
    expect(back.searchParams.get('consent_request')).toBe(created.body.id)
    expect(back.searchParams.get('state')).toBe('af0ifjsldkj')
    expect(back.searchParams.get('consent_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // An answer alone grants nothing, and the AS sees no decision before it redeems the
    // verifier: only that it was answered (DESIGN §3.4).
    expect(await decision(created.body.id)).toEqual({
      id: created.body.id,
      status: 'answered',
      expires_at: created.body.expires_at,
    })
    expect((await api('GET', '/grants')).body).toEqual([])

    const verified = await redeem(res)
    expect(verified.status).toBe(200)
    const expected = {
      id: created.body.id,
      status: 'accepted',
      user_id: DEMO.userId,
      client_id: DEMO.clientId,
      audience: DEMO.audience,
      granted_scopes: ['openid', 'profile', 'read:messages', 'write:messages'],
      scope: 'openid profile read:messages write:messages',
      receipt_id: expect.stringMatching(/^rcp_[A-Za-z0-9_-]{22}$/),
    }
    expect(verified.body).toEqual(expected)
    expect(await decision(created.body.id)).toEqual(expected)
    // Idempotent for the AS's retries: the same decision, nothing written twice.
    expect((await redeem(res)).body).toEqual(expected)
    const grants = await api('GET', `/grants?user_id=${encodeURIComponent(DEMO.userId)}`)
    expect(grants.body).toEqual([
      expect.objectContaining({
        clientID: DEMO.clientId,
        audience: DEMO.audience,
        scope: ['openid', 'profile', 'read:messages', 'write:messages'],
      }),
    ])
  })

  it('deny: 303 back, the decision says access_denied, nothing is granted', async () => {
    const created = await open()
    const res = await answer(created.body.id, 'deny', await visit(created.body.id))
    expect(res.status).toBe(303)
    expect((await redeem(res)).body).toMatchObject({
      status: 'denied',
      error: 'access_denied',
      granted_scopes: [],
      scope: '',
    })
    expect((await api('GET', '/grants')).body).toEqual([])
  })

  it('a replayed answer gets a translated 409 page and changes nothing', async () => {
    const created = await open({ ui_locales: 'de' })
    const session = await visit(created.body.id)
    expect((await answer(created.body.id, 'deny', session)).status).toBe(303)
    const replay = await answer(created.body.id, 'accept', session)
    expect(replay.status).toBe(409)
    expect(await replay.text()).toContain('Diese Anfrage wurde bereits beantwortet')
    expect((await decision(created.body.id)).status).toBe('answered')
    expect((await api('GET', '/grants')).body).toEqual([])
    // The browser that answered sees 409 on reload; any other browser, 403 and nothing more.
    expect((await visit(created.body.id, session.cookie)).status).toBe(409)
    expect((await visit(created.body.id)).status).toBe(403)
  })

  it.each([
    [
      'a forged token',
      (s: { cookie: string; csrf: string }) => ({ ...s, csrf: 'A'.repeat(43) }),
      {},
    ],
    ['no cookie', (s: { cookie: string; csrf: string }) => ({ ...s, cookie: '' }), {}],
    [
      'another browser’s cookie',
      (s: { cookie: string; csrf: string }) => ({ ...s, cookie: 'assent_csrf=someone-else' }),
      {},
    ],
    [
      'a cross-site post',
      (s: { cookie: string; csrf: string }) => s,
      { 'sec-fetch-site': 'cross-site' },
    ],
    [
      'a post from another origin',
      (s: { cookie: string; csrf: string }) => s,
      { origin: 'https://evil.example' },
    ],
    [
      'a post from an opaque origin (sandboxed frame, data: page)',
      (s: { cookie: string; csrf: string }) => s,
      { origin: 'null' },
    ],
    ['no form token at all', (s: { cookie: string; csrf: string }) => ({ ...s, csrf: '' }), {}],
  ])('refuses %s with a 403 page and changes nothing', async (_, tamper, headers) => {
    const created = await open()
    const res = await answer(
      created.body.id,
      'accept',
      tamper(await visit(created.body.id)),
      headers,
    )
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('We couldn&#39;t verify this form')
    expect((await decision(created.body.id)).status).toBe('pending')
    expect((await api('GET', '/grants')).body).toEqual([])
  })

  it('a token for one request does not answer another', async () => {
    const first = await open()
    const second = await open()
    const session = await visit(first.body.id)
    expect((await answer(second.body.id, 'accept', session)).status).toBe(403)
  })

  it('answers only in the browser that first opened the page (DESIGN §3.2)', async () => {
    const created = await open({ ui_locales: 'fr' })
    const owner = await visit(created.body.id)
    expect(owner.status).toBe(200)
    // Another browser: a 403 page in the request's language that names no one and nothing.
    const stranger = await t.app.request(`/consent/${created.body.id}`)
    expect(stranger.status).toBe(403)
    const html = await stranger.text()
    expect(html).toContain('Ce lien a été ouvert dans un autre navigateur')
    for (const secret of [DEMO.userName, 'Mail Helper', 'messages', 'mail-helper.example']) {
      expect(html).not.toContain(secret)
    }
    // Its own cookie and a token of its own cannot answer either.
    const other = await visit(created.body.id, 'assent_csrf=another-browser-cookie-value')
    expect(other.status).toBe(403)
    expect((await decision(created.body.id)).status).toBe('pending')
    // The browser it is bound to still can, and sees the page again on reload.
    expect((await visit(created.body.id, owner.cookie)).status).toBe(200)
    expect((await answer(created.body.id, 'accept', owner)).status).toBe(303)
  })

  it('never lets a request answered in a stranger’s browser become a grant without the verifier', async () => {
    const created = await open()
    // The stranger opens the leaked link first and accepts: their browser holds the verifier.
    const stranger = await answer(created.body.id, 'accept', await visit(created.body.id))
    expect(stranger.status).toBe(303)
    expect((await api('GET', '/grants')).body).toEqual([])
    // The AS, holding no verifier from its own user, cannot read a decision or make a grant.
    const guessed = await api('POST', `/consent-requests/${created.body.id}/verify`, {
      consent_verifier: 'A'.repeat(43),
    })
    expectError(guessed, 403, 'invalid_verifier')
    expect((await api('GET', '/grants')).body).toEqual([])
    // And the next request for that user and client still prompts.
    expect((await open()).body.status).toBe('pending')
  })

  it('verify: 403 for a wrong or missing verifier, 409 before the answer, 404 unknown, 410 stale', async () => {
    const created = await open()
    const verify = (id: string, body: Record<string, unknown>) =>
      api('POST', `/consent-requests/${id}/verify`, body)
    expectError(await verify(created.body.id, { consent_verifier: 'x' }), 409, 'not_answered')
    const res = await answer(created.body.id, 'accept', await visit(created.body.id))
    expectError(await verify(created.body.id, {}), 403, 'invalid_verifier')
    expectError(await verify(created.body.id, { consent_verifier: 'x' }), 403, 'invalid_verifier')
    expectError(
      await verify('A'.repeat(22), { consent_verifier: 'x' }),
      404,
      'inexistent_consent_request',
    )
    expect((await api('GET', '/grants')).body).toEqual([])
    t.clock.advance(600_001)
    expectError(await redeem(res), 410, 'expired')
    expect((await api('GET', '/grants')).body).toEqual([])

    const late = await open({ user_id: 'late' })
    t.clock.advance(600_001)
    expectError(await verify(late.body.id, { consent_verifier: 'x' }), 410, 'expired')
  })

  it('verify: a request decided at creation has no verifier to redeem', async () => {
    const created = await open({ prompt: 'none' })
    expect(created.body.status).toBe('denied')
    expectError(
      await api('POST', `/consent-requests/${created.body.id}/verify`, { consent_verifier: 'x' }),
      403,
      'invalid_verifier',
    )
  })

  it('verify needs read:consent_requests and stays within the tenant', async () => {
    const created = await open()
    const res = await answer(created.body.id, 'accept', await visit(created.body.id))
    const back = new URL(res.headers.get('location') ?? '')
    const anonymous = await t.app.request(`/api/v2/consent-requests/${created.body.id}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consent_verifier: back.searchParams.get('consent_verifier') }),
    })
    expect(anonymous.status).toBe(401)
    expect((await api('GET', '/grants')).body).toEqual([])
  })

  it('an expired request gets a 410 page and changes nothing', async () => {
    const created = await open({ ui_locales: 'es' })
    const session = await visit(created.body.id)
    t.clock.advance(600_001)
    const res = await answer(created.body.id, 'accept', session)
    expect(res.status).toBe(410)
    expect(await res.text()).toContain('Esta solicitud ha caducado')
    // Past its time, the request says so; nothing was recorded.
    expect((await decision(created.body.id)).status).toBe('expired')
    expect((await t.store.consentRequests.get(t.tenant.id, created.body.id))?.status).toBe(
      'pending',
    )
  })

  it.each([
    ['no action', 'csrf=x', 'application/x-www-form-urlencoded', 400],
    ['an unknown action', 'action=maybe&csrf=x', 'application/x-www-form-urlencoded', 400],
    ['JSON', '{"action":"accept"}', 'application/json', 400],
    ['a malformed multipart body', 'action=accept', 'multipart/form-data; boundary=x', 400],
    [
      'a 70 KiB form',
      `action=accept&csrf=${'x'.repeat(70_000)}`,
      'application/x-www-form-urlencoded',
      413,
    ],
  ])('answers a form with %s with a clear 4xx page', async (_, body, type, status) => {
    const created = await open()
    const session = await visit(created.body.id)
    const res = await t.app.request(`/consent/${created.body.id}`, {
      method: 'POST',
      headers: { 'content-type': type, cookie: session.cookie },
      body,
    })
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect((await decision(created.body.id)).status).toBe('pending')
  })

  it('of two racing answers, exactly one wins', async () => {
    const created = await open()
    const session = await visit(created.body.id)
    const results = await Promise.all([
      answer(created.body.id, 'accept', session),
      answer(created.body.id, 'deny', session),
      answer(created.body.id, 'accept', session),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([303, 409, 409])
    const final = await decision(created.body.id)
    const winner = results.find((r) => r.status === 303)
    expect(winner).toBeDefined()
    expect(final.status).toBe('answered')
    // The verify tells the outcome: the one answer that won.
    expect(['accepted', 'denied']).toContain((await redeem(winner as Response)).body.status)
  })
})

describe('no page needed (DESIGN §3.3) and incremental consent', () => {
  async function acceptAll(overrides: Record<string, unknown> = {}) {
    const created = await open(overrides)
    await redeem(await answer(created.body.id, 'accept', await visit(created.body.id)))
    return created
  }

  it('a second request for what was granted is accepted at once', async () => {
    await acceptAll()
    const again = await open()
    expect(again.body).toMatchObject({
      status: 'accepted',
      granted_scopes: ['openid', 'profile', 'read:messages', 'write:messages'],
    })
  })

  it('a new scope asks for that scope only', async () => {
    await acceptAll({ scope: 'openid read:messages' })
    const more = await open({ scope: 'openid read:messages read:contacts' })
    expect(more.body.status).toBe('pending')
    const page = await visit(more.body.id)
    expect(lines(page.html)).toEqual(['Contacts: read your contacts'])
    expect(page.html).toContain('You already allowed this app 1 other permission.')
    const verified = await redeem(await answer(more.body.id, 'accept', page))
    expect(verified.body.scope).toBe('openid read:messages read:contacts')
  })

  it('prompt=consent shows the page again, for everything', async () => {
    await acceptAll()
    const forced = await open({ prompt: 'consent' })
    expect(forced.body.status).toBe('pending')
    expect(lines((await visit(forced.body.id)).html)).toEqual([
      'Profile: access your name and picture',
      'Messages: read and write your messages',
    ])
  })

  it('a first-party client skips the page unless it redirects to loopback', async () => {
    await api('POST', '/clients', {
      client_id: 'first',
      name: 'First',
      is_first_party: true,
      callbacks: ['https://first.example/cb', 'http://127.0.0.1:8080/cb'],
    })
    expect(
      (await open({ client_id: 'first', redirect_uri: 'https://first.example/cb' })).body.status,
    ).toBe('accepted')
    expect(
      (await open({ client_id: 'first', redirect_uri: 'http://127.0.0.1:8080/cb' })).body.status,
    ).toBe('pending')
  })
})

describe('RBAC (DESIGN §1.2 step 3, §3.4)', () => {
  beforeEach(async () => {
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      enforce_policies: true,
      token_dialect: 'access_token_authz',
    })
    const role = (await api('POST', '/roles', { name: 'Reader' })).body
    await api('POST', `/roles/${role.id}/permissions`, {
      permissions: [
        { resource_server_identifier: DEMO.audience, permission_name: 'read:messages' },
      ],
    })
    await api('POST', `/users/${encodeURIComponent(DEMO.userId)}/roles`, { roles: [role.id] })
    await api('POST', `/users/${encodeURIComponent(DEMO.userId)}/permissions`, {
      permissions: [
        { resource_server_identifier: DEMO.audience, permission_name: 'read:contacts' },
      ],
    })
  })

  it('narrows the prompt and the token to the user’s permissions, and lists them all', async () => {
    const created = await open({ scope: 'openid read:messages write:messages' })
    expect(created.body).toMatchObject({
      effective_scopes: ['openid', 'read:messages'],
      dropped_scopes: ['write:messages'],
    })
    const page = await visit(created.body.id)
    expect(lines(page.html)).toEqual(['Messages: read your messages'])
    const verified = await redeem(await answer(created.body.id, 'accept', page))
    expect(verified.body).toMatchObject({
      scope: 'openid read:messages',
      permissions: ['read:messages', 'read:contacts'],
    })
  })

  it('drops from the decision a permission taken away after the answer', async () => {
    const created = await open({ scope: 'openid read:contacts' })
    const res = await answer(created.body.id, 'accept', await visit(created.body.id))
    await api('DELETE', `/users/${encodeURIComponent(DEMO.userId)}/permissions`, {
      permissions: [
        { resource_server_identifier: DEMO.audience, permission_name: 'read:contacts' },
      ],
    })
    expect((await redeem(res)).body.scope).toBe('openid')
    // The grant holds what the token got: a scope taken away before the verify is not granted.
    expect((await api('GET', '/grants')).body[0].scope).toEqual(['openid'])
  })
})

describe('the demo', () => {
  it('comes back to a page that shows the decision', async () => {
    const start = await t.app.request('/demo')
    const id = start.headers.get('location')?.split('/').pop() ?? ''
    const res = await answer(id, 'accept', await visit(id))
    const back = new URL(res.headers.get('location') ?? '')
    const done = await t.app.request(`${back.pathname}${back.search}`)
    const html = await done.text()
    expect(done.status).toBe(200)
    expect(html).toContain('You accepted. This is what <bdi>Mail Helper</bdi> may now do:')
    expect(html).toContain(
      'openid profile offline_access read:messages write:messages read:contacts',
    )
  })
})
