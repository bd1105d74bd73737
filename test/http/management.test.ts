import { describe, expect, it } from 'vitest'

import { DEMO } from '../../src/services/demo.js'
import { expectError, type Management } from '../support/management.js'
import { listen } from '../support/serve.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite))

const messages = DEMO.audience
const perm = (name: string) => ({ resource_server_identifier: messages, permission_name: name })

describe('tenant settings', () => {
  it('reads the settings with every flag', async () => {
    const settings = await api('GET', '/tenants/settings')
    expect(settings.status).toBe(200)
    expect(settings.body).toMatchObject({
      friendly_name: 'Acme',
      default_locale: 'en',
      flags: { use_scope_descriptions_for_consent: false },
    })
    expect(settings.body.enabled_locales).toEqual(
      expect.arrayContaining(['en', 'fr', 'ar', 'pt-BR']),
    )
  })

  it('merges flags and branding instead of replacing them', async () => {
    await api('PATCH', '/tenants/settings', { flags: { other_flag: true } })
    const patched = await api('PATCH', '/tenants/settings', {
      flags: { use_scope_descriptions_for_consent: true },
      branding: { primary_color: '#0e7490' },
    })
    expect(patched.status).toBe(200)
    // Every flag Assent knows, at its value or default (src/consent/flags.ts), and the others kept.
    expect(patched.body.flags).toEqual({
      use_scope_descriptions_for_consent: true,
      enable_granular_consent: false,
      other_flag: true,
    })
    expect(patched.body.branding).toEqual({
      logo_url: 'http://localhost:3000/assets/acme.svg',
      primary_color: '#0e7490',
    })
    expect((await api('GET', '/tenants/settings')).body).toEqual(patched.body)
  })

  it.each([
    [{ default_locale: 'xx' }, /default_locale/],
    [{ enabled_locales: [] }, /enabled_locales/],
    [
      { enabled_locales: ['fr'], default_locale: 'en' },
      /default_locale must be one of enabled_locales/,
    ],
    [{ flags: { use_scope_descriptions_for_consent: 'yes' } }, /flags/],
    [{ branding: { primary_color: 'red' } }, /primary_color/],
    [{ friendly_name: '<script>' }, /friendly_name/],
    [{ picture_url: 'javascript:alert(1)' }, /picture_url/],
    [{ sandbox_flavour: '12' }, /Additional properties not allowed: sandbox_flavour/],
  ])('refuses %j', async (body, message) => {
    const before = (await api('GET', '/tenants/settings')).body
    expectError(await api('PATCH', '/tenants/settings', body), 400, 'invalid_body', message)
    expect((await api('GET', '/tenants/settings')).body).toEqual(before)
  })
})

describe('clients', () => {
  it('creates with a generated or a given client_id, reads, updates, lists and deletes', async () => {
    const generated = await api('POST', '/clients', { name: 'Mobile', is_first_party: true })
    expect(generated.status).toBe(201)
    expect(generated.body).toEqual({
      client_id: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      name: 'Mobile',
      description: '',
      is_first_party: true,
      callbacks: [],
    })
    const given = await api('POST', '/clients', {
      client_id: 'web-app',
      name: 'Web',
      logo_uri: 'https://web.example/logo.png',
      callbacks: ['https://web.example/cb'],
      app_type: 'regular_web',
    })
    expect(given.body).toMatchObject({
      client_id: 'web-app',
      logo_uri: 'https://web.example/logo.png',
      app_type: 'regular_web',
    })
    expectError(
      await api('POST', '/clients', { client_id: 'web-app', name: 'Again' }),
      409,
      'conflict',
    )

    const updated = await api('PATCH', '/clients/web-app', { name: 'Web App', logo_uri: '' })
    expect(updated.body).toEqual({
      client_id: 'web-app',
      name: 'Web App',
      description: '',
      is_first_party: false,
      callbacks: ['https://web.example/cb'],
      app_type: 'regular_web',
    })
    const list = await api('GET', '/clients?include_totals=true')
    expect(list.body.total).toBe(3)
    expect(list.body.clients.map((c: { client_id: string }) => c.client_id)).toContain('web-app')

    expect((await api('DELETE', '/clients/web-app')).status).toBe(204)
    expectError(await api('GET', '/clients/web-app'), 404, 'inexistent_client')
    expectError(await api('PATCH', '/clients/web-app', { name: 'x' }), 404, 'inexistent_client')
  })

  it.each([
    [{}, /Missing required property: name/],
    [{ name: 'x', logo_uri: 'ftp://x/logo.png' }, /logo_uri/],
    [{ name: 'x', callbacks: ['not a url'] }, /callbacks\[0\]/],
    [{ name: 'x', client_id: 'has space' }, /client_id/],
    [{ name: 'x', client_flavour: 's' }, /client_flavour/],
  ])('refuses %j', async (body, message) => {
    expectError(await api('POST', '/clients', body), 400, 'invalid_body', message)
  })
})

describe('roles and permissions (RBAC)', () => {
  it('lists a user’s permissions with their sources, direct and through roles', async () => {
    const reader = await api('POST', '/roles', { name: 'Reader', description: 'Reads messages' })
    expect(reader.status).toBe(200)
    expect(reader.body).toEqual({
      id: expect.stringMatching(/^rol_[A-Za-z0-9]{16}$/),
      name: 'Reader',
      description: 'Reads messages',
    })
    const roleId = reader.body.id

    expect(
      (
        await api('POST', `/roles/${roleId}/permissions`, {
          permissions: [perm('read:messages'), perm('read:contacts')],
        })
      ).status,
    ).toBe(201)
    expect((await api('POST', `/roles/${roleId}/users`, { users: ['auth0|ana'] })).status).toBe(200)
    expect(
      (
        await api('POST', '/users/auth0%7Cana/permissions', {
          permissions: [perm('read:messages'), perm('write:messages')],
        })
      ).status,
    ).toBe(201)

    const permissions = await api('GET', '/users/auth0%7Cana/permissions')
    expect(permissions.status).toBe(200)
    expect(permissions.body).toEqual([
      {
        permission_name: 'read:contacts',
        description: 'See your contacts',
        resource_server_name: 'Messages API',
        resource_server_identifier: messages,
        sources: [{ source_id: roleId, source_name: 'Reader', source_type: 'ROLE' }],
      },
      {
        permission_name: 'read:messages',
        description: 'Read your messages',
        resource_server_name: 'Messages API',
        resource_server_identifier: messages,
        sources: [
          { source_id: '', source_name: '', source_type: 'DIRECT' },
          { source_id: roleId, source_name: 'Reader', source_type: 'ROLE' },
        ],
      },
      {
        permission_name: 'write:messages',
        description: 'Send messages as you',
        resource_server_name: 'Messages API',
        resource_server_identifier: messages,
        sources: [{ source_id: '', source_name: '', source_type: 'DIRECT' }],
      },
    ])
    const paged = await api(
      'GET',
      '/users/auth0%7Cana/permissions?per_page=2&page=1&include_totals=true',
    )
    expect(paged.body).toMatchObject({ start: 2, limit: 2, total: 3 })
    expect(paged.body.permissions).toHaveLength(1)

    // Taking the direct permission leaves the one through the role.
    expect(
      (
        await api('DELETE', '/users/auth0%7Cana/permissions', {
          permissions: [perm('read:messages')],
        })
      ).status,
    ).toBe(204)
    const after = await api('GET', '/users/auth0%7Cana/permissions')
    expect(
      after.body.find((p: { permission_name: string }) => p.permission_name === 'read:messages')
        .sources,
    ).toEqual([{ source_id: roleId, source_name: 'Reader', source_type: 'ROLE' }])

    expect((await api('GET', '/users/auth0%7Cana/roles')).body).toEqual([reader.body])
    expect((await api('GET', `/roles/${roleId}/users`)).body).toEqual([{ user_id: 'auth0|ana' }])
    expect(
      (await api('GET', `/roles/${roleId}/permissions`)).body.map(
        (p: { permission_name: string }) => p.permission_name,
      ),
    ).toEqual(['read:contacts', 'read:messages'])

    // Removing the user from the role takes the role's permissions away.
    expect((await api('DELETE', '/users/auth0%7Cana/roles', { roles: [roleId] })).status).toBe(204)
    expect(
      (await api('GET', '/users/auth0%7Cana/permissions')).body.map(
        (p: { permission_name: string }) => p.permission_name,
      ),
    ).toEqual(['write:messages'])
  })

  it('assigns roles from the user’s side, and deleting a role takes its permissions away', async () => {
    const role = (await api('POST', '/roles', { name: 'Writer' })).body
    await api('POST', `/roles/${role.id}/permissions`, { permissions: [perm('write:messages')] })
    expect((await api('POST', '/users/u2/roles', { roles: [role.id] })).status).toBe(204)
    expect((await api('GET', '/users/u2/permissions')).body).toHaveLength(1)
    expect((await api('DELETE', `/roles/${role.id}`)).status).toBe(200)
    expect((await api('GET', '/users/u2/permissions')).body).toEqual([])
    expectError(await api('GET', `/roles/${role.id}`), 404, 'inexistent_role')
  })

  it('updates, filters and refuses duplicate role names', async () => {
    await api('POST', '/roles', { name: 'Reader' })
    const writer = (await api('POST', '/roles', { name: 'Writer' })).body
    expectError(await api('POST', '/roles', { name: 'Reader' }), 409, 'conflict')
    expectError(await api('PATCH', `/roles/${writer.id}`, { name: 'Reader' }), 409, 'conflict')
    expect((await api('PATCH', `/roles/${writer.id}`, { description: 'Writes' })).body).toEqual({
      ...writer,
      description: 'Writes',
    })
    expect(
      (await api('GET', '/roles?name_filter=rit')).body.map((r: { name: string }) => r.name),
    ).toEqual(['Writer'])
    expect((await api('GET', '/roles?name_filter=%25')).body).toEqual([])
  })

  it('refuses permissions the API does not define, APIs that do not exist, and roles that do not exist', async () => {
    expectError(
      await api('POST', '/users/u1/permissions', { permissions: [perm('delete:everything')] }),
      400,
      'invalid_body',
      /not defined/,
    )
    expectError(
      await api('POST', '/users/u1/permissions', {
        permissions: [{ resource_server_identifier: 'https://nope/', permission_name: 'x' }],
      }),
      404,
      'inexistent_resource_server',
    )
    expectError(
      await api('POST', '/users/u1/roles', { roles: ['rol_nope'] }),
      404,
      'inexistent_role',
    )
    expectError(
      await api('POST', '/roles/rol_nope/permissions', { permissions: [perm('read:messages')] }),
      404,
      'inexistent_role',
    )
    expectError(
      await api('POST', '/users/u1/permissions', { permissions: [] }),
      400,
      'invalid_body',
    )
    expect((await api('GET', '/users/u1/permissions')).body).toEqual([])
  })
})

describe('grants', () => {
  it('lists with filters, deletes one, deletes all of a user', async () => {
    const a = await t.store.grants.merge(t.tenant.id, 'ana', 'mail-helper', messages, [
      'openid',
      'read:messages',
    ])
    await t.store.grants.merge(t.tenant.id, 'ana', 'other', messages, ['openid'])
    await t.store.grants.merge(t.tenant.id, 'bob', 'mail-helper', messages, ['openid'])
    const merged = await t.store.grants.merge(t.tenant.id, 'ana', 'mail-helper', messages, [
      'read:messages',
      'write:messages',
    ])
    expect(merged.id).toBe(a.id)

    const list = await api('GET', '/grants?user_id=ana&client_id=mail-helper')
    expect(list.body).toEqual([
      {
        id: a.id,
        clientID: 'mail-helper',
        user_id: 'ana',
        audience: messages,
        scope: ['openid', 'read:messages', 'write:messages'],
      },
    ])
    expect((await api('GET', '/grants?include_totals=true')).body).toMatchObject({
      total: 3,
      start: 0,
      limit: 50,
    })
    expect(
      (await api('GET', `/grants?audience=${encodeURIComponent('https://none/')}`)).body,
    ).toEqual([])

    expect((await api('DELETE', `/grants/${a.id}`)).status).toBe(204)
    expectError(await api('DELETE', `/grants/${a.id}`), 404, 'inexistent_grant')
    expect((await api('DELETE', '/grants?user_id=ana')).status).toBe(204)
    expect((await api('GET', '/grants')).body.map((g: { user_id: string }) => g.user_id)).toEqual([
      'bob',
    ])
    expectError(await api('DELETE', '/grants'), 400, 'invalid_query_string', /user_id/)
  })
})

describe('errors of every kind (DESIGN §4.1)', () => {
  it('answers 413 over 1 MiB and writes nothing', async () => {
    const big = {
      identifier: 'urn:big',
      scopes: [{ value: 'a:b', description: 'x'.repeat(1_100_000) }],
    }
    expectError(await api('POST', '/resource-servers', big), 413, 'payload_too_large', /1 MiB/)
    expectError(await api('GET', '/resource-servers/urn%3Abig'), 404, 'inexistent_resource_server')
  })

  it('answers 413 over 1 MiB through a socket too, whether the length is declared or streamed', async () => {
    const server = await listen(t.app)
    try {
      const big = JSON.stringify({
        identifier: 'urn:big',
        scopes: [{ value: 'a:b', description: 'x'.repeat(1_100_000) }],
      })
      const post = (body: BodyInit, extra: Record<string, unknown> = {}) =>
        fetch(`${server.url}/api/v2/resource-servers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
          body,
          ...extra,
        })
      const declared = await post(big)
      expect(declared.status).toBe(413)
      expect((await declared.json()).errorCode).toBe('payload_too_large')
      const chunks = new TextEncoder().encode(big)
      const streamed = await post(
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < chunks.length; i += 65_536)
              controller.enqueue(chunks.subarray(i, i + 65_536))
            controller.close()
          },
        }),
        { duplex: 'half' },
      )
      expect(streamed.status).toBe(413)
      expect((await streamed.json()).errorCode).toBe('payload_too_large')
      const small = await post(JSON.stringify({ identifier: 'urn:small' }))
      expect(small.status).toBe(201)
      expect(small.headers.get('cache-control')).toBe('no-store')
    } finally {
      await server.close()
    }
  })

  it('takes a ~900 KiB body: an API with 1000 scopes described in three languages', async () => {
    const text = (scope: number, lang: string) =>
      `${lang} ${scope} `.padEnd(290, 'Lets the app read and manage this part of your account. ')
    const scopes = Array.from({ length: 1000 }, (_, i) => ({
      value: `scope:${i}`,
      description: text(i, 'en'),
      descriptions: { fr: text(i, 'fr'), de: text(i, 'de') },
    }))
    const body = JSON.stringify({ identifier: 'urn:large', scopes })
    expect(body.length).toBeGreaterThan(850 * 1024)
    expect(body.length).toBeLessThan(1024 * 1024)

    const created = await api('POST', '/resource-servers', body)
    expect(created.status).toBe(201)
    const read = await api('GET', '/resource-servers/urn%3Alarge')
    expect(read.body.scopes).toHaveLength(1000)
    expect(read.body.scopes[999]).toEqual(scopes[999])
  })

  it('answers 400 for bad JSON, no body and a wrong content type', async () => {
    expectError(
      await api('POST', '/resource-servers', '{"identifier":'),
      400,
      'invalid_body',
      /Invalid JSON/,
    )
    expectError(await api('POST', '/resource-servers', ''), 400, 'invalid_body')
    expectError(await api('POST', '/resource-servers', '[]'), 400, 'invalid_body')
    expectError(
      await api('POST', '/resource-servers', 'identifier=x', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      400,
      'invalid_body',
      /Content-Type/,
    )
  })

  it('answers 404 in the error format for unknown paths', async () => {
    expectError(await api('GET', '/nothing-here'), 404, 'not_found')
  })
})

describe('names shown to people refuse bidi controls and other format characters (DESIGN §6)', () => {
  /** Invisible characters that would reorder or hide what a prompt shows. */
  const HIDDEN = [
    ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e], // embeddings, pop, overrides
    ...[0x2066, 0x2067, 0x2068, 0x2069], // isolates
    ...[0x200e, 0x200f, 0x061c], // LRM, RLM, ALM
    ...[0x00ad, 0x2060, 0xfeff, 0xe0041, 0x2029], // soft hyphen, word joiner, BOM, a tag, PS
  ].map((code) => [`U+${code.toString(16).toUpperCase().padStart(4, '0')}`, code] as const)

  const consentRequest = (fields: Record<string, string>) => ({
    client_id: DEMO.clientId,
    user_id: 'auth0|spoof',
    scope: 'openid',
    redirect_uri: DEMO.redirectUri,
    return_to: 'http://localhost:3000/demo/done',
    ...fields,
  })

  it.each(HIDDEN)('refuses %s in every name, on create and on update', async (label, code) => {
    const char = String.fromCodePoint(code)
    // In the middle, where trimming cannot take it away: "Pay\u202Elapyap".
    const name = `Pay${char}lapyap`
    const role = (await api('POST', '/roles', { name: 'Reader' })).body
    const apiPath = `/resource-servers/${encodeURIComponent(messages)}`
    const before = await Promise.all(
      ['/tenants/settings', '/clients/mail-helper', apiPath, `/roles/${role.id}`].map(
        async (path) => (await api('GET', path)).body,
      ),
    )
    const named = new RegExp(`'must not contain ${label.replace('+', '\\+')}: `)
    const cases: [Promise<Awaited<ReturnType<typeof api>>>, string][] = [
      [api('POST', '/clients', { name }), 'name'],
      [api('PATCH', '/clients/mail-helper', { name }), 'name'],
      [api('POST', '/resource-servers', { identifier: 'urn:spoof', name }), 'name'],
      [api('PATCH', apiPath, { name }), 'name'],
      [api('PATCH', apiPath, { scopes: [{ value: `read:${name}` }] }), 'scopes[0].value'],
      [api('POST', '/roles', { name }), 'name'],
      [api('PATCH', `/roles/${role.id}`, { name }), 'name'],
      [api('PATCH', '/tenants/settings', { friendly_name: name }), 'friendly_name'],
      [api('POST', '/consent-requests', consentRequest({ user_name: name })), 'user_name'],
      [
        api('POST', '/consent-requests', consentRequest({ user_email: `a${char}@example.com` })),
        'user_email',
      ],
    ]
    for (const [answer, field] of cases) {
      const refused = await answer
      expectError(refused, 400, 'invalid_body', `' on property ${field}.`)
      // A scope value refuses whitespace first (RFC 6749 §3.3), U+FEFF and U+2029 among it.
      if (field !== 'scopes[0].value' || !/\s/.test(char))
        expect(refused.body.message).toMatch(named)
    }
    // Nothing was written.
    const after = await Promise.all(
      ['/tenants/settings', '/clients/mail-helper', apiPath, `/roles/${role.id}`].map(
        async (path) => (await api('GET', path)).body,
      ),
    )
    expect(after).toEqual(before)
    expect((await api('GET', '/clients')).body).toHaveLength(1)
    expect((await api('GET', '/roles')).body).toHaveLength(1)
    expectError(
      await api('GET', '/resource-servers/urn%3Aspoof'),
      404,
      'inexistent_resource_server',
    )
  })

  it('keeps ZWNJ and ZWJ, which Persian, Indic scripts and emoji sequences need', async () => {
    const persian = 'می\u200Cخواهم' // ZWNJ between the two parts of a Persian word
    const devanagari = 'क्\u200Dष' // ZWJ asks for a half form
    const family = '👩\u200D👩\u200D👧 Family'
    const client = await api('POST', '/clients', { name: persian })
    expect(client.status).toBe(201)
    expect(client.body.name).toBe(persian)
    expect((await api('POST', '/roles', { name: family })).body.name).toBe(family)
    const settings = await api('PATCH', '/tenants/settings', { friendly_name: devanagari })
    expect(settings.body.friendly_name).toBe(devanagari)
    const request = await api('POST', '/consent-requests', consentRequest({ user_name: persian }))
    expect(request.status).toBe(201)
  })
})

describe('freshness: what the consent page reads is current on the next render', () => {
  it('follows the flag, the scope descriptions and the client name', async () => {
    const open = () =>
      t.deps.consentFlow.open(t.tenant, {
        clientId: DEMO.clientId,
        userId: DEMO.userId,
        userName: DEMO.userName,
        audience: DEMO.audience,
        scope: 'openid read:messages',
        redirectUri: DEMO.redirectUri,
        returnTo: 'http://localhost:3000/demo/done',
      })
    const request = await open()
    // One browser, as a user reloading the page.
    const cookie = (
      (await t.app.request(`/consent/${request.id}`)).headers.get('set-cookie') ?? ''
    ).split(';')[0] as string
    const page = async () =>
      (await t.app.request(`/consent/${request.id}`, { headers: { cookie } })).text()
    expect(await page()).toContain('<bdi>Messages</bdi>: read your <bdi>messages</bdi>')

    await api('PATCH', '/tenants/settings', { flags: { use_scope_descriptions_for_consent: true } })
    expect(await page()).toContain('Read your messages')

    await api('PATCH', `/resource-servers/${encodeURIComponent(messages)}`, {
      scopes: [{ value: 'read:messages', description: 'Read every message you have' }],
    })
    expect(await page()).toContain('Read every message you have')

    await api('PATCH', '/clients/mail-helper', { name: 'Mail Assistant' })
    expect(await page()).toContain('Authorize <bdi>Mail Assistant</bdi>')

    // A scope removed since the request opened is no longer asked about.
    await api('PATCH', `/resource-servers/${encodeURIComponent(messages)}`, { scopes: [] })
    expect(await page()).not.toContain('Read every message you have')
  })
})

describe('caching', () => {
  it('marks every answer no-store, successes and errors alike', async () => {
    const listed = await api('GET', '/resource-servers')
    expect(listed.status).toBe(200)
    expect(listed.headers.get('cache-control')).toBe('no-store')
    const created = await api('POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: 'cache-user',
      audience: messages,
      scope: 'openid read:messages',
      redirect_uri: DEMO.redirectUri,
      return_to: 'http://localhost:3000/demo/done',
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    const missing = await api('GET', '/resource-servers/rs_nonexistent')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('cache-control')).toBe('no-store')
    // Security headers stay on them too (DESIGN §6).
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
