import { join } from 'node:path'
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthorizationServer } from '../../examples/oidc-provider/authorization-server.js'
import { silentLogger } from '../../src/logger.js'
import { DEMO } from '../../src/services/demo.js'
import { createWebhookWorker } from '../../src/services/webhooks/webhooks.js'
import { FormBrowser, promptLines, walkAuthorization } from '../support/form-browser.js'
import { management } from '../support/management.js'
import { freePort, listen } from '../support/serve.js'
import { tempDir } from '../support/temp.js'
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
let startAs: () => ReturnType<typeof startAuthorizationServer>
// The AS's own SQLite file, outside the checkout; a restart opens it again.
const asDirectory = tempDir('assent-oidc-provider-')

beforeAll(async () => {
  const [assentPort, asPort] = [await freePort(), await freePort()]
  t = await createTestApp({
    env: {
      PORT: String(assentPort),
      ASSENT_PUBLIC_URL: `http://127.0.0.1:${assentPort}`,
      ASSENT_ALLOWED_RETURN_URLS: `http://127.0.0.1:${asPort}/interaction/`,
      ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1',
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

  // The AS hears revocations at its webhook endpoint (DESIGN §3.8).
  const hook = await api('POST', '/webhooks', {
    url: `http://127.0.0.1:${asPort}/assent/webhooks`,
    events: ['grant.revoked', 'grant.deleted'],
  })

  startAs = () =>
    startAuthorizationServer({
      port: asPort,
      assent: { url: assentServer.url, token: t.adminToken, webhookSecret: hook.body.secret },
      defaultAudience: DEMO.audience,
      databasePath: join(asDirectory.dir, 'authorization-server.sqlite'),
      clients: [THIRD_PARTY, FIRST_PARTY].map((c) => ({
        client_id: c.client_id,
        client_secret: c.client_secret,
        redirect_uris: [c.redirect_uri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      })),
    })
  as = await startAs()
})
afterAll(async () => {
  await as?.close()
  await assentServer?.close()
  await t?.close()
  asDirectory.remove()
})

interface AccessClaims {
  scope?: string
  aud?: unknown
  sub?: string
  permissions?: string[]
}

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
    return { result, access: decodeJwt<AccessClaims>(result.access_token) }
  }
  return { ...flow, config, tokens, lines: promptLines(flow.consentPage) }
}

/** Uses a refresh token; what the new access token holds. */
async function refresh(config: oidc.Configuration, refreshToken: string | undefined) {
  const result = await oidc.refreshTokenGrant(config, refreshToken ?? '')
  return { result, access: decodeJwt<AccessClaims>(result.access_token) }
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

/** Posts the form of `html` whose action starts with `action`, with its hidden fields. */
async function submit(browser: FormBrowser, page: URL, html: string, action: string) {
  const form = [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)]
    .map((m) => ({ action: new URL((m[1] ?? '').replace(/&amp;/g, '&'), page), body: m[2] ?? '' }))
    .find((f) => f.action.pathname.startsWith(action))
  if (!form) throw new Error(`no form for ${action} at ${page.href}`)
  const fields = Object.fromEntries(
    [...form.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1] ?? '',
      m[2] ?? '',
    ]),
  )
  return browser.postForm(form.action, fields, page)
}

/** The user opens their connected-apps page from a portal link and removes `clientId`. */
async function removeAccess(userId: string, clientId: string) {
  const browser = new FormBrowser()
  const link = await api('POST', `/users/${encodeURIComponent(userId)}/portal-sessions`, {})
  let url = new URL(link.body.url)
  let res = await browser.request(url)
  // The link opens the session at once, or behind a page with one button that does.
  if (res.status === 200) res = await submit(browser, url, await res.text(), '/account/')
  for (let hop = 0; res.status >= 300 && res.status < 400 && hop < 5; hop++) {
    url = new URL(res.headers.get('location') ?? '', url)
    res = await browser.request(url)
  }
  expect(url.pathname).toBe('/account/apps')
  const removed = await submit(
    browser,
    url,
    await res.text(),
    `/account/apps/${encodeURIComponent(clientId)}/revoke`,
  )
  expect(removed.status).toBe(303)
}

/** Assent's webhook worker delivers what is due; the AS's answers to them. */
async function deliverWebhooks() {
  const worker = createWebhookWorker({
    store: t.store,
    now: () => new Date(Math.max(Date.now(), t.clock.now().getTime())),
    log: silentLogger,
    allowHttpLoopback: true,
  })
  await worker.runOnce()
  const hooks = await api('GET', '/webhooks')
  return (await api('GET', `/webhooks/${hooks.body[0].id}/deliveries`)).body as {
    type: string
    status: number
  }[]
}

describe('the AS keeps its Grants in its own storage, and applies RBAC to every token', () => {
  it('a grant.revoked webhook after a restart revokes the Grant saved before it, and only that one', async () => {
    const browser = new FormBrowser()
    const scope = 'openid offline_access read:messages'
    const rene = await login({ username: 'rene', scope, prompt: 'consent' }, browser)
    const reneTokens = await rene.tokens()
    expect(reneTokens.result.refresh_token).toBeDefined()
    const bo = await login({ username: 'bo', scope, prompt: 'consent' })
    const boTokens = await bo.tokens()

    // The AS process stops; meanwhile rene removes the app in Assent; the AS starts again on the
    // same storage, and only then hears of it.
    await as.close()
    await removeAccess('rene', THIRD_PARTY.client_id)
    as = await startAs()
    const deliveries = await deliverWebhooks()
    expect(deliveries[0]).toMatchObject({ type: 'grant.revoked', status: 204 })

    // The restarted AS found the Grant from before: rene's refresh token is dead …
    await expect(refresh(rene.config, reneTokens.result.refresh_token)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    // … bo's consent to the same client is not rene's: it and its refresh token stand …
    const boRefreshed = await refresh(bo.config, boTokens.result.refresh_token)
    expect(scopesOf(boRefreshed.access.scope)).toEqual(['read:messages'])
    // … signed with the key from before: a token from then verifies against the JWKS of now …
    const jwks = createRemoteJWKSet(new URL(rene.config.serverMetadata().jwks_uri ?? ''))
    await expect(jwtVerify(boTokens.result.access_token, jwks)).resolves.toBeDefined()
    // … and rene's browser session survived (it comes back signed in as rene, whatever name the
    // form would be given), but not the Grant: rene is asked again.
    const next = await login({ username: 'not-rene', scope: 'openid read:messages' }, browser)
    expect(next.lines).toEqual(['Messages: read your messages'])
    expect((await next.tokens()).access.sub).toBe('rene')
  })

  it('an API with an _authz dialect gets the user’s permissions in the access token', async () => {
    const audience = encodeURIComponent(DEMO.audience)
    await api('PATCH', `/resource-servers/${audience}`, { token_dialect: 'access_token_authz' })
    await api('POST', '/users/pia/permissions', {
      permissions: ['read:contacts', 'read:messages'].map((permission_name) => ({
        resource_server_identifier: DEMO.audience,
        permission_name,
      })),
    })
    try {
      const pia = await (await login({ username: 'pia', scope: 'openid read:messages' })).tokens()
      expect(scopesOf(pia.access.scope)).toEqual(['read:messages'])
      // Every permission pia holds on the API, in the API's order, as Assent's decision says.
      expect(pia.access.permissions).toEqual(['read:messages', 'read:contacts'])
      const none = await (await login({ username: 'pax', scope: 'openid read:messages' })).tokens()
      expect(none.access.permissions).toEqual([])
    } finally {
      await api('PATCH', `/resource-servers/${audience}`, { token_dialect: 'access_token' })
    }
    const plain = await (await login({ username: 'pia', scope: 'openid read:messages' })).tokens()
    expect(plain.access).not.toHaveProperty('permissions')
  })

  it('RBAC at refresh: a permission taken away is missing from the next access token, and returns with it', async () => {
    const audience = encodeURIComponent(DEMO.audience)
    const permissions = (...names: string[]) => ({
      permissions: names.map((permission_name) => ({
        resource_server_identifier: DEMO.audience,
        permission_name,
      })),
    })
    await api('PATCH', `/resource-servers/${audience}`, {
      enforce_policies: true,
      token_dialect: 'rfc9068_profile_authz',
    })
    await api('POST', '/users/quin/permissions', permissions('read:messages', 'write:messages'))
    try {
      const quin = await login({
        username: 'quin',
        scope: 'openid offline_access read:messages write:messages',
        prompt: 'consent',
      })
      const first = await quin.tokens()
      expect(scopesOf(first.access.scope)).toEqual(['read:messages', 'write:messages'])
      expect(first.access.permissions).toEqual(['read:messages', 'write:messages'])

      await api('DELETE', '/users/quin/permissions', permissions('write:messages'))
      const narrowed = await refresh(quin.config, first.result.refresh_token)
      expect(scopesOf(narrowed.access.scope)).toEqual(['read:messages'])
      // The token response's `scope` is the access token's (RFC 6749 §5.1).
      expect(scopesOf(narrowed.result.scope)).toEqual(['read:messages'])
      expect(narrowed.access.permissions).toEqual(['read:messages'])

      // The consent was not touched: given back, the permission is in the next token again.
      await api('POST', '/users/quin/permissions', permissions('write:messages'))
      const restored = await refresh(
        quin.config,
        narrowed.result.refresh_token ?? first.result.refresh_token,
      )
      expect(scopesOf(restored.access.scope)).toEqual(['read:messages', 'write:messages'])
    } finally {
      await api('PATCH', `/resource-servers/${audience}`, {
        enforce_policies: false,
        token_dialect: 'access_token',
      })
    }
  })
})
