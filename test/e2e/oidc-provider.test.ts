import { decodeJwt } from 'jose'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthorizationServer } from '../../examples/oidc-provider/authorization-server.js'
import { DEMO } from '../../src/services/demo.js'
import { FormBrowser, promptLines, walkAuthorization } from '../support/form-browser.js'
import { management } from '../support/management.js'
import { freePort, listen } from '../support/serve.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

const THIRD_PARTY: { client_id: string; client_secret: string; redirect_uri: string } = {
  client_id: DEMO.clientId,
  client_secret: 'mail-helper-secret',
  redirect_uri: DEMO.redirectUri,
}
const FIRST_PARTY = {
  client_id: 'acme-web',
  client_secret: 'acme-web-secret',
  redirect_uri: 'https://acme-web.example/cb',
}

let t: TestApp
let assentServer: Awaited<ReturnType<typeof listen>>
let as: Awaited<ReturnType<typeof startAuthorizationServer>>
let api: ReturnType<typeof management>

beforeAll(async () => {
  const [assentPort, asPort] = [await freePort(), await freePort()]
  t = await createTestApp({
    env: {
      PORT: String(assentPort),
      ASSENT_PUBLIC_URL: `http://127.0.0.1:${assentPort}`,
      ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${asPort}/interaction/`,
    },
  })
  assentServer = await listen(t.app, assentPort)
  api = management(t)
  await api('POST', '/clients', {
    client_id: FIRST_PARTY.client_id,
    name: 'Acme Web',
    is_first_party: true,
    callbacks: [FIRST_PARTY.redirect_uri],
  })

  as = await startAuthorizationServer({
    port: asPort,
    assent: { url: assentServer.url, token: t.adminToken },
    defaultAudience: DEMO.audience,
    clients: [THIRD_PARTY, FIRST_PARTY].map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      redirect_uris: [c.redirect_uri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
  })
})
afterAll(async () => {
  await as?.close()
  await assentServer?.close()
  await t?.close()
})

/** One login with openid-client (authorization code + PKCE), as `username`, answering `consent`. */
async function login(
  options: {
    username: string
    scope: string
    consent?: 'accept' | 'deny'
    prompt?: string
    client?: typeof THIRD_PARTY
  },
  browser = new FormBrowser(),
) {
  const client = options.client ?? THIRD_PARTY
  const config = await oidc.discovery(
    new URL(as.issuer),
    client.client_id,
    client.client_secret,
    undefined,
    {
      execute: [oidc.allowInsecureRequests],
    },
  )
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const start = oidc.buildAuthorizationUrl(config, {
    redirect_uri: client.redirect_uri,
    scope: options.scope,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...(options.prompt ? { prompt: options.prompt } : {}),
  })
  const flow = await walkAuthorization(browser, start, client.redirect_uri, {
    username: options.username,
    consent: options.consent ?? 'accept',
  })
  const tokens = async () => {
    const result = await oidc.authorizationCodeGrant(config, flow.callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    return {
      result,
      access: decodeJwt(result.access_token) as { scope?: string; aud?: unknown; sub?: string },
    }
  }
  return { ...flow, tokens, lines: promptLines(flow.consentPage) }
}

const scopesOf = (scope: string | undefined) => (scope ?? '').split(' ').filter(Boolean).sort()

describe('oidc-provider delegating consent to Assent, with openid-client', () => {
  it('accept: the access token carries exactly the granted scopes, for the API', async () => {
    const flow = await login({
      username: 'ana',
      scope: 'openid profile read:messages write:messages',
    })
    expect(flow.lines).toEqual([
      'Profile: access your name and picture',
      'Messages: read and write your messages',
    ])
    const tokens = await flow.tokens()
    expect(scopesOf(tokens.access.scope)).toEqual(['read:messages', 'write:messages'])
    expect(tokens.access.aud).toBe(DEMO.audience)
    expect(tokens.access.sub).toBe('ana')
    expect(tokens.result.claims()?.sub).toBe('ana')
    const grants = await api('GET', '/grants?user_id=ana')
    expect(grants.body[0].scope).toEqual(['openid', 'profile', 'read:messages', 'write:messages'])
  })

  it('deny: the client receives access_denied', async () => {
    const flow = await login({ username: 'bea', scope: 'openid read:messages', consent: 'deny' })
    expect(flow.callback.searchParams.get('error')).toBe('access_denied')
    await expect(flow.tokens()).rejects.toMatchObject({ error: 'access_denied' })
    expect((await api('GET', '/grants?user_id=bea')).body).toEqual([])
  })

  it('a second login, in a new browser, is not prompted', async () => {
    await (await login({ username: 'cai', scope: 'openid read:messages' })).tokens()
    const again = await login({ username: 'cai', scope: 'openid read:messages' })
    expect(again.consentPage).toBeUndefined()
    expect(scopesOf((await again.tokens()).access.scope)).toEqual(['read:messages'])
  })

  it('a new scope prompts for that scope only', async () => {
    await (await login({ username: 'dee', scope: 'openid read:messages' })).tokens()
    const more = await login({ username: 'dee', scope: 'openid read:messages read:contacts' })
    expect(more.lines).toEqual(['Contacts: read your contacts'])
    expect(scopesOf((await more.tokens()).access.scope)).toEqual(['read:contacts', 'read:messages'])
  })

  it('RBAC narrows the prompt and the token', async () => {
    const audience = encodeURIComponent(DEMO.audience)
    await api('PATCH', `/resource-servers/${audience}`, { enforce_policies: true })
    await api('POST', '/users/eli/permissions', {
      permissions: [
        { resource_server_identifier: DEMO.audience, permission_name: 'read:messages' },
      ],
    })
    try {
      const flow = await login({ username: 'eli', scope: 'openid read:messages write:messages' })
      expect(flow.lines).toEqual(['Messages: read your messages'])
      expect(scopesOf((await flow.tokens()).access.scope)).toEqual(['read:messages'])
    } finally {
      await api('PATCH', `/resource-servers/${audience}`, { enforce_policies: false })
    }
  })

  it('a first-party client is not prompted', async () => {
    const flow = await login({
      username: 'fay',
      scope: 'openid read:messages',
      client: FIRST_PARTY,
    })
    expect(flow.consentPage).toBeUndefined()
    expect(scopesOf((await flow.tokens()).access.scope)).toEqual(['read:messages'])
  })

  it('prompt=consent shows the page again', async () => {
    await (await login({ username: 'gus', scope: 'openid read:messages' })).tokens()
    const forced = await login({
      username: 'gus',
      scope: 'openid read:messages',
      prompt: 'consent',
    })
    expect(forced.lines).toEqual(['Messages: read your messages'])
    expect(scopesOf((await forced.tokens()).access.scope)).toEqual(['read:messages'])
  })
})
