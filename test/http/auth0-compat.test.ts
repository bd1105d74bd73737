import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite))

const scopes = [
  { value: 'read:files', description: 'Read files' },
  { value: 'write:files', description: 'Write files' },
]

describe('Auth0 compatibility of the Management API (DESIGN §4)', () => {
  it('removes every scope on PATCH with "scopes": {}, as Auth0 documents', async () => {
    const created = await api('POST', '/resource-servers', { identifier: 'urn:files', scopes })
    const patched = await api('PATCH', `/resource-servers/${created.body.id}`, { scopes: {} })
    expect(patched.status).toBe(200)
    expect(patched.body.scopes).toEqual([])
    // Any other object is still refused.
    expectError(
      await api('PATCH', `/resource-servers/${created.body.id}`, { scopes: { value: 'x' } }),
      400,
      'invalid_body',
    )
  })

  it('accepts the four token dialects; the _authz ones put the permissions in the decision', async () => {
    for (const dialect of [
      'access_token',
      'access_token_authz',
      'rfc9068_profile',
      'rfc9068_profile_authz',
    ]) {
      const patched = await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
        token_dialect: dialect,
      })
      expect(patched.body.token_dialect).toBe(dialect)
      await api('POST', '/users/auth0|rfc/permissions', {
        permissions: [
          { resource_server_identifier: DEMO.audience, permission_name: 'write:messages' },
        ],
      })
      const opened = await api('POST', '/consent-requests', {
        client_id: DEMO.clientId,
        user_id: 'auth0|rfc',
        audience: DEMO.audience,
        scope: 'openid',
        redirect_uri: DEMO.redirectUri,
        return_to: 'http://localhost:3000/demo/done',
        prompt: 'none',
      })
      // prompt=none with nothing new to ask: decided at creation, readable at once.
      const decision = (await api('GET', `/consent-requests/${opened.body.id}`)).body
      if (dialect.endsWith('_authz')) expect(decision.permissions).toEqual(['write:messages'])
      else expect(decision).not.toHaveProperty('permissions')
    }
    expectError(
      await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
        token_dialect: 'jwt',
      }),
      400,
      'invalid_body',
    )
  })

  it('filters resource servers by repeated identifiers', async () => {
    await api('POST', '/resource-servers', { identifier: 'urn:a' })
    await api('POST', '/resource-servers', { identifier: 'urn:b' })
    const two = await api('GET', '/resource-servers?identifiers=urn:a&identifiers=urn:b')
    expect(two.body.map((s: { identifier: string }) => s.identifier)).toEqual(['urn:a', 'urn:b'])
    const one = await api('GET', '/resource-servers?identifiers=urn:b&include_totals=true')
    expect(one.body).toMatchObject({ total: 1, resource_servers: [{ identifier: 'urn:b' }] })
    const none = await api('GET', '/resource-servers?identifiers=urn:nothing')
    expect(none.body).toEqual([])
  })

  it('answers only the fields asked for, or all but them, on lists and by id', async () => {
    const created = await api('POST', '/resource-servers', { identifier: 'urn:f', scopes })
    const only = await api('GET', `/resource-servers/${created.body.id}?fields=identifier,name`)
    expect(only.body).toEqual({ identifier: 'urn:f', name: 'urn:f' })
    const without = await api(
      'GET',
      `/resource-servers/${created.body.id}?fields=scopes,signing_alg&include_fields=false`,
    )
    expect(without.body).not.toHaveProperty('scopes')
    expect(without.body).not.toHaveProperty('signing_alg')
    expect(without.body).toHaveProperty('identifier', 'urn:f')
    const list = await api('GET', '/resource-servers?fields=identifier&identifiers=urn:f')
    expect(list.body).toEqual([{ identifier: 'urn:f' }])
    const clients = await api('GET', '/clients?fields=client_id&include_totals=true')
    expect(clients.body.clients).toContainEqual({ client_id: DEMO.clientId })
    expect((await api('GET', `/clients/${DEMO.clientId}?fields=name`)).body).toEqual({
      name: expect.any(String),
    })
    expectError(await api('GET', '/clients?fields=a%20b'), 400, 'invalid_query_string')
  })

  it('lists a role’s users with the name and email last seen, by page and by checkpoint', async () => {
    const role = (await api('POST', '/roles', { name: 'Readers' })).body
    for (const [userId, name] of [
      ['auth0|u1', 'Una'],
      ['auth0|u2', 'Dos'],
      ['auth0|u3', 'Tres'],
    ] as const) {
      await api('POST', '/consent-requests', {
        client_id: DEMO.clientId,
        user_id: userId,
        user_name: name,
        user_email: `${name.toLowerCase()}@example.com`,
        audience: DEMO.audience,
        scope: 'openid',
        redirect_uri: DEMO.redirectUri,
        return_to: 'http://localhost:3000/demo/done',
      })
    }
    await api('POST', `/roles/${role.id}/users`, { users: ['auth0|u1', 'auth0|u2', 'auth0|u3'] })
    const all = (await api('GET', `/roles/${role.id}/users`)).body
    expect(all).toContainEqual({ user_id: 'auth0|u2', name: 'Dos', email: 'dos@example.com' })

    const seen: string[] = []
    let from: string | undefined
    for (let i = 0; i < 5; i++) {
      const page = (
        await api('GET', `/roles/${role.id}/users?take=2${from ? `&from=${from}` : ''}`)
      ).body
      seen.push(...page.users.map((u: { user_id: string }) => u.user_id))
      from = page.next
      if (!from) break
    }
    expect(seen.sort()).toEqual(['auth0|u1', 'auth0|u2', 'auth0|u3'])
  })
})
