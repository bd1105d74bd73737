import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { DEMO } from '../../src/services/demo.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is plain JSON
let doc: any

beforeAll(async () => {
  t = await createTestApp()
  doc = await (await t.app.request('/api/v2/openapi.json')).json()
})
afterAll(async () => {
  await t.close()
})

/** Everything a refused request must leave as it was. */
async function snapshot(): Promise<string> {
  const page = { page: 0, perPage: 100 }
  const id = t.tenant.id
  return JSON.stringify([
    (await t.store.tenants.get(id))?.settings,
    (await t.store.resourceServers.list(id, page)).items.map((s) => [
      s.id,
      s.identifier,
      s.name,
      s.scopes,
      s.enforcePolicies,
    ]),
    (await t.store.clients.list(id, page)).items.map((c) => [
      c.clientId,
      c.name,
      c.logoUri,
      c.callbacks,
    ]),
    (await t.store.roles.list(id, page)).items,
    (await t.store.grants.list(id, {}, page)).items.map((g) => [g.id, g.scope]),
    (await t.store.permissions.ofUser(id, 'fuzz-user', page)).items,
    (await t.store.userRoles.list(id, 'fuzz-user', page)).items,
  ])
}

const operations = () =>
  Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ path, method: method.toUpperCase() })),
  )

/** Values shaped like the API's own, and not: near-misses find more than pure noise. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    'openid',
    'read:messages',
    DEMO.audience,
    DEMO.clientId,
    'x'.repeat(70_000),
    '<script>',
    '\u0000',
    '../..',
    '%2F',
  ),
  fc.array(
    fc.record({
      value: fc.string(),
      description: fc.string(),
      resource_server_identifier: fc.string(),
      permission_name: fc.string(),
    }),
    { maxLength: 3 },
  ),
)
const fields = [
  'identifier',
  'name',
  'scopes',
  'client_id',
  'user_id',
  'audience',
  'scope',
  'redirect_uri',
  'return_to',
  'permissions',
  'roles',
  'users',
  'flags',
  'branding',
  'enforce_policies',
  'token_dialect',
  'description',
  'logo_uri',
  'callbacks',
  'default_locale',
  'enabled_locales',
  'prompt',
]
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string(),
)
const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'rs_demo_messages',
    DEMO.clientId,
    'rol_x',
    encodeURIComponent(DEMO.audience),
    '%',
    '%00',
    '..',
    'fuzz-user',
  ),
)
const query = fc.dictionary(
  fc.constantFrom(
    'page',
    'per_page',
    'include_totals',
    'user_id',
    'client_id',
    'audience',
    'name_filter',
    'x',
  ),
  fc.string({ maxLength: 12 }),
  { maxKeys: 4 },
)

describe('fuzzing the Management API (property)', () => {
  it('never answers 5xx, always in the error format, and a refused request changes nothing', async () => {
    const ops = operations()
    expect(ops.length).toBeGreaterThan(30)
    const statuses = new Set<number>()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ops),
        segment,
        body,
        query,
        fc.boolean(),
        async (op, param, payload, q, json) => {
          const path = op.path.replace(/\{\w+\}/g, () =>
            encodeURIComponent(param).replace(/%25/g, '%'),
          )
          const before = await snapshot()
          const res = await t.app.request(`/api/v2${path}?${new URLSearchParams(q)}`, {
            method: op.method,
            headers: {
              authorization: `Bearer ${t.adminToken}`,
              'content-type': json ? 'application/json' : 'text/plain',
            },
            body:
              op.method === 'GET'
                ? undefined
                : typeof payload === 'string'
                  ? payload
                  : JSON.stringify(payload),
          })
          expect(res.status, `${op.method} ${path}`).toBeLessThan(500)
          statuses.add(res.status)
          if (res.status >= 400) {
            const error = await res.json()
            expect(Object.keys(error).sort()).toEqual([
              'error',
              'errorCode',
              'message',
              'statusCode',
            ])
            expect(await snapshot()).toBe(before)
          }
        },
      ),
      { numRuns: 400 },
    )
    // The inputs reached past validation too, not only into 400s.
    expect([...statuses].filter((s) => s < 300).length).toBeGreaterThan(0)
    expect(statuses.has(400)).toBe(true)
    expect(statuses.has(404)).toBe(true)
  })
})

describe('fuzzing the consent form (property)', () => {
  it('never answers 5xx, and leaves the request pending unless the form is right', async () => {
    // Its own client: the property above may well have deleted the demo's.
    await t.store.clients.create(t.tenant.id, {
      clientId: 'form-fuzz-client',
      name: 'Form Fuzz',
      description: '',
      logoUri: null,
      isFirstParty: false,
      callbacks: [DEMO.redirectUri],
      appType: null,
    })
    const request = await t.deps.consentFlow.open(t.tenant, {
      clientId: 'form-fuzz-client',
      userId: 'form-fuzz',
      scope: 'openid profile',
      redirectUri: DEMO.redirectUri,
      returnTo: 'http://localhost:3000/demo/done',
    })
    const form = fc.dictionary(
      fc.constantFrom('action', 'csrf', 'x', ''),
      fc.oneof(fc.string(), fc.constantFrom('accept', 'deny', 'ACCEPT')),
      { maxKeys: 3 },
    )
    const type = fc.constantFrom(
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json',
      'text/plain',
      '',
    )
    await fc.assert(
      fc.asyncProperty(
        form,
        type,
        fc.string({ maxLength: 30 }),
        async (fields, contentType, cookie) => {
          const res = await t.app.request(`/consent/${request.id}`, {
            method: 'POST',
            headers: { 'content-type': contentType, cookie: `assent_csrf=${cookie}` },
            body: new URLSearchParams(fields).toString(),
          })
          expect(res.status).toBeLessThan(500)
          expect(res.status).not.toBe(303)
          expect((await t.store.consentRequests.get(t.tenant.id, request.id))?.status).toBe(
            'pending',
          )
        },
      ),
      { numRuns: 300 },
    )
  })
})
