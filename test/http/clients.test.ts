import { beforeEach, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consentBrowser, demoRequest } from '../support/consent.js'
import { expectError, type Management, management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

const RETURN_TO = 'http://localhost:3000/demo/done'

eachTestApp((suite) => {
  t = suite.t
  api = management(t, { host: 'localhost' })
})

describe('client ids are unique per tenant, not across tenants (DESIGN §6)', () => {
  beforeEach(async () => {
    await t.store.tenants.create({
      id: 'globex',
      domains: ['globex.example'],
      settings: { friendly_name: 'Globex', flags: {} },
    })
  })

  it('lets two tenants both create client `web`, each seeing and deleting only its own', async () => {
    const globex = management(t, { host: 'globex.example' })
    const mine = await api('POST', '/clients', { client_id: 'web', name: 'Acme Web' })
    expect(mine.status).toBe(201)
    // Neither a 409 that tells one tenant about another's client, nor a client taken from it.
    const theirs = await globex('POST', '/clients', { client_id: 'web', name: 'Globex Web' })
    expect(theirs.status).toBe(201)
    expectError(
      await globex('POST', '/clients', { client_id: 'web', name: 'Again' }),
      409,
      'conflict',
    )

    expect((await api('GET', '/clients/web')).body.name).toBe('Acme Web')
    expect((await globex('GET', '/clients/web')).body.name).toBe('Globex Web')
    expect((await globex('GET', '/clients')).body.map((c: { name: string }) => c.name)).toEqual([
      'Globex Web',
    ])
    expect((await globex('PATCH', '/clients/web', { name: 'Globex App' })).status).toBe(200)
    expect((await api('GET', '/clients/web')).body.name).toBe('Acme Web')

    expect((await globex('DELETE', '/clients/web')).status).toBe(204)
    expectError(await globex('GET', '/clients/web'), 404, 'inexistent_client')
    expect((await api('GET', '/clients/web')).body.name).toBe('Acme Web')
  })
})

async function open(overrides: Record<string, unknown> = {}) {
  return api('POST', '/consent-requests', demoRequest({ return_to: RETURN_TO, ...overrides }))
}

/** A browser on the consent pages (test/support/consent.ts). */
const visit = (id: string) => consentBrowser(t).visit(id)
const answer = (id: string, action: string, session: { cookie: string; csrf: string }) =>
  consentBrowser(t).answer(id, action, session)

describe('a deleted client (DESIGN §3.2)', () => {
  it('takes its grants and pending requests with it; created again, it starts with none', async () => {
    const granted = (await open()).body.id
    const answered = await answer(granted, 'accept', await visit(granted))
    expect(answered.status).toBe(303)
    const verifier = new URL(answered.headers.get('location') ?? '').searchParams.get(
      'consent_verifier',
    )
    await api('POST', `/consent-requests/${granted}/verify`, { consent_verifier: verifier })
    expect((await open()).body.status).toBe('accepted')
    const pending = (await open({ scope: 'openid write:messages' })).body.id
    const session = await visit(pending)
    expect(session.status).toBe(200)

    expect((await api('DELETE', `/clients/${DEMO.clientId}`)).status).toBe(204)
    expect((await api('GET', '/grants')).body).toEqual([])
    expect((await t.app.request(`/consent/${pending}`)).status).toBe(404)
    expect((await answer(pending, 'accept', session)).status).toBe(404)
    expect((await api('GET', '/grants')).body).toEqual([])

    await api('POST', '/clients', {
      client_id: DEMO.clientId,
      name: 'Mail Helper, again',
      callbacks: [DEMO.redirectUri],
    })
    // The old prompt does not answer for the new client, whose user has granted it nothing.
    expect((await answer(pending, 'accept', session)).status).toBe(404)
    expect((await api('GET', '/grants')).body).toEqual([])
    const fresh = await open()
    expect(fresh.body.status).toBe('pending')
    expect((await visit(fresh.body.id)).status).toBe(200)
  })

  it('leaves a request opened while it was being deleted unanswerable', async () => {
    // The request was stored after the deletion had removed the client's requests.
    const id = 'opened_while_deleted_01'
    await t.store.consentRequests.create({
      id,
      tenantId: t.tenant.id,
      clientId: 'deleted-client',
      userId: DEMO.userId,
      userName: null,
      audience: DEMO.audience,
      requestedScopes: ['openid'],
      effectiveScopes: ['openid'],
      droppedScopes: [],
      promptScopes: ['openid'],
      grantedScopes: null,
      prompt: null,
      uiLocales: null,
      returnTo: RETURN_TO,
      state: null,
      redirectUri: DEMO.redirectUri,
      status: 'pending',
      error: null,
      createdAt: t.clock.now(),
      expiresAt: new Date(t.clock.now().getTime() + 600_000),
    })
    const cookie = 'browser-cookie-value-0123456789'
    const session = { cookie: `assent_csrf=${cookie}`, csrf: await t.deps.csrf.token(id, cookie) }
    expect((await t.app.request(`/consent/${id}`)).status).toBe(404)
    expect((await answer(id, 'accept', session)).status).toBe(404)
    expect((await api('GET', '/grants')).body).toEqual([])
  })
})
