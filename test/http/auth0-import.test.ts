/**
 * How `assent import-auth0` matches an export to what Assent holds (DESIGN §4.2.1), driven
 * in-process against the real Management API: exports without ids, names shared by two clients,
 * roles that gain permissions, and fields that differ.
 */
import { describe, expect, it } from 'vitest'
import { applyExport, type ReportLine } from '../../src/auth0-import/apply.js'
import { managementCaller } from '../../src/auth0-import/management.js'
import type { Auth0Export } from '../../src/auth0-import/read-export.js'
import type { Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite))

const API = 'https://orders.example.com/api'

const exported = (parts: Partial<Auth0Export>): Auth0Export => ({
  resourceServers: [],
  clients: [],
  roles: [],
  tenant: undefined,
  ...parts,
})

const item = (source: string, body: Record<string, unknown>) => ({ source, body })

async function run(data: Auth0Export, dryRun = false): Promise<ReportLine[]> {
  const call = managementCaller(
    (request) => t.app.fetch(request),
    new URL('http://localhost:3000'),
    t.adminToken,
  )
  return applyExport(call, data, [], { dryRun })
}

const outcomes = (lines: readonly ReportLine[]) =>
  lines.map(
    (line) => `${line.kind} ${line.name}: ${line.outcome}${line.detail ? ` (${line.detail})` : ''}`,
  )

describe('assent import-auth0 against the Management API', () => {
  it('matches a client without an id by its name, writes only what differs, and keeps it next time', async () => {
    const made = await api('POST', '/clients', { name: 'Shop', description: 'old' })
    const id = made.body.client_id
    const data = exported({
      clients: [
        item('clients/Shop.json', { name: 'Shop', description: 'new', grant_types: ['implicit'] }),
      ],
    })
    expect(outcomes(await run(data, true))).toEqual([
      `client Shop (${id}): updated (would be updated: description, grant_types)`,
    ])
    expect((await api('GET', `/clients/${id}`)).body.description).toBe('old')
    expect(outcomes(await run(data))).toEqual([
      `client Shop (${id}): updated (description, grant_types)`,
    ])
    expect((await api('GET', `/clients/${id}`)).body).toMatchObject({
      description: 'new',
      grant_types: ['implicit'],
    })
    expect(outcomes(await run(data))).toEqual([`client Shop (${id}): kept`])
  })

  it('skips a client whose name two clients share, rather than guess', async () => {
    await api('POST', '/clients', { name: 'Twin' })
    await api('POST', '/clients', { name: 'Twin' })
    const lines = await run(exported({ clients: [item('clients/Twin.json', { name: 'Twin' })] }))
    expect(lines[0]).toMatchObject({ outcome: 'skipped', source: 'clients/Twin.json' })
    expect(lines[0]?.detail).toMatch(/2 clients are named so/)
  })

  it('matches a role by name, adds the permissions it lacks and leaves the others', async () => {
    await api('POST', '/resource-servers', {
      identifier: API,
      scopes: [
        { value: 'read:orders', description: 'Read' },
        { value: 'write:orders', description: 'Write' },
        { value: 'delete:orders', description: 'Delete' },
      ],
    })
    const role = await api('POST', '/roles', { name: 'Clerk', description: 'Clerks' })
    await api('POST', `/roles/${role.body.id}/permissions`, {
      permissions: [{ resource_server_identifier: API, permission_name: 'delete:orders' }],
    })
    const data = exported({
      roles: [
        item('roles/Clerk.json', {
          name: 'Clerk',
          description: 'Clerks',
          permissions: [
            { resource_server_identifier: API, permission_name: 'read:orders' },
            { resource_server_identifier: API, permission_name: 'write:orders' },
          ],
        }),
      ],
    })
    expect(outcomes(await run(data))).toEqual(['role Clerk: updated (2 permissions added)'])
    const held = await api('GET', `/roles/${role.body.id}/permissions`)
    expect(held.body.map((p: { permission_name: string }) => p.permission_name).sort()).toEqual([
      'delete:orders',
      'read:orders',
      'write:orders',
    ])
    expect(outcomes(await run(data))).toEqual(['role Clerk: kept'])
  })

  it("skips Auth0's own API, and reports a refused object with its file while importing the rest", async () => {
    const lines = await run(
      exported({
        resourceServers: [
          item('resource-servers/Auth0 Management API.json', {
            identifier: 'https://orders.eu.auth0.com/api/v2/',
            name: 'Auth0 Management API',
            is_system: true,
          }),
          item('resource-servers/Bad.json', { identifier: 'urn:bad', signing_alg: 'none' }),
          item('resource-servers/Good.json', { identifier: 'urn:good', scopes: [] }),
        ],
      }),
    )
    expect(lines.map((line) => [line.name, line.outcome])).toEqual([
      ['https://orders.eu.auth0.com/api/v2/', 'skipped'],
      ['urn:bad', 'failed'],
      ['urn:good', 'created'],
    ])
    expect(lines[1]?.detail).toMatch(/^400 invalid_body: .*signing_alg/)
    expect(lines[1]?.source).toBe('resource-servers/Bad.json')
  })

  it("holds an API's scopes without the descriptions the service fills in, and the tenant's flags as merged", async () => {
    const data = exported({
      resourceServers: [
        item('resource-servers/Orders.json', {
          identifier: API,
          scopes: [{ value: 'read:orders' }],
        }),
      ],
      tenant: item('tenant.json', { flags: { enable_client_connections: false } }),
    })
    expect(outcomes(await run(data))).toEqual([
      `resource server ${API}: created`,
      'tenant settings tenant: updated (flags)',
    ])
    expect(outcomes(await run(data))).toEqual([
      `resource server ${API}: kept`,
      'tenant settings tenant: kept',
    ])
  })
})
