import { describe, expect, it } from 'vitest'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite))

/**
 * A resource server as Auth0's `GET /api/v2/resource-servers/{id}` returns it, written from the
 * SDK's `GetResourceServerResponseContent` and Auth0's API documentation.
 */
const AUTH0_API = {
  id: '5f3c7c2d9a1b4e0012ab34cd',
  name: 'Orders API',
  is_system: false,
  identifier: 'https://orders.example.com/',
  scopes: [
    { value: 'read:orders', description: 'Read your orders' },
    { value: 'write:orders', description: 'Place orders for you' },
  ],
  signing_alg: 'RS512',
  allow_offline_access: true,
  allow_online_access: false,
  skip_consent_for_verifiable_first_party_clients: true,
  token_lifetime: 86400,
  token_lifetime_for_web: 7200,
  token_lifetime_for_anonymous_access_tokens: null,
  enforce_policies: true,
  token_dialect: 'access_token_authz',
  token_encryption: null,
  consent_policy: 'transactional-authorization-with-mfa',
  authorization_details: [{ type: 'payment_initiation' }],
  proof_of_possession: { mechanism: 'mtls', required: true },
  subject_type_authorization: { user: { policy: 'require_client_grant' } },
  client_id: 'c9Rk2mXbQzT4yV8nL1pW3sDf6gHj0aKe',
}

/** What Auth0 only returns: accepted on a write and ignored. */
const READ_ONLY = ['is_system', 'token_lifetime_for_web', 'client_id'] as const

const withoutReadOnly = (object: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(object).filter(([key]) => !(READ_ONLY as readonly string[]).includes(key)),
  )

describe('Auth0 resource servers, whole (DESIGN §4.2.1)', () => {
  it('takes an Auth0 export as sent, keeps its id and every field, and GET returns them', async () => {
    const created = await api('POST', '/resource-servers', AUTH0_API)
    expect(created.status).toBe(201)
    expect(created.body.id).toBe(AUTH0_API.id)
    const read = await api('GET', `/resource-servers/${AUTH0_API.id}`)
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject(withoutReadOnly(AUTH0_API))
    // Read-only fields are ignored, not stored.
    expect(read.body.token_lifetime_for_web).toBeUndefined()
    expect(read.body.client_id).toBeUndefined()
    expect(read.body.is_system).toBe(false)
  })

  it('takes back what GET answered: GET → PATCH → GET changes nothing', async () => {
    await api('POST', '/resource-servers', AUTH0_API)
    const before = await api('GET', `/resource-servers/${AUTH0_API.id}`)
    const patched = await api('PATCH', `/resource-servers/${AUTH0_API.id}`, before.body)
    expect(patched.status).toBe(200)
    const after = await api('GET', `/resource-servers/${AUTH0_API.id}`)
    expect(after.body).toEqual(before.body)
    // And Auth0's own answer, read-only fields and all.
    const again = await api('PATCH', `/resource-servers/${AUTH0_API.id}`, AUTH0_API)
    expect(again.status).toBe(200)
  })

  it('PATCH replaces a kept field and leaves the others; null where Auth0 allows it', async () => {
    await api('POST', '/resource-servers', AUTH0_API)
    const patched = await api('PATCH', `/resource-servers/${AUTH0_API.id}`, {
      consent_policy: null,
      proof_of_possession: null,
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({
      consent_policy: null,
      proof_of_possession: null,
      authorization_details: AUTH0_API.authorization_details,
      signing_alg: 'RS512',
    })
  })

  it('acts on the fields it uses: the dialect and the scopes of an import count', async () => {
    await api('POST', '/resource-servers', AUTH0_API)
    const read = await api('GET', `/resource-servers/${encodeURIComponent(AUTH0_API.identifier)}`)
    expect(read.body.token_dialect).toBe('access_token_authz')
    expect(read.body.scopes.map((s: { value: string }) => s.value)).toEqual([
      'read:orders',
      'write:orders',
    ])
  })

  it('checks the type of a kept field, and still refuses a field of no model', async () => {
    expectError(
      await api('POST', '/resource-servers', { ...AUTH0_API, consent_policy: 'always' }),
      400,
      'invalid_body',
      /consent_policy/,
    )
    expectError(
      await api('POST', '/resource-servers', { ...AUTH0_API, allow_online_access: 'yes' }),
      400,
      'invalid_body',
      /allow_online_access/,
    )
    expectError(
      await api('POST', '/resource-servers', { ...AUTH0_API, favourite_colour: 'blue' }),
      400,
      'invalid_body',
      "Payload validation error: 'Additional properties not allowed: favourite_colour'.",
    )
    expectError(
      await api('PATCH', '/resource-servers/rs_demo_messages', { favourite_colour: 'blue' }),
      400,
      'invalid_body',
      /Additional properties not allowed: favourite_colour/,
    )
  })

  it('keeps only an id shaped as Auth0 makes them, and answers 409 for one taken', async () => {
    expectError(
      await api('POST', '/resource-servers', { ...AUTH0_API, id: 'rs_demo_messages' }),
      400,
      'invalid_body',
      /id/,
    )
    expect((await api('POST', '/resource-servers', AUTH0_API)).status).toBe(201)
    expectError(
      await api('POST', '/resource-servers', { ...AUTH0_API, identifier: 'https://other/' }),
      409,
      'conflict',
    )
  })

  it('takes every signing_alg Auth0 has', async () => {
    for (const [i, alg] of ['HS256', 'RS256', 'RS512', 'PS256'].entries()) {
      const res = await api('POST', '/resource-servers', {
        identifier: `https://alg-${i}.example/`,
        signing_alg: alg,
      })
      expect(res.status).toBe(201)
      expect(res.body.signing_alg).toBe(alg)
    }
  })
})
