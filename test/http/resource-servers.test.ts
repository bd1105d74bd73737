import { beforeEach, describe, expect, it } from 'vitest'
import { RESERVED_SCOPE_NAMES } from '../../src/consent/index.js'
import { type Answer, expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite), { env: { ASSENT_DEMO: '0' } })

const enc = encodeURIComponent

async function createMessages(): Promise<Answer> {
  return api('POST', '/resource-servers', {
    name: 'Messages API',
    identifier: 'https://messages.example/',
    scopes: [
      { value: 'read:messages', description: 'Read your messages' },
      { value: 'write:messages', description: 'Send messages as you' },
    ],
  })
}

describe('resource servers (DESIGN §4)', () => {
  it('creates with Auth0 defaults and reads back by id and by URL-encoded identifier', async () => {
    const created = await createMessages()
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'Messages API',
      identifier: 'https://messages.example/',
      is_system: false,
      scopes: [
        { value: 'read:messages', description: 'Read your messages' },
        { value: 'write:messages', description: 'Send messages as you' },
      ],
      signing_alg: 'RS256',
      allow_offline_access: false,
      skip_consent_for_verifiable_first_party_clients: false,
      token_lifetime: 86400,
      token_dialect: 'access_token',
      enforce_policies: false,
    })
    expect((await api('GET', `/resource-servers/${created.body.id}`)).body).toEqual(created.body)
    expect(
      (await api('GET', `/resource-servers/${enc('https://messages.example/')}`)).body,
    ).toEqual(created.body)
  })

  it('names the API after its identifier when no name is given', async () => {
    expect((await api('POST', '/resource-servers', { identifier: 'urn:x' })).body.name).toBe(
      'urn:x',
    )
  })

  it('refuses a duplicate identifier with 409', async () => {
    await createMessages()
    expectError(await createMessages(), 409, 'conflict')
  })

  it('requires an identifier and refuses unknown fields', async () => {
    expectError(
      await api('POST', '/resource-servers', { name: 'x' }),
      400,
      'invalid_body',
      /Missing required property: identifier/,
    )
    expectError(
      await api('POST', '/resource-servers', { identifier: 'x', colour: 'red' }),
      400,
      'invalid_body',
      /Additional properties not allowed: colour/,
    )
    expectError(
      await api('POST', '/resource-servers', {
        identifier: 'x',
        scopes: [{ value: 'a', extra: 1 }],
      }),
      400,
      'invalid_body',
      /Additional properties not allowed: extra' on property scopes\[0\]/,
    )
  })

  it('refuses < and > in names', async () => {
    expectError(
      await api('POST', '/resource-servers', { identifier: 'x', name: 'My <b>API</b>' }),
      400,
      'invalid_body',
      /on property name/,
    )
  })

  it.each([...RESERVED_SCOPE_NAMES])(
    'refuses the reserved scope name %s on create and on update',
    async (name) => {
      expectError(
        await api('POST', '/resource-servers', { identifier: 'x', scopes: [{ value: name }] }),
        400,
        'invalid_body',
        /reserved/,
      )
      const created = await createMessages()
      expectError(
        await api('PATCH', `/resource-servers/${created.body.id}`, { scopes: [{ value: name }] }),
        400,
        'invalid_body',
        /reserved/,
      )
    },
  )

  it.each([
    ['281 characters', { value: 'x'.repeat(281) }],
    ['an empty value', { value: '' }],
    ['a space', { value: 'read messages' }],
    ['a tab', { value: 'read:\tx' }],
    ['a control character', { value: 'read:\u0001x' }],
    ['a 501-character description', { value: 'read:x', description: 'd'.repeat(501) }],
    ['a non-string value', { value: 42 }],
  ])('refuses a scope with %s', async (_, scope) => {
    expectError(
      await api('POST', '/resource-servers', { identifier: 'x', scopes: [scope] }),
      400,
      'invalid_body',
      /scopes\[0\]/,
    )
  })

  it('accepts 280-character scopes and 1000 scopes, not 1001', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `s:${i}` }))
    expect(
      (
        await api('POST', '/resource-servers', {
          identifier: 'a',
          scopes: [{ value: 'x'.repeat(280) }],
        })
      ).status,
    ).toBe(201)
    expect(
      (await api('POST', '/resource-servers', { identifier: 'b', scopes: many(1000) })).status,
    ).toBe(201)
    expectError(
      await api('POST', '/resource-servers', { identifier: 'c', scopes: many(1001) }),
      400,
      'invalid_body',
    )
  })

  it('refuses duplicate scope values', async () => {
    expectError(
      await api('POST', '/resource-servers', {
        identifier: 'x',
        scopes: [{ value: 'a:b' }, { value: 'a:b' }],
      }),
      400,
      'invalid_body',
      /duplicate scope a:b/,
    )
  })

  it('PATCH replaces scopes whole; [] clears them; leaving them out keeps them', async () => {
    const { body } = await createMessages()
    const path = `/resource-servers/${body.id}`
    const renamed = await api('PATCH', path, { name: 'Mail' })
    expect(renamed.body.scopes).toHaveLength(2)
    const replaced = await api('PATCH', path, {
      scopes: [
        {
          value: 'read:contacts',
          description: 'See contacts',
          descriptions: { fr: 'Voir vos contacts' },
        },
      ],
    })
    expect(replaced.status).toBe(200)
    expect(replaced.body.scopes).toEqual([
      {
        value: 'read:contacts',
        description: 'See contacts',
        descriptions: { fr: 'Voir vos contacts' },
      },
    ])
    expect((await api('PATCH', path, { scopes: [] })).body.scopes).toEqual([])
    expect((await api('GET', path)).body.scopes).toEqual([])
  })

  it('keeps the identifier immutable', async () => {
    const { body } = await createMessages()
    expectError(
      await api('PATCH', `/resource-servers/${body.id}`, { identifier: 'https://other/' }),
      400,
      'invalid_body',
      /identifier cannot be changed/,
    )
    expect(
      (
        await api('PATCH', `/resource-servers/${body.id}`, {
          identifier: body.identifier,
          name: 'Same',
        })
      ).status,
    ).toBe(200)
  })

  it('drops permissions on scopes removed from the API', async () => {
    const { body } = await createMessages()
    const permissions = [
      { resource_server_identifier: body.identifier, permission_name: 'read:messages' },
      { resource_server_identifier: body.identifier, permission_name: 'write:messages' },
    ]
    expect((await api('POST', '/users/u1/permissions', { permissions })).status).toBe(201)
    await api('PATCH', `/resource-servers/${body.id}`, { scopes: [{ value: 'read:messages' }] })
    const left = await api('GET', '/users/u1/permissions')
    expect(left.body.map((p: { permission_name: string }) => p.permission_name)).toEqual([
      'read:messages',
    ])
  })

  it('deletes, then answers 404 in the error format', async () => {
    const { body } = await createMessages()
    const deleted = await api('DELETE', `/resource-servers/${body.id}`)
    expect(deleted.status).toBe(204)
    expect(deleted.body).toBeUndefined()
    expectError(await api('GET', `/resource-servers/${body.id}`), 404, 'inexistent_resource_server')
    expectError(
      await api('DELETE', `/resource-servers/${body.id}`),
      404,
      'inexistent_resource_server',
    )
    expectError(
      await api('PATCH', `/resource-servers/${body.id}`, { name: 'x' }),
      404,
      'inexistent_resource_server',
    )
  })

  describe('lists', () => {
    beforeEach(async () => {
      for (let i = 0; i < 5; i++)
        await api('POST', '/resource-servers', { identifier: `urn:api:${i}` })
    })

    it('is a bare array by default, in creation order', async () => {
      const list = await api('GET', '/resource-servers')
      expect(list.body.map((s: { identifier: string }) => s.identifier)).toEqual(
        [0, 1, 2, 3, 4].map((i) => `urn:api:${i}`),
      )
    })

    it('pages with page and per_page, and reports totals', async () => {
      const page = await api('GET', '/resource-servers?page=1&per_page=2&include_totals=true')
      expect(page.body).toMatchObject({ start: 2, limit: 2, total: 5 })
      expect(page.body.resource_servers.map((s: { identifier: string }) => s.identifier)).toEqual([
        'urn:api:2',
        'urn:api:3',
      ])
      expect((await api('GET', '/resource-servers?page=2&per_page=2')).body).toHaveLength(1)
      expect((await api('GET', '/resource-servers?page=9&per_page=2')).body).toEqual([])
      expect((await api('GET', '/resource-servers?per_page=100')).body).toHaveLength(5)
    })

    it.each(['per_page=0', 'per_page=101', 'page=-1', 'page=x', 'include_totals=yes', 'unknown=1'])(
      'refuses %s',
      async (query) => {
        expectError(await api('GET', `/resource-servers?${query}`), 400, 'invalid_query_string')
      },
    )
  })
})
