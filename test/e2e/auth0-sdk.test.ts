/**
 * Auth0 compatibility as users meet it: every Management API endpoint Assent shares with Auth0,
 * driven through the official `auth0` SDK's ManagementClient against a running Assent.
 */
import { ManagementClient } from 'auth0'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssentClient, readConsentReturn } from '../../src/client/index.js'
import { DEMO } from '../../src/services/demo.js'
import { FormBrowser } from '../support/form-browser.js'
import { freePort, type Listening, servePublicly } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

let t: TestApp
let server: Listening
let stop: (() => Promise<void>) | undefined
let auth0: ManagementClient
const API = 'https://sdk.example.com/api'

beforeAll(async () => {
  const port = await freePort()
  ;({
    t,
    server,
    close: stop,
  } = await servePublicly({
    port,
    env: { ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${port}/as/` },
  }))
  auth0 = new ManagementClient({
    domain: `127.0.0.1:${port}`,
    token: t.adminToken,
    maxRetries: 0,
    // The SDK always speaks https to its domain; the test server is plain http on loopback.
    fetch: (input, init) => fetch(String(input).replace(/^https:/, 'http:'), init),
  })
})
afterAll(() => stop?.())

describe('the auth0 SDK against Assent', () => {
  it('resource servers: create, list, filter by identifiers, fields, get, update, delete', async () => {
    const created = await auth0.resourceServers.create({
      identifier: API,
      name: 'SDK API',
      scopes: [
        { value: 'read:things', description: 'Read things' },
        { value: 'write:things', description: 'Write things' },
      ],
      token_dialect: 'rfc9068_profile_authz',
      enforce_policies: true,
    })
    expect(created).toMatchObject({
      identifier: API,
      name: 'SDK API',
      token_dialect: 'rfc9068_profile_authz',
      scopes: [{ value: 'read:things' }, { value: 'write:things' }],
    })
    const id = created.id ?? ''

    const all = await auth0.resourceServers.list()
    expect(all.data.map((api) => api.identifier)).toEqual(
      expect.arrayContaining([API, DEMO.audience]),
    )
    const filtered = await auth0.resourceServers.list({ identifiers: [API] })
    expect(filtered.data.map((api) => api.identifier)).toEqual([API])
    const two = await auth0.resourceServers.list({ identifiers: [API, DEMO.audience] })
    expect(two.data.map((api) => api.identifier).sort()).toEqual([API, DEMO.audience].sort())

    expect(await auth0.resourceServers.get(id)).toMatchObject({ id, identifier: API })
    // By identifier (the SDK encodes it into the path).
    expect(await auth0.resourceServers.get(API, { include_fields: true })).toMatchObject({ id })

    const patched = await auth0.resourceServers.update(id, {
      name: 'SDK API 2',
      token_dialect: 'rfc9068_profile',
      scopes: [{ value: 'read:things', description: 'Read your things' }],
    })
    expect(patched).toMatchObject({ name: 'SDK API 2', token_dialect: 'rfc9068_profile' })
    expect(patched.scopes).toEqual([{ value: 'read:things', description: 'Read your things' }])

    await auth0.resourceServers.delete(id)
    await expect(auth0.resourceServers.get(id)).rejects.toMatchObject({ statusCode: 404 })
  })

  it('clients: create, list, get, update, delete', async () => {
    const created = await auth0.clients.create({
      name: 'SDK App',
      callbacks: ['https://sdk-app.example/cb'],
      is_first_party: false,
      app_type: 'regular_web',
    })
    const clientId = created.client_id ?? ''
    expect(created).toMatchObject({ name: 'SDK App', callbacks: ['https://sdk-app.example/cb'] })
    expect((await auth0.clients.list()).data.map((c) => c.client_id)).toContain(clientId)
    expect(
      await auth0.clients.get(clientId, { fields: 'client_id,name', include_fields: true }),
    ).toEqual({ client_id: clientId, name: 'SDK App' })
    expect(await auth0.clients.update(clientId, { name: 'SDK App 2' })).toMatchObject({
      name: 'SDK App 2',
    })
    await auth0.clients.delete(clientId)
    await expect(auth0.clients.get(clientId)).rejects.toMatchObject({ statusCode: 404 })
  })

  it('tenant settings: get and update', async () => {
    const settings = await auth0.tenants.settings.get()
    expect(settings.friendly_name).toEqual(expect.any(String))
    const updated = await auth0.tenants.settings.update({ friendly_name: 'SDK Tenant' })
    expect(updated.friendly_name).toBe('SDK Tenant')
  })

  it('roles, their permissions and users; users’ permissions and roles', async () => {
    const api = await auth0.resourceServers.create({
      identifier: `${API}/rbac`,
      scopes: [{ value: 'read:files' }, { value: 'write:files' }],
    })
    const role = await auth0.roles.create({ name: 'Editors', description: 'Edit files' })
    const roleId = role.id ?? ''
    expect(role).toMatchObject({ name: 'Editors', description: 'Edit files' })
    expect((await auth0.roles.list()).data.map((r) => r.id)).toContain(roleId)
    expect(await auth0.roles.get(roleId)).toMatchObject({ id: roleId, name: 'Editors' })
    expect(await auth0.roles.update(roleId, { description: 'Edit all files' })).toMatchObject({
      description: 'Edit all files',
    })

    const writeFiles = {
      resource_server_identifier: api.identifier ?? '',
      permission_name: 'write:files',
    }
    await auth0.roles.permissions.add(roleId, { permissions: [writeFiles] })
    expect((await auth0.roles.permissions.list(roleId)).data).toEqual([
      expect.objectContaining(writeFiles),
    ])

    // The user's name and email as Assent last saw them: from a consent request.
    const assent = new AssentClient({ url: server.url, token: t.adminToken })
    await assent.createConsentRequest({
      client_id: DEMO.clientId,
      user_id: 'auth0|sdk-user',
      user_name: 'Sam Doe',
      user_email: 'sam@example.com',
      audience: DEMO.audience,
      scope: 'openid',
      redirect_uri: DEMO.redirectUri,
      return_to: `${server.url}/as/back`,
    })
    await auth0.roles.users.assign(roleId, { users: ['auth0|sdk-user'] })
    expect((await auth0.roles.users.list(roleId)).data).toEqual([
      { user_id: 'auth0|sdk-user', name: 'Sam Doe', email: 'sam@example.com' },
    ])
    expect((await auth0.users.roles.list('auth0|sdk-user')).data).toEqual([
      expect.objectContaining({ id: roleId, name: 'Editors' }),
    ])

    const readFiles = {
      resource_server_identifier: api.identifier ?? '',
      permission_name: 'read:files',
    }
    await auth0.users.permissions.create('auth0|sdk-user', { permissions: [readFiles] })
    const permissions = (await auth0.users.permissions.list('auth0|sdk-user')).data
    expect(permissions.map((p) => p.permission_name).sort()).toEqual(['read:files', 'write:files'])

    await auth0.users.permissions.delete('auth0|sdk-user', { permissions: [readFiles] })
    await auth0.users.roles.delete('auth0|sdk-user', { roles: [roleId] })
    expect((await auth0.users.permissions.list('auth0|sdk-user')).data).toEqual([])
    expect((await auth0.users.roles.list('auth0|sdk-user')).data).toEqual([])

    await auth0.roles.permissions.delete(roleId, { permissions: [writeFiles] })
    expect((await auth0.roles.permissions.list(roleId)).data).toEqual([])
    await auth0.roles.delete(roleId)
    await expect(auth0.roles.get(roleId)).rejects.toMatchObject({ statusCode: 404 })
  })

  it('grants: list by user, delete one, delete all of a user’s', async () => {
    const assent = new AssentClient({ url: server.url, token: t.adminToken })
    const grantFor = async (userId: string) => {
      const opened = await assent.createConsentRequest({
        client_id: DEMO.clientId,
        user_id: userId,
        audience: DEMO.audience,
        scope: 'openid read:messages',
        redirect_uri: DEMO.redirectUri,
        return_to: `${server.url}/as/back`,
      })
      const browser = new FormBrowser()
      const page = new URL(opened.consent_url)
      const html = await (await browser.request(page)).text()
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
      const rendition = /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? ''
      const answer = await browser.postForm(page, { action: 'accept', csrf, rendition }, page)
      const back = readConsentReturn(answer.headers.get('location') ?? '')
      await assent.verify(back.consent_request, back.consent_verifier)
    }
    await grantFor('auth0|grant-a')
    await grantFor('auth0|grant-b')

    const grants = (await auth0.userGrants.list({ user_id: 'auth0|grant-a' })).data
    expect(grants).toEqual([
      expect.objectContaining({
        clientID: DEMO.clientId,
        user_id: 'auth0|grant-a',
        audience: DEMO.audience,
        scope: ['openid', 'read:messages'],
      }),
    ])
    await auth0.userGrants.delete(grants[0]?.id ?? '')
    expect((await auth0.userGrants.list({ user_id: 'auth0|grant-a' })).data).toEqual([])

    await auth0.userGrants.deleteByUserId({ user_id: 'auth0|grant-b' })
    expect((await auth0.userGrants.list({ user_id: 'auth0|grant-b' })).data).toEqual([])
  })

  it('errors come back as the SDK’s errors with Auth0’s body', async () => {
    const error = await auth0.resourceServers.get('nope').catch((e: unknown) => e)
    expect(error).toMatchObject({
      statusCode: 404,
      body: { statusCode: 404, errorCode: 'inexistent_resource_server' },
    })
  })
})
