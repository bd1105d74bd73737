import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { management } from '../support/management.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON
let doc: any

beforeAll(async () => {
  t = await createTestApp()
  const res = await t.app.request('/api/v2/openapi.json')
  expect(res.status).toBe(200)
  doc = await res.json()
})
afterAll(async () => {
  await t.close()
})

/** Finds the operation of the document a request path matches. */
function operationFor(method: string, path: string) {
  for (const [template, operations] of Object.entries<Record<string, unknown>>(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`)
    if (pattern.test(path) && operations[method])
      return { template, operation: operations[method] as Record<string, unknown> }
  }
  return undefined
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every endpoint of DESIGN §4 with its scopes', () => {
    expect(doc.openapi).toBe('3.1.0')
    const listed = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    )
    for (const endpoint of [
      'GET /resource-servers',
      'POST /resource-servers',
      'PATCH /resource-servers/{id}',
      'DELETE /resource-servers/{id}',
      'PATCH /tenants/settings',
      'POST /clients',
      'GET /users/{id}/permissions',
      'POST /users/{id}/roles',
      'POST /roles/{id}/permissions',
      'GET /roles/{id}/users',
      'GET /grants',
      'DELETE /grants',
    ]) {
      expect(listed).toContain(endpoint)
    }
    expect(doc.paths['/resource-servers/{id}'].patch['x-scopes']).toEqual([
      'update:resource_servers',
    ])
  })

  it("says which of Auth0's fields each body takes (DESIGN §4.2.1)", () => {
    const body = (path: string, method: string) =>
      doc.paths[path][method].requestBody.content['application/json'].schema
    const client = body('/clients', 'post')
    expect(client.additionalProperties).toBe(false)
    expect(Object.keys(client.properties)).toEqual(
      expect.arrayContaining(['grant_types', 'jwt_configuration', 'client_secret', 'tenant']),
    )
    expect(client.properties.app_type.enum).toHaveLength(25)
    expect(client.properties.tenant.description).toMatch(/Read-only.*ignored/)
    expect(client.properties.client_secret.description).toMatch(/never stored/)
    expect(Object.keys(body('/clients/{client_id}', 'patch').properties)).toEqual(
      expect.arrayContaining(['client_id', 'signing_keys', 'refresh_token']),
    )
    expect(Object.keys(body('/roles', 'post').properties)).toEqual(
      expect.arrayContaining(['id', 'type', 'owner_id']),
    )
    expect(Object.keys(body('/tenants/settings', 'patch').properties)).toEqual(
      expect.arrayContaining(['support_email', 'session_lifetime', 'sandbox_versions_available']),
    )
    const params = doc.paths['/clients'].get.parameters.map((p: { name: string }) => p.name)
    expect(params).toEqual(expect.arrayContaining(['is_first_party', 'app_type', 'is_global', 'q']))
  })

  it('describes the real responses', async () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true })
    addFormats.default(ajv)
    ajv.addSchema(doc.components.schemas.Error, '#/components/schemas/Error')
    const api = management(t)
    const checked: string[] = []

    async function check(method: string, path: string, body?: unknown) {
      const answer = await api(method, path, body)
      const found = operationFor(method.toLowerCase(), path.split('?')[0] ?? '')
      expect(found, `${method} ${path} is documented`).toBeDefined()
      const response = (
        (found?.operation.responses ?? {}) as Record<
          string,
          { content?: { 'application/json': { schema: object } } }
        >
      )[String(answer.status)]
      expect(response, `${method} ${path} → ${answer.status} is documented`).toBeDefined()
      const schema = response?.content?.['application/json'].schema
      if (schema) {
        const resolved = '$ref' in schema ? doc.components.schemas.Error : schema
        const valid = ajv.validate(resolved, answer.body)
        expect(valid, `${method} ${path}: ${ajv.errorsText()}`).toBe(true)
      } else {
        expect(answer.body).toBeUndefined()
      }
      checked.push(`${method} ${path} ${answer.status}`)
      return answer
    }

    await check('GET', '/resource-servers')
    await check('GET', '/resource-servers?include_totals=true')
    const created = await check('POST', '/resource-servers', {
      identifier: 'urn:docs',
      scopes: [{ value: 'read:docs', description: 'Read', descriptions: { fr: 'Lire' } }],
    })
    await check('POST', '/resource-servers', { identifier: 'urn:docs' })
    await check('PATCH', `/resource-servers/${created.body.id}`, {
      token_dialect: 'access_token_authz',
    })
    await check('PATCH', `/resource-servers/${created.body.id}`, {
      token_dialect: 'rfc9068_profile_authz',
      scopes: {},
    })
    await check('GET', '/resource-servers?identifiers=urn:docs&identifiers=urn:none')
    await check('GET', '/resource-servers?fields=identifier,scopes&include_fields=true')
    await check('GET', `/resource-servers/${created.body.id}?fields=scopes&include_fields=false`)
    await check('GET', '/resource-servers/nope')
    await check('GET', '/tenants/settings')
    await check('PATCH', '/tenants/settings', { branding: { primary_color: '#123456' } })
    await check('POST', '/clients', {
      name: 'Docs',
      client_id: 'docs',
      logo_uri: 'https://docs.example/l.png',
    })
    await check('GET', '/clients?include_totals=true')
    await check('GET', '/clients/docs')
    await check('GET', '/clients/docs?fields=name')
    await check('GET', '/clients?fields=client_id,name')
    // Auth0's objects whole (DESIGN §4.2.1): kept fields are in the answers' schemas.
    await check('POST', '/clients', {
      name: 'Kept',
      client_id: 'kept',
      app_type: 'sso_integration',
      grant_types: ['authorization_code'],
      refresh_token: null,
      client_metadata: { team: 'docs' },
    })
    await check('GET', '/clients/kept')
    await check('GET', '/clients?app_type=sso_integration,spa&is_first_party=false&q=kep')
    await check('PATCH', '/tenants/settings', {
      support_email: 'help@docs.example',
      error_page: null,
    })
    await check('GET', '/tenants/settings?fields=support_email')
    await check('POST', '/roles', { id: 'rol_0Vq0TUJN8mSjPzVh', name: 'Kept', type: 'tenant' })
    const role = await check('POST', '/roles', { name: 'Docs' })
    await check('POST', `/roles/${role.body.id}/permissions`, {
      permissions: [{ resource_server_identifier: 'urn:docs', permission_name: 'read:docs' }],
    })
    await check('GET', `/roles/${role.body.id}/permissions`)
    await check('POST', `/roles/${role.body.id}/users`, { users: ['u1'] })
    await check('GET', `/roles/${role.body.id}/users?include_totals=true`)
    await check('GET', `/roles/${role.body.id}/users?take=1&include_totals=true`)
    await check('GET', '/users/u1/permissions')
    await check('GET', '/users/u1/roles')
    await check('GET', '/roles')
    await t.store.grants.merge(t.tenant.id, 'u1', 'docs', 'urn:docs', ['read:docs'])
    await check('GET', '/grants?user_id=u1')
    await check('DELETE', '/grants?user_id=u1')
    await check('DELETE', `/resource-servers/${created.body.id}`)
    expect(checked.length).toBeGreaterThan(20)
  })
})

describe('the API reference page', () => {
  it('is served without a session, lists the operations, and runs no script', async () => {
    const res = await t.app.request('/api/v2/docs')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<code>/resource-servers/{id}</code>')
    expect(html).toContain('<code>update:resource_servers</code>')
    expect(html).not.toMatch(/<script/i)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'")
  })
})
