import { compactVerify, createLocalJWKSet } from 'jose'
import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consentBrowser, csrfOf, demoRequest } from '../support/consent.js'
import { startIssuer } from '../support/jwks.js'
import { expectError, type Management, management } from '../support/management.js'
import { createTestApp, eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite))

const SAME_SITE = { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }

/** A grant as Auth0's `GET /api/v2/grants` lists it (its `id` is Auth0's). */
const auth0Grant = (userId: string, scope: string[]) => ({
  id: 'cgr_t3j3m1hPb3CVqb9n',
  clientID: DEMO.clientId,
  user_id: userId,
  audience: DEMO.audience,
  scope,
})

const ask = (userId: string, scope = 'openid profile read:messages write:messages') =>
  api('POST', '/consent-requests', demoRequest({ user_id: userId, scope }))

describe('POST /api/v2/grants: importing a consent given in Auth0 (DESIGN §4.2.1)', () => {
  it('writes the grant, so the next request for those scopes needs no prompt', async () => {
    const before = await ask('auth0|migrated')
    expect(before.body.status).toBe('pending')

    const imported = await api(
      'POST',
      '/grants',
      auth0Grant('auth0|migrated', ['openid', 'profile', 'read:messages', 'write:messages']),
    )
    expect(imported.status).toBe(201)
    expect(imported.body).toMatchObject({
      clientID: DEMO.clientId,
      user_id: 'auth0|migrated',
      audience: DEMO.audience,
      receipt_id: expect.stringMatching(/^rcp_/),
    })
    // Assent's own id: Auth0's is not kept.
    expect(imported.body.id).not.toBe('cgr_t3j3m1hPb3CVqb9n')
    expect([...imported.body.scope].sort()).toEqual([
      'openid',
      'profile',
      'read:messages',
      'write:messages',
    ])

    const after = await ask('auth0|migrated')
    expect(after.body.status).toBe('accepted')
    expect(after.body.granted_scopes).toEqual(
      expect.arrayContaining(['read:messages', 'write:messages']),
    )
    // Only what was imported: another scope still asks.
    const more = await ask('auth0|migrated', 'openid read:messages read:contacts')
    expect(more.body.status).toBe('pending')
  })

  it('writes a signed import receipt with no lines and no page', async () => {
    const imported = await api('POST', '/grants', auth0Grant('auth0|r', ['read:messages']))
    const receipt = await api('GET', `/consent-receipts/${imported.body.receipt_id}`)
    expect(receipt.status).toBe(200)
    expect(receipt.body).toMatchObject({
      action: 'import',
      source: 'auth0',
      user_id: 'auth0|r',
      client_id: DEMO.clientId,
      audience: DEMO.audience,
      granted_scopes: ['read:messages'],
      declined_scopes: [],
      lines: [],
      shown_at: null,
      answered_at: null,
    })
    const keys = await t.app.request('/.well-known/assent-receipt-keys.json')
    const verified = await compactVerify(receipt.body.jws, createLocalJWKSet(await keys.json()))
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toMatchObject({
      action: 'import',
      source: 'auth0',
      lines: [],
    })
  })

  it('is idempotent: importing what the grant holds writes nothing and answers 200', async () => {
    await api('POST', '/grants', auth0Grant('auth0|twice', ['read:messages']))
    const again = await api('POST', '/grants', auth0Grant('auth0|twice', ['read:messages']))
    expect(again.status).toBe(200)
    expect(again.body.receipt_id).toBeUndefined()
    const receipts = await api('GET', '/consent-receipts?user_id=auth0%7Ctwice')
    expect(receipts.body).toHaveLength(1)
  })

  it('never refreshes a scope the user answered here: a changed description still asks again', async () => {
    // The user accepted in Assent, then the description changed: they must be asked again.
    const browser = consentBrowser(t)
    const opened = await ask('auth0|here', 'read:messages')
    const page = await browser.visit(opened.body.id)
    await browser.redeem(await browser.answer(opened.body.id, 'accept', page))
    const server = await api('GET', `/resource-servers/${encodeURIComponent(DEMO.audience)}`)
    const scopes = server.body.scopes.map((s: { value: string; description: string }) =>
      s.value === 'read:messages' ? { ...s, description: 'Read and index your messages' } : s,
    )
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, { scopes })
    // An import of the same scope does not turn the old answer into one for the new text.
    const imported = await api('POST', '/grants', auth0Grant('auth0|here', ['read:messages']))
    expect(imported.status).toBe(200)
    expect((await ask('auth0|here', 'read:messages')).body.status).toBe('pending')
  })

  it('shows the imported app on the connected-apps page', async () => {
    await api('POST', '/grants', auth0Grant('auth0|portal', ['read:messages']))
    const link = await api('POST', '/users/auth0%7Cportal/portal-sessions', {})
    const path = new URL(link.body.url).pathname
    const linkPage = await t.app.request(path)
    const html = await linkPage.text()
    const csrf = csrfOf(html)
    const linkCookie = linkPage.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    const go = await t.app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: linkCookie,
        ...SAME_SITE,
      },
      body: new URLSearchParams({ csrf }).toString(),
    })
    const cookie = go.headers
      .getSetCookie()
      .find((c) => c.startsWith('assent_account='))
      ?.split(';')[0]
    expect(cookie).toBeDefined()
    const apps = await (
      await t.app.request('/account/apps', { headers: { cookie: cookie ?? '' } })
    ).text()
    expect(apps.match(/data-testid="connected-app"/g)).toHaveLength(1)
    expect(apps).toContain(`action="/account/apps/${DEMO.clientId}/revoke"`)
  })

  it('refuses a client or an API that does not exist, and scopes the API does not define', async () => {
    expectError(
      await api('POST', '/grants', { ...auth0Grant('u', ['read:messages']), clientID: 'nope' }),
      404,
      'inexistent_client',
    )
    expectError(
      await api('POST', '/grants', {
        ...auth0Grant('u', ['read:messages']),
        audience: 'https://tenant.auth0.com/userinfo',
      }),
      404,
      'inexistent_resource_server',
    )
    expectError(
      await api('POST', '/grants', auth0Grant('u', ['read:messages', 'delete:everything'])),
      400,
      'invalid_body',
      /delete:everything/,
    )
    // Nothing of a refused import was written.
    expect((await api('GET', '/grants?user_id=u')).body).toEqual([])
  })

  it('refuses unknown fields, an empty scope list and a missing user', async () => {
    expectError(
      await api('POST', '/grants', { ...auth0Grant('u', ['read:messages']), extra: 1 }),
      400,
      'invalid_body',
    )
    expectError(await api('POST', '/grants', auth0Grant('u', [])), 400, 'invalid_body')
    const { user_id: _, ...noUser } = auth0Grant('u', ['read:messages'])
    expectError(await api('POST', '/grants', noUser), 400, 'invalid_body')
  })

  it('says in the document that it needs create:grants', async () => {
    const op = (await api('GET', '/openapi.json')).body.paths['/grants'].post
    expect(op['x-scopes']).toEqual(['create:grants'])
  })
})

describe('who may import grants', () => {
  it('needs create:grants: a token that may read and delete grants is refused', async () => {
    const issuer = await startIssuer()
    const host = 'acme.example'
    const app = await createTestApp({
      env: {
        ASSENT_PUBLIC_URL: `https://${host}`,
        ASSENT_MGMT_JWKS_URL: issuer.jwksUrl,
        ASSENT_MGMT_ISSUER: issuer.issuer,
      },
    })
    try {
      const call = async (scope: string) =>
        management(app, {
          host,
          token: await issuer.sign({ aud: `https://${host}/api/v2/`, scope }),
        })('POST', '/grants', auth0Grant('auth0|x', ['read:messages']))
      expectError(
        await call('read:grants delete:grants'),
        403,
        'insufficient_scope',
        'Insufficient scope, expected any of: create:grants',
      )
      expect((await call('create:grants')).status).toBe(201)
    } finally {
      await app.close()
      await issuer.close()
    }
  })
})
