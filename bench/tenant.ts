/**
 * What the benchmark loads: a realistic tenant (one API with 12 scopes over 6 resources, a client
 * with a logo, two roles given to the user), and the same prompt inside a large tenant.
 */
import { randomBytes } from 'node:crypto'

export const TOKEN = 'bench-admin-token-0123456789abcdefghijklmnop'
export const COOKIE = 'assent_csrf=bench-cookie-value-0123456789'
export const AUDIENCE = 'https://api.bench.example/'

const RESOURCES = ['messages', 'contacts', 'calendar_events', 'files', 'photos', 'tasks']
export const API_SCOPES = RESOURCES.flatMap((r) => [
  { value: `read:${r}`, description: `See your ${r.replace('_', ' ')}` },
  { value: `write:${r}`, description: `Change your ${r.replace('_', ' ')}` },
])
export const REQUEST_SCOPE = `openid profile email ${API_SCOPES.map((s) => s.value).join(' ')}`

/** Large tenant: clients, APIs × scopes, grants. */
export const LARGE = { clients: 10_000, apis: 100, scopesPerApi: 100, grants: 100_000 }

export function createBody(userId = 'bench-user') {
  return {
    client_id: 'bench-client',
    user_id: userId,
    user_name: 'bench@example.com',
    audience: AUDIENCE,
    scope: REQUEST_SCOPE,
    redirect_uri: 'https://client.bench.example/cb',
    return_to: 'https://as.bench.example/resume',
    state: 'bench',
  }
}

export async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}/api/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

/** Runs `task` for 0..count-1, `width` at a time. */
export async function inParallel(
  count: number,
  width: number,
  task: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await task(next++)
    }),
  )
}

/** The measured tenant's configuration; the page measured is `/consent/{id}` of `createBody()`. */
export async function setUpTenant(base: string): Promise<{ pagePath: string }> {
  await api(base, 'POST', '/resource-servers', {
    name: 'Bench API',
    identifier: AUDIENCE,
    scopes: API_SCOPES,
  })
  await api(base, 'POST', '/clients', {
    client_id: 'bench-client',
    name: 'Bench Client',
    logo_uri: 'https://client.bench.example/logo.png',
    callbacks: ['https://client.bench.example/cb'],
  })
  for (const [name, perms] of [
    ['Reader', API_SCOPES.filter((s) => s.value.startsWith('read:'))],
    ['Editor', API_SCOPES.filter((s) => s.value.startsWith('write:'))],
  ] as const) {
    const role = await api(base, 'POST', '/roles', { name })
    await api(base, 'POST', `/roles/${role.id}/permissions`, {
      permissions: perms.map((s) => ({
        resource_server_identifier: AUDIENCE,
        permission_name: s.value,
      })),
    })
    await api(base, 'POST', '/users/bench-user/roles', { roles: [role.id] })
  }
  const request = await api(base, 'POST', '/consent-requests', createBody())
  return { pagePath: `/consent/${request.id}` }
}

/**
 * Grows a tenant already holding the measured configuration to the large size, through the
 * Management API for clients and APIs; grants, which only verified answers make, are written
 * straight into the database by `insertGrants`.
 */
export async function growTenant(base: string): Promise<void> {
  await inParallel(LARGE.apis - 1, 8, (i) =>
    api(base, 'POST', '/resource-servers', {
      name: `API ${i}`,
      identifier: `https://api-${i}.large.example/`,
      scopes: Array.from({ length: LARGE.scopesPerApi }, (_, j) => ({
        value: `${['read', 'write', 'delete', 'share'][j % 4]}:resource_${Math.floor(j / 4)}`,
        description: `Scope ${j} of API ${i}`,
      })),
    }),
  )
  await inParallel(LARGE.clients - 1, 16, (i) =>
    api(base, 'POST', '/clients', {
      client_id: `client-${i}`,
      name: `Client ${i}`,
      callbacks: [`https://client-${i}.large.example/cb`],
    }),
  )
}

/** Rows for `grants`: users spread over the large tenant's clients and APIs. */
export function grantRows(tenantId: string, count: number) {
  const now = new Date().toISOString()
  return Array.from({ length: count }, (_, i) => ({
    tenant_id: tenantId,
    id: `gr_${randomBytes(12).toString('base64url')}`,
    user_id: `user-${i}`,
    client_id: `client-${i % (LARGE.clients - 1)}`,
    audience: `https://api-${i % (LARGE.apis - 1)}.large.example/`,
    scope: 'read:resource_0 write:resource_0 read:resource_1',
    created_at: now,
    updated_at: now,
    scope_details: null,
  }))
}
