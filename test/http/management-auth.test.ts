import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIssuer } from '../support/jwks.js'
import { expectError, management } from '../support/management.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let issuer: Awaited<ReturnType<typeof startIssuer>>

const HOST = 'acme.example'
const OTHER = 'globex.example'
const audience = (host: string) => `https://${host}/api/v2/`

beforeAll(async () => {
  issuer = await startIssuer()
  t = await createTestApp({
    env: {
      ASSENT_PUBLIC_URL: `https://${HOST}`,
      ASSENT_MGMT_JWKS_URL: issuer.jwksUrl,
      ASSENT_MGMT_ISSUER: issuer.issuer,
    },
  })
  await t.store.tenants.create({
    id: 'globex',
    domains: [OTHER],
    settings: { friendly_name: 'Globex', flags: {} },
  })
  await t.store.resourceServers.create('globex', {
    id: 'rs_globex',
    identifier: 'https://globex.example/api',
    name: 'Globex API',
    scopes: [],
    enforcePolicies: false,
    allowOfflineAccess: false,
    skipConsentForVerifiableFirstPartyClients: false,
    tokenDialect: 'access_token',
    tokenLifetime: 3600,
    signingAlg: 'RS256',
    isSystem: false,
  })
})
afterAll(async () => {
  await t.close()
  await issuer.close()
})

const call = (token: string, host = HOST) => management(t, { token, host })

describe('who may call the Management API (DESIGN §4.3)', () => {
  it('accepts a JWT from the issuer for this tenant, within its scopes', async () => {
    const token = await issuer.sign({
      aud: audience(HOST),
      scope: 'read:resource_servers read:clients',
    })
    const list = await call(token)('GET', '/resource-servers')
    expect(list.status).toBe(200)
    expect(list.body.map((s: { identifier: string }) => s.identifier)).toEqual([
      'https://messages.demo/',
    ])
  })

  it('refuses a missing scope with 403 and Auth0’s message', async () => {
    const token = await issuer.sign({ aud: audience(HOST), scope: 'read:resource_servers' })
    const answer = await call(token)('PATCH', '/resource-servers/rs_demo_messages', { name: 'x' })
    expectError(
      answer,
      403,
      'insufficient_scope',
      'Insufficient scope, expected any of: update:resource_servers',
    )
    expect((await call(token)('GET', '/resource-servers/rs_demo_messages')).body.name).toBe(
      'Messages API',
    )
  })

  it.each([
    ['no token', async () => ''],
    ['a malformed header', async () => 'not a token at all'],
    ['a wrong static token', async () => 'x'.repeat(43)],
    [
      'an expired token',
      async () =>
        issuer.sign({
          aud: audience(HOST),
          scope: 'read:clients',
          exp: Math.floor(Date.now() / 1000) - 60,
        }),
    ],
    [
      'a token without exp',
      async () => issuer.sign({ aud: audience(HOST), scope: 'read:clients', exp: null }),
    ],
    [
      'a token issued in the future',
      async () =>
        issuer.sign({
          aud: audience(HOST),
          scope: 'read:clients',
          iat: Math.floor(Date.now() / 1000) + 600,
          exp: Math.floor(Date.now() / 1000) + 900,
        }),
    ],
    [
      'a token for another audience',
      async () => issuer.sign({ aud: 'https://api.example.com/', scope: 'read:clients' }),
    ],
    [
      'a token from another issuer',
      async () =>
        issuer.sign({ aud: audience(HOST), iss: 'https://evil.example/', scope: 'read:clients' }),
    ],
    [
      'a token signed by another key',
      async () =>
        issuer.sign({ aud: audience(HOST), scope: 'read:clients' }, await issuer.otherKey()),
    ],
    [
      'an alg:none token',
      async () => {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
        return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: issuer.issuer, aud: audience(HOST), scope: 'read:clients', exp: 4e9 })}.`
      },
    ],
    [
      'a tampered token',
      async () => {
        const [head, , sig] = (
          await issuer.sign({ aud: audience(HOST), scope: 'read:clients' })
        ).split('.')
        const body = Buffer.from(
          JSON.stringify({
            iss: issuer.issuer,
            aud: audience(HOST),
            scope: 'read:clients create:clients',
            exp: 4e9,
          }),
        ).toString('base64url')
        return `${head}.${body}.${sig}`
      },
    ],
  ])('answers 401 invalid_token to %s', async (_, make) => {
    const token = await make()
    const res = await t.app.request('/api/v2/clients', {
      headers: {
        host: HOST,
        ...(token ? { authorization: token.includes(' ') ? token : `Bearer ${token}` } : {}),
      },
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
    const body = await res.json()
    expect(body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      errorCode: 'invalid_token',
    })
  })

  it('never lets a tenant’s token reach another tenant', async () => {
    const acme = await issuer.sign({ aud: audience(HOST), scope: 'read:resource_servers' })
    expectError(await call(acme, OTHER)('GET', '/resource-servers'), 401, 'invalid_token')
    const globex = await issuer.sign({ aud: audience(OTHER), scope: 'read:resource_servers' })
    const list = await call(globex, OTHER)('GET', '/resource-servers')
    expect(list.body.map((s: { identifier: string }) => s.identifier)).toEqual([
      'https://globex.example/api',
    ])
    expectError(
      await call(globex, OTHER)('GET', '/resource-servers/rs_demo_messages'),
      404,
      'inexistent_resource_server',
    )
  })

  it('lets the static admin token act on the tenant of the host, and only on its rows', async () => {
    const globex = call(t.adminToken, OTHER)
    expect(
      (await globex('GET', '/resource-servers')).body.map((s: { id: string }) => s.id),
    ).toEqual(['rs_globex'])
    expectError(await globex('GET', '/clients/mail-helper'), 404, 'inexistent_client')
    expect((await globex('GET', '/tenants/settings')).body.friendly_name).toBe('Globex')
  })

  it('answers 404 for a host no tenant serves, once there are several tenants', async () => {
    expectError(
      await call(t.adminToken, 'nobody.example')('GET', '/resource-servers'),
      404,
      'not_found',
    )
  })
})
