import { beforeEach, describe, expect, it } from 'vitest'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite))

/**
 * A single-page app as Auth0's `GET /api/v2/clients/{id}` returns it, written from the SDK's
 * `GetClientResponseContent` and Auth0's API documentation.
 */
const AUTH0_CLIENT = {
  client_id: 'AaiyAPdpYdesoKnqjj8HJqRn4T5titww',
  tenant: 'example-tenant',
  global: false,
  client_secret: 'S3cr3t-that-must-never-be-stored-0123456789abcdefghijklmn',
  name: 'Orders SPA',
  description: 'The orders front end',
  app_type: 'spa',
  logo_uri: 'https://orders.example.com/logo.png',
  is_first_party: true,
  oidc_conformant: true,
  callbacks: ['https://orders.example.com/callback'],
  allowed_origins: ['https://orders.example.com'],
  web_origins: ['https://orders.example.com'],
  client_aliases: [],
  allowed_clients: [],
  allowed_logout_urls: ['https://orders.example.com/'],
  grant_types: ['authorization_code', 'implicit', 'refresh_token'],
  token_endpoint_auth_method: 'none',
  jwt_configuration: { lifetime_in_seconds: 36000, secret_encoded: false, alg: 'RS256' },
  signing_keys: [{ cert: '-----BEGIN CERTIFICATE-----', subject: 'deprecated' }],
  encryption_key: null,
  sso: false,
  sso_disabled: false,
  cross_origin_authentication: true,
  custom_login_page_on: true,
  client_metadata: { team: 'web', tier: 'gold' },
  initiate_login_uri: 'https://orders.example.com/login',
  refresh_token: {
    rotation_type: 'rotating',
    expiration_type: 'expiring',
    leeway: 0,
    token_lifetime: 2592000,
    infinite_token_lifetime: false,
    idle_token_lifetime: 1296000,
    infinite_idle_token_lifetime: false,
  },
  organization_usage: 'deny',
  organization_require_behavior: 'no_prompt',
  require_pushed_authorization_requests: false,
  native_social_login: { apple: { enabled: false }, facebook: { enabled: false } },
  // Auth0 still answers these (its Deploy CLI exports them); its SDK's models no longer name them.
  callback_url_template: false,
  cross_origin_auth: false,
}

/** What Auth0 only returns (or Assent never keeps): accepted on a write and ignored. */
const CLIENT_READ_ONLY = [
  'tenant',
  'global',
  'client_secret',
  'signing_keys',
  'callback_url_template',
  'cross_origin_auth',
]

const without = (object: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)))

describe('Auth0 clients, whole (DESIGN §4.2.1)', () => {
  it('takes an Auth0 client as sent, keeps every field but the secret, and GET returns them', async () => {
    const created = await api('POST', '/clients', AUTH0_CLIENT)
    expect(created.status).toBe(201)
    const read = await api('GET', `/clients/${AUTH0_CLIENT.client_id}`)
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject(without(AUTH0_CLIENT, CLIENT_READ_ONLY))
    for (const key of CLIENT_READ_ONLY) expect(read.body[key]).toBeUndefined()
    // The secret is in no table of either engine's database: dropped before the store.
    expect(
      JSON.stringify(await t.store.clients.get(t.tenant.id, AUTH0_CLIENT.client_id)),
    ).not.toMatch(/S3cr3t/)
  })

  it("takes back what GET answered, and Auth0's own answer: GET → PATCH → GET changes nothing", async () => {
    await api('POST', '/clients', AUTH0_CLIENT)
    const before = await api('GET', `/clients/${AUTH0_CLIENT.client_id}`)
    const patched = await api('PATCH', `/clients/${AUTH0_CLIENT.client_id}`, before.body)
    expect(patched.status).toBe(200)
    const again = await api('PATCH', `/clients/${AUTH0_CLIENT.client_id}`, AUTH0_CLIENT)
    expect(again.status).toBe(200)
    const after = await api('GET', `/clients/${AUTH0_CLIENT.client_id}`)
    expect(after.body).toEqual(before.body)
  })

  it('acts on the fields it uses, and a PATCH replaces a kept field and leaves the others', async () => {
    await api('POST', '/clients', AUTH0_CLIENT)
    const patched = await api('PATCH', `/clients/${AUTH0_CLIENT.client_id}`, {
      name: 'Orders',
      refresh_token: null,
      client_metadata: { team: 'shop' },
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({
      name: 'Orders',
      is_first_party: true,
      refresh_token: null,
      client_metadata: { team: 'shop' },
      grant_types: AUTH0_CLIENT.grant_types,
    })
    const client = await t.store.clients.get(t.tenant.id, AUTH0_CLIENT.client_id)
    expect(client).toMatchObject({ name: 'Orders', isFirstParty: true, appType: 'spa' })
  })

  it('takes every app_type Auth0 has', async () => {
    for (const app_type of [
      'native',
      'regular_web',
      'non_interactive',
      'sso_integration',
      'zoom',
    ]) {
      const res = await api('POST', '/clients', { name: app_type, app_type })
      expect(res.status).toBe(201)
      expect(res.body.app_type).toBe(app_type)
    }
    expectError(
      await api('POST', '/clients', { name: 'x', app_type: 'fridge' }),
      400,
      'invalid_body',
      /app_type/,
    )
  })

  it('checks the type of a kept field, and still refuses a field of no model', async () => {
    expectError(
      await api('POST', '/clients', { ...AUTH0_CLIENT, grant_types: 'implicit' }),
      400,
      'invalid_body',
      /grant_types/,
    )
    expectError(
      await api('POST', '/clients', { ...AUTH0_CLIENT, token_endpoint_auth_method: 'magic' }),
      400,
      'invalid_body',
      /token_endpoint_auth_method/,
    )
    expectError(
      await api('POST', '/clients', { ...AUTH0_CLIENT, favourite_colour: 'blue' }),
      400,
      'invalid_body',
      "Payload validation error: 'Additional properties not allowed: favourite_colour'.",
    )
    await api('POST', '/clients', AUTH0_CLIENT)
    expectError(
      await api('PATCH', `/clients/${AUTH0_CLIENT.client_id}`, { favourite_colour: 'blue' }),
      400,
      'invalid_body',
      /Additional properties not allowed: favourite_colour/,
    )
  })

  it('refuses a change of is_dynamic on a PATCH but takes back the value GET answered', async () => {
    const made = await api('POST', '/clients', { name: 'Self', is_dynamic: true })
    const id = made.body.client_id
    const read = await api('GET', `/clients/${id}`)
    expect((await api('PATCH', `/clients/${id}`, read.body)).status).toBe(200)
    expectError(
      await api('PATCH', `/clients/${id}`, { is_dynamic: false }),
      400,
      'invalid_body',
      /is_dynamic cannot be changed/,
    )
  })
})

describe('kept values nested too deep (DESIGN §4.1: never a 500 for bad input)', () => {
  // Deep enough that serializing it would overflow the stack.
  const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`

  it('are refused with 400 naming the field, for every model that keeps fields', async () => {
    for (const [method, path, body, field] of [
      ['POST', '/clients', `{"name":"x","client_metadata":{"a":${deep}}}`, 'client_metadata'],
      ['POST', '/clients', `{"name":"x","grant_types":${deep}}`, 'grant_types'],
      [
        'POST',
        '/resource-servers',
        `{"identifier":"urn:deep","proof_of_possession":{"a":${deep}}}`,
        'proof_of_possession',
      ],
      ['PATCH', '/tenants/settings', `{"session_cookie":{"a":${deep}}}`, 'session_cookie'],
    ] as const)
      expectError(await api(method, path, body), 400, 'invalid_body', new RegExp(field))
    // Auth0's real objects nest a few levels: kept as sent.
    const nested = { a: { b: { c: { d: [{ e: [1, 2, { f: true }] }] } } } }
    const made = await api('POST', '/clients', { name: 'Nested', client_metadata: nested })
    expect(made.status).toBe(201)
    expect(made.body.client_metadata).toEqual(nested)
  })
})

describe('GET /clients filters (DESIGN §4.2.1)', () => {
  const names = async (query: string) => {
    const res = await api('GET', `/clients?${query}`)
    expect(res.status).toBe(200)
    return (res.body as { name: string }[]).map((client) => client.name).sort()
  }

  beforeEach(async () => {
    for (const client of [
      { client_id: 'spa-one', name: 'Shop SPA', app_type: 'spa', is_first_party: true },
      { client_id: 'native-two', name: 'Shop App', app_type: 'native', is_first_party: false },
      { client_id: 'm2m-three', name: 'Billing Job', app_type: 'non_interactive' },
    ])
      expect((await api('POST', '/clients', client)).status).toBe(201)
  })

  it('filters by is_first_party, app_type (a comma list), is_global and q', async () => {
    const all = await names('')
    expect(await names('is_first_party=true')).toEqual(['Shop SPA'])
    expect(await names('is_first_party=false')).toEqual(all.filter((name) => name !== 'Shop SPA'))
    expect(await names('app_type=spa,native')).toEqual(['Shop App', 'Shop SPA'])
    expect(await names('app_type=non_interactive')).toEqual(['Billing Job'])
    expect(await names('is_global=true')).toEqual([])
    expect(await names('is_global=false')).toEqual(all)
    expect(await names('q=shop')).toEqual(['Shop App', 'Shop SPA'])
    expect(await names('q=M2M')).toEqual(['Billing Job'])
    // A LIKE wildcard in q is a character, not a pattern.
    expect(await names('q=%25')).toEqual([])
    expect(await names('q=shop&app_type=native&include_totals=false')).toEqual(['Shop App'])
    const totals = await api('GET', '/clients?q=shop&include_totals=true')
    expect(totals.body.total).toBe(2)
  })

  it('refuses a filter value Auth0 would refuse', async () => {
    expectError(await api('GET', '/clients?app_type=fridge'), 400, 'invalid_query_string')
    expectError(await api('GET', '/clients?is_first_party=yes'), 400, 'invalid_query_string')
  })
})

/** A role as Auth0's `GET /api/v2/roles/{id}` returns it (SDK's `GetRoleResponseContent`). */
const AUTH0_ROLE = {
  id: 'rol_0Vq0TUJN8mSjPzVh',
  name: 'Order admin',
  description: 'Manages every order',
}

describe('Auth0 roles, whole (DESIGN §4.2.1)', () => {
  it("keeps Auth0's role id, and GET → PATCH → GET changes nothing", async () => {
    const created = await api('POST', '/roles', AUTH0_ROLE)
    expect(created.status).toBe(200)
    expect(created.body).toEqual(AUTH0_ROLE)
    const before = await api('GET', `/roles/${AUTH0_ROLE.id}`)
    expect(before.body).toEqual(AUTH0_ROLE)
    expect((await api('PATCH', `/roles/${AUTH0_ROLE.id}`, before.body)).status).toBe(200)
    expect((await api('GET', `/roles/${AUTH0_ROLE.id}`)).body).toEqual(before.body)
  })

  it('keeps the role type Auth0 sends, and refuses a field of no model', async () => {
    const created = await api('POST', '/roles', { ...AUTH0_ROLE, type: 'tenant' })
    expect(created.body.type).toBe('tenant')
    expect((await api('GET', `/roles/${AUTH0_ROLE.id}`)).body.type).toBe('tenant')
    expectError(
      await api('POST', '/roles', { name: 'x', favourite_colour: 'blue' }),
      400,
      'invalid_body',
      /Additional properties not allowed: favourite_colour/,
    )
  })

  it('keeps only an id shaped as Auth0 makes them, and answers 409 for one taken', async () => {
    for (const id of ['rol_short', 'role_0Vq0TUJN8mSjPzVh', 'rol_0Vq0TUJN8mSjPzV!', '../x'])
      expectError(await api('POST', '/roles', { ...AUTH0_ROLE, id }), 400, 'invalid_body', /id/)
    expect((await api('POST', '/roles', AUTH0_ROLE)).status).toBe(200)
    expectError(
      await api('POST', '/roles', { ...AUTH0_ROLE, name: 'Another name' }),
      409,
      'conflict',
    )
  })
})

/**
 * Tenant settings as Auth0's `GET /api/v2/tenants/settings` returns them, written from the SDK's
 * `GetTenantSettingsResponseContent` and Auth0's API documentation.
 */
const AUTH0_SETTINGS = {
  friendly_name: 'Orders Inc.',
  picture_url: 'https://orders.example.com/logo.png',
  support_email: 'support@orders.example.com',
  support_url: 'https://orders.example.com/support',
  allowed_logout_urls: ['https://orders.example.com/'],
  session_lifetime: 168,
  idle_session_lifetime: 72,
  default_audience: 'https://orders.example.com/',
  default_directory: 'Username-Password-Authentication',
  enabled_locales: ['en', 'fr'],
  flags: { enable_client_connections: false, revoke_refresh_token_grant: false },
  error_page: null,
  sandbox_version: '18',
  sandbox_versions_available: ['18', '22'],
  session_cookie: { mode: 'persistent' },
  oidc_logout: { rp_logout_end_session_endpoint_discovery: true },
  pushed_authorization_requests_supported: false,
}

describe('Auth0 tenant settings, whole (DESIGN §4.2.1)', () => {
  it('takes Auth0 settings as sent, keeps the others, acts on its own', async () => {
    const patched = await api('PATCH', '/tenants/settings', AUTH0_SETTINGS)
    expect(patched.status).toBe(200)
    const read = await api('GET', '/tenants/settings')
    expect(read.body).toMatchObject(
      without(AUTH0_SETTINGS, ['sandbox_versions_available', 'flags']),
    )
    expect(read.body.sandbox_versions_available).toBeUndefined()
    expect(read.body.flags).toMatchObject(AUTH0_SETTINGS.flags)
    const tenant = await t.store.tenants.get(t.tenant.id)
    expect(tenant?.settings).toMatchObject({
      friendly_name: 'Orders Inc.',
      enabled_locales: ['en', 'fr'],
    })
  })

  it('GET → PATCH → GET changes nothing', async () => {
    await api('PATCH', '/tenants/settings', AUTH0_SETTINGS)
    const before = await api('GET', '/tenants/settings')
    expect((await api('PATCH', '/tenants/settings', before.body)).status).toBe(200)
    expect((await api('GET', '/tenants/settings')).body).toEqual(before.body)
  })

  it('checks the type of a kept field, null where Auth0 allows it, and refuses a field of no model', async () => {
    expectError(
      await api('PATCH', '/tenants/settings', { session_lifetime: 'a week' }),
      400,
      'invalid_body',
      /session_lifetime/,
    )
    expectError(
      await api('PATCH', '/tenants/settings', { default_audience: null }),
      400,
      'invalid_body',
      /default_audience/,
    )
    expect(
      (await api('PATCH', '/tenants/settings', { session_cookie: null })).body.session_cookie,
    ).toBeNull()
    expectError(
      await api('PATCH', '/tenants/settings', { favourite_colour: 'blue' }),
      400,
      'invalid_body',
      /Additional properties not allowed: favourite_colour/,
    )
  })

  it('GET applies fields and include_fields', async () => {
    await api('PATCH', '/tenants/settings', AUTH0_SETTINGS)
    const some = await api('GET', '/tenants/settings?fields=friendly_name,support_email')
    expect(some.body).toEqual({
      friendly_name: 'Orders Inc.',
      support_email: 'support@orders.example.com',
    })
    const rest = await api(
      'GET',
      '/tenants/settings?fields=friendly_name,support_email&include_fields=false',
    )
    expect(rest.body.friendly_name).toBeUndefined()
    expect(rest.body.support_email).toBeUndefined()
    expect(rest.body.default_audience).toBe(AUTH0_SETTINGS.default_audience)
    expectError(await api('GET', '/tenants/settings?fields=a b'), 400, 'invalid_query_string')
  })
})
