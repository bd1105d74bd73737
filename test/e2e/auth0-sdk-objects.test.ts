/**
 * Auth0's objects whole (DESIGN §4.2.1), through the official `auth0` SDK's ManagementClient: a
 * team moving from Auth0 points its scripts at Assent, with the bodies it sent to Auth0.
 */
import { ManagementClient } from 'auth0'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, servePublicly } from '../support/serve.js'

let auth0: ManagementClient
let stop: (() => Promise<void>) | undefined

beforeAll(async () => {
  const port = await freePort()
  const served = await servePublicly({ port })
  stop = served.close
  auth0 = new ManagementClient({
    domain: `127.0.0.1:${port}`,
    token: served.t.adminToken,
    maxRetries: 0,
    // The SDK always speaks https to its domain; the test server is plain http on loopback.
    fetch: (input, init) => fetch(String(input).replace(/^https:/, 'http:'), init),
  })
})
afterAll(() => stop?.())

describe('the auth0 SDK with Auth0-shaped bodies', () => {
  it('resource servers: every field of a typical API, read back and updated with what was read', async () => {
    const created = await auth0.resourceServers.create({
      name: 'Payments API',
      identifier: 'https://payments.example.com/',
      signing_alg: 'PS256',
      allow_offline_access: true,
      token_lifetime: 3600,
      allow_online_access: true,
      skip_consent_for_verifiable_first_party_clients: false,
      enforce_policies: true,
      token_dialect: 'access_token_authz',
      consent_policy: 'transactional-authorization-with-mfa',
      proof_of_possession: { mechanism: 'dpop', required: true },
      scopes: [{ value: 'pay', description: 'Make payments' }],
    })
    expect(created).toMatchObject({
      signing_alg: 'PS256',
      allow_online_access: true,
      proof_of_possession: { mechanism: 'dpop', required: true },
    })
    const id = created.id ?? ''
    const read = await auth0.resourceServers.get(id)
    // GET → PATCH of the very object: Auth0's read-only fields (id, is_system) come back too.
    const updated = await auth0.resourceServers.update(id, read as never)
    expect(updated).toEqual(read)
    expect((await auth0.resourceServers.update(id, { consent_policy: null })).consent_policy).toBe(
      null,
    )
  })

  it('clients: a typical SPA, listed by Auth0 filters, read and updated back', async () => {
    const spa = await auth0.clients.create({
      name: 'Payments SPA',
      app_type: 'spa',
      description: 'Pays',
      callbacks: ['https://pay.example.com/callback'],
      allowed_logout_urls: ['https://pay.example.com/'],
      web_origins: ['https://pay.example.com'],
      allowed_origins: ['https://pay.example.com'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
      oidc_conformant: true,
      is_first_party: true,
      jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000 },
      refresh_token: {
        rotation_type: 'rotating',
        expiration_type: 'expiring',
        token_lifetime: 2592000,
      },
      client_metadata: { team: 'payments' },
    })
    const clientId = spa.client_id ?? ''
    expect(spa).toMatchObject({
      app_type: 'spa',
      grant_types: ['authorization_code', 'refresh_token'],
    })
    await auth0.clients.create({ name: 'Payments worker', app_type: 'non_interactive' })
    await auth0.clients.create({ name: 'Okta OIN', app_type: 'sso_integration' })

    const names = async (query: Parameters<typeof auth0.clients.list>[0]) =>
      (await auth0.clients.list(query)).data.map((client) => client.name).sort()
    expect(await names({ q: 'payments' })).toEqual(['Payments SPA', 'Payments worker'])
    expect(await names({ app_type: 'spa,non_interactive', q: 'pay' })).toEqual([
      'Payments SPA',
      'Payments worker',
    ])
    expect(await names({ is_first_party: true, q: 'pay' })).toEqual(['Payments SPA'])
    expect(await names({ is_global: true })).toEqual([])

    const read = await auth0.clients.get(clientId)
    const updated = await auth0.clients.update(clientId, read as never)
    expect(updated).toEqual(read)
    const patched = await auth0.clients.update(clientId, {
      client_metadata: { team: 'checkout' },
      refresh_token: null,
    })
    expect(patched).toMatchObject({ client_metadata: { team: 'checkout' }, refresh_token: null })
  })

  it("roles: Auth0's id kept, read and updated back", async () => {
    // The SDK's create body has no id; a migration script sends the exported one alongside.
    const body = { id: 'rol_Pay0Admin1Role2X', name: 'Payments admin', description: 'Pays' }
    const created = await auth0.roles.create(body as never)
    expect(created).toMatchObject(body)
    const read = await auth0.roles.get(body.id)
    expect(await auth0.roles.update(body.id, read as never)).toEqual(read)
    expect((await auth0.roles.update(body.id, { description: 'Pays out' })).description).toBe(
      'Pays out',
    )
  })

  it('tenant settings: Auth0 settings kept, fields applied, read and updated back', async () => {
    const updated = await auth0.tenants.settings.update({
      friendly_name: 'Payments Inc.',
      support_email: 'help@pay.example.com',
      session_lifetime: 168,
      idle_session_lifetime: 72,
      default_audience: 'https://payments.example.com/',
      sandbox_version: '18',
      flags: { enable_client_connections: false },
      session_cookie: { mode: 'persistent' },
    })
    expect(updated).toMatchObject({ support_email: 'help@pay.example.com', session_lifetime: 168 })
    const some = await auth0.tenants.settings.get({ fields: 'support_email,session_lifetime' })
    expect(some).toEqual({ support_email: 'help@pay.example.com', session_lifetime: 168 })
    const read = await auth0.tenants.settings.get()
    expect(await auth0.tenants.settings.update(read as never)).toEqual(read)
  })
})
