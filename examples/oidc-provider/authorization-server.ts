/**
 * An OpenID Connect authorization server (oidc-provider) whose consent prompt is Assent.
 *
 * When oidc-provider needs consent, this server opens a consent request in Assent, sends the
 * browser to its page, and, when Assent sends the browser back, reads the decision and finishes
 * the interaction with a Grant holding exactly the scopes the user granted (and the rest
 * rejected, so oidc-provider does not ask again). Access tokens are JWTs for the API, through
 * resource indicators (RFC 8707). The login form is the smallest that works: any user name.
 *
 * Users manage what they allowed on Assent's connected-apps page: `GET /connected-apps` opens a
 * portal session for the signed-in user and sends the browser there. When a user removes an app,
 * Assent sends `grant.revoked` to `POST /assent/webhooks` (signed per Standard Webhooks); this
 * server then finds that user's Grants for that client in its own storage (SQLite, see
 * `sqlite-adapter.ts`, so a restart forgets nothing), drops them and the tokens issued under them,
 * and the next authorization asks for consent again.
 *
 * RBAC is applied when a token is issued, from a code or from a refresh token: for an API that
 * enforces policies the access token carries only the scopes the user holds as permissions at
 * that moment (Assent's Management API says which), so taking a permission away narrows the next
 * refresh. An API with an `_authz` token dialect also gets the user's permissions in the token's
 * `permissions` claim, as Auth0's dialects do.
 *
 * Devices sign in too (RFC 8628, `device-flow.ts`): the user enters the device's code here and
 * compares it on Assent's page. Apps may register themselves (RFC 7591, `dynamic-registration.ts`),
 * and are registered in Assent as self-registered.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider, {
  type AccessToken,
  type ClientCredentials,
  type ClientMetadata,
  errors,
  type KoaContextWithOIDC,
} from 'oidc-provider'
import { Webhook } from 'standardwebhooks'
// In your own authorization server: `from 'assent/client'`.
import {
  AssentClient,
  type ConsentDecision,
  type ConsentRequestView,
  readConsentReturn,
} from '../../src/client/index.js'
import { endWithChosenDuration } from './chosen-duration.js'
import { deviceFlowFeature, deviceSignIn } from './device-flow.js'
import { registerInAssent } from './dynamic-registration.js'
import {
  requestedDetails,
  richAuthorizationRequests,
  withApprovedDetails,
} from './rich-authorization.js'
import { openOidcStorage } from './sqlite-adapter.js'

export interface AssentConnection {
  /** Where Assent is, e.g. `http://localhost:3000`. */
  readonly url: string
  /**
   * A management token with `create:consent_requests read:consent_requests read:resource_servers
   * read:users` (`read:users` reads a user's permissions when a token is issued),
   * `create:portal_sessions` for the connected-apps link, and `create:clients` for apps that
   * register themselves.
   */
  readonly token: string
  /** The signing secret of the webhook endpoint registered for `POST /assent/webhooks`. */
  readonly webhookSecret?: string
}

export interface AuthorizationServerOptions {
  readonly port?: number
  readonly host?: string
  readonly assent: AssentConnection
  readonly clients: ClientMetadata[]
  /** The API a request is about when it names none (`resource` parameter). */
  readonly defaultAudience: string
  /** Where the connected-apps page links back to (one of Assent's allowed return URLs). */
  readonly portalReturnTo?: string
  /**
   * oidc-provider's SQLite file: Grants, sessions, interactions, codes, refresh tokens and the
   * signing key. In memory when absent, so nothing survives a restart.
   */
  readonly databasePath?: string
  /**
   * RFC 9396 detail types clients may ask for in `authorization_details` (declared, with their
   * schemas and wording, on the API in Assent); none: the feature is off. See
   * `rich-authorization.ts`.
   */
  readonly authorizationDetailsTypes?: readonly string[]
}

/** What the AS reads of an API in Assent (`GET /api/v2/resource-servers/{id}`). */
interface AssentApi {
  identifier: string
  scopes: { value: string }[]
  enforce_policies?: boolean
  token_dialect?: string
}

/** One item of `GET /api/v2/users/{id}/permissions`. */
interface AssentPermission {
  resource_server_identifier: string
  permission_name: string
}

const STANDARD = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access'])

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let body = ''
  for await (const chunk of req) {
    body += chunk
    if (body.length > limit) throw new Error('body too large')
  }
  return body
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req, 16_384))
}

/**
 * The decision in a request read back from Assent, or undefined while there is none: `pending`
 * and `answered` (the browser answered, nobody verified yet) carry no outcome; only a request
 * decided at creation or already verified does (DESIGN §3.4).
 */
function decisionIn(view: ConsentRequestView): ConsentDecision | undefined {
  const decided = view.status === 'accepted' || view.status === 'denied'
  return decided && 'scope' in view ? view : undefined
}

export async function startAuthorizationServer(options: AuthorizationServerOptions) {
  const host = options.host ?? '127.0.0.1'
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve))
  const { port } = server.address() as AddressInfo
  const issuer = `http://${host}:${port}`

  const assent = new AssentClient(options.assent)
  const storage = openOidcStorage(options.databasePath ?? ':memory:')
  // The signing key is kept with the tokens: access tokens issued before a restart still verify
  // against the JWKS after it.
  const signingKey = await storage.keep('signing-key', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    return { ...(await exportJWK(privateKey)), kid: 'example', alg: 'RS256', use: 'sig' }
  })

  // What Assent says about an API and a user's permissions, read once per request to this server:
  // a token request asks for the API's scopes and again for the token's claims.
  const readOnce = new WeakMap<object, Map<string, Promise<unknown>>>()
  function once<T>(ctx: object, key: string, read: () => Promise<T>): Promise<T> {
    const reads = readOnce.get(ctx) ?? new Map<string, Promise<unknown>>()
    readOnce.set(ctx, reads)
    if (!reads.has(key)) reads.set(key, read())
    return reads.get(key) as Promise<T>
  }
  // Resource servers and permissions are outside the consent client; plain calls read them.
  const managementGet = (path: string) =>
    fetch(`${options.assent.url}/api/v2${path}`, {
      headers: { authorization: `Bearer ${options.assent.token}` },
      signal: AbortSignal.timeout(10_000),
    })

  const apiFor = (ctx: object, indicator: string) =>
    once(ctx, JSON.stringify(['api', indicator]), async () => {
      const found = await managementGet(`/resource-servers/${encodeURIComponent(indicator)}`)
      if (found.status !== 200) throw new errors.InvalidTarget()
      return (await found.json()) as AssentApi
    })

  /** The permissions `userId` holds on `audience` now, directly or through a role. */
  const permissionsFor = (ctx: object, userId: string, audience: string) =>
    once(ctx, JSON.stringify(['permissions', userId, audience]), async () => {
      const held = new Set<string>()
      for (let page = 0; ; page++) {
        const res = await managementGet(
          `/users/${encodeURIComponent(userId)}/permissions?per_page=100&include_totals=true&page=${page}`,
        )
        // Without an answer no token is issued: one issued unchecked could carry a scope the
        // user lost.
        if (res.status !== 200) throw new Error(`Assent answered ${res.status} for permissions`)
        const body = (await res.json()) as { total: number; permissions: AssentPermission[] }
        for (const permission of body.permissions)
          if (permission.resource_server_identifier === audience)
            held.add(permission.permission_name)
        if (body.permissions.length === 0 || (page + 1) * 100 >= body.total) return held
      }
    })

  /**
   * The API's scopes a token may carry. Issued to a user at the token endpoint (from a code or a
   * refresh token) for an API that enforces RBAC, only those the user holds now. The Grant, the
   * user's consent, is left as it is: a permission given back returns at the next refresh.
   */
  async function tokenScopes(ctx: KoaContextWithOIDC, api: AssentApi): Promise<string[]> {
    const scopes = api.scopes.map((scope) => scope.value)
    const accountId = ctx.oidc.route === 'token' ? ctx.oidc.entities.Account?.accountId : undefined
    if (!api.enforce_policies || !accountId) return scopes
    const held = await permissionsFor(ctx, accountId, api.identifier)
    return scopes.filter((scope) => held.has(scope))
  }

  /**
   * With an `_authz` token dialect (Auth0's `access_token_authz`, `rfc9068_profile_authz`), the
   * access token carries `permissions`: every permission the user holds on the API now, in the
   * API's order, as Assent's decision lists them (DESIGN §3.4).
   */
  async function permissionsClaim(ctx: KoaContextWithOIDC, token: AccessToken | ClientCredentials) {
    const accountId = 'accountId' in token ? token.accountId : undefined
    if (!token.resourceServer || !accountId) return undefined
    const api = await apiFor(ctx, token.resourceServer.identifier())
    if (!api.token_dialect?.endsWith('_authz')) return undefined
    const held = await permissionsFor(ctx, accountId, api.identifier)
    return {
      permissions: api.scopes.map((scope) => scope.value).filter((value) => held.has(value)),
    }
  }

  const provider = new Provider(issuer, {
    adapter: storage.adapter,
    clients: options.clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: ['assent-example-cookie-key-change-me'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub }),
    }),
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    extraTokenClaims: permissionsClaim,
    features: {
      devInteractions: { enabled: false },
      // Device sign-in (RFC 8628): see device-flow.ts.
      deviceFlow: deviceFlowFeature(),
      // Dynamic client registration (RFC 7591), open as MCP clients expect: dynamic-registration.ts.
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => options.defaultAudience,
        useGrantedResource: async () => true,
        // The API's scopes come from Assent: one source of truth for what can be asked.
        async getResourceServerInfo(ctx: KoaContextWithOIDC, indicator: string) {
          const api = await apiFor(ctx, indicator)
          return {
            scope: (await tokenScopes(ctx, api)).join(' '),
            audience: api.identifier,
            accessTokenFormat: 'jwt' as const,
            jwt: { sign: { alg: 'RS256' as const } },
          }
        },
      },
      ...(options.authorizationDetailsTypes
        ? {
            richAuthorizationRequests: richAuthorizationRequests(options.authorizationDetailsTypes),
          }
        : {}),
    },
  })

  // A client that registers itself is registered in Assent as self-registered (DESIGN §3.10).
  provider.use(registerInAssent(options.assent, storage.adapter('Client')))

  // The consent request opened for each interaction, kept beside it in the same storage: what
  // comes back in the URL is only believed when it names that request.
  const openedFor = storage.adapter('AssentConsentRequest')
  const OPENED_TTL = 15 * 60

  /** Ends the interaction with a Grant of exactly what Assent says the user granted. */
  async function finishWith(req: IncomingMessage, res: ServerResponse, decision: ConsentDecision) {
    const details = await provider.interactionDetails(req, res)
    if (decision.status !== 'accepted') {
      const error = decision.error === 'consent_required' ? 'consent_required' : 'access_denied'
      await provider.interactionFinished(req, res, {
        error,
        error_description: 'End-User did not give consent',
      })
      return
    }
    const accountId = details.session?.accountId ?? ''
    const clientId = String(details.params.client_id)
    if (decision.user_id !== accountId || decision.client_id !== clientId)
      throw new Error('decision for someone else')

    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId, clientId }))
      : new provider.Grant({ accountId, clientId })
    const granted = new Set(decision.granted_scopes)
    const requested = String(details.params.scope ?? '')
      .split(' ')
      .filter(Boolean)
    const oidc = requested.filter((scope) => STANDARD.has(scope))
    const api = requested.filter((scope) => !STANDARD.has(scope))
    const take = (list: string[], keep: boolean) =>
      list.filter((scope) => granted.has(scope) === keep).join(' ')
    if (take(oidc, true)) grant.addOIDCScope(take(oidc, true))
    if (take(oidc, false)) grant.rejectOIDCScope(take(oidc, false))
    const claims = (details.prompt.details.missingOIDCClaims as string[] | undefined) ?? []
    if (claims.length > 0) grant.addOIDCClaims(claims)
    const audience = decision.audience ?? options.defaultAudience
    if (take(api, true)) grant.addResourceScope(audience, take(api, true))
    if (take(api, false)) grant.rejectResourceScope(audience, take(api, false))
    withApprovedDetails(grant, decision)
    // As long as the user chose on Assent's page, when it offered a choice (chosen-duration.ts).
    endWithChosenDuration(grant, decision)
    // The storage indexes the Grant by account and client as it saves it (`sqlite-adapter.ts`).
    const grantId = await grant.save()
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    )
  }

  async function interaction(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    action: string | undefined,
  ) {
    const details = await provider.interactionDetails(req, res)
    if (details.uid !== uid) throw new errors.SessionNotFound('interaction mismatch')
    const { params, prompt } = details

    if (prompt.name === 'login') {
      if (req.method === 'POST' && action === 'login') {
        const name = (await readForm(req)).get('username')?.trim()
        if (!name) throw new errors.InvalidRequest('a user name is required')
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: name } },
          { mergeWithLastSubmission: false },
        )
        return
      }
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body><main><h1>Sign in to ${escapeHtml(String(params.client_id))}</h1>
<form method="post" action="/interaction/${uid}/login">
<label>User name <input name="username" autocomplete="username" required autofocus></label>
<button type="submit">Sign in</button></form></main></body></html>`)
      return
    }

    if (prompt.name !== 'consent')
      throw new errors.InvalidRequest(`unexpected prompt ${prompt.name}`)

    // Back from Assent. `interactionDetails` above already proved this is the browser that holds
    // this interaction's cookie; the consent request must be the one opened for it, and the
    // verifier is redeemed (which writes the grant in Assent) from this browser only.
    if (action === 'consent') {
      const back = readConsentReturn(new URL(req.url ?? '/', issuer))
      const expected = (await openedFor.find(uid))?.consentRequest
      if (typeof expected !== 'string' || back.consent_request !== expected)
        throw new errors.InvalidRequest('unknown consent request')
      const decision = await assent
        .verify(back.consent_request, back.consent_verifier)
        .catch((error: unknown) => {
          throw new errors.InvalidRequest(
            `consent could not be verified: ${error instanceof Error ? error.message : error}`,
          )
        })
      await openedFor.destroy(uid)
      await finishWith(req, res, decision)
      return
    }

    // A device sign-in says so, with the code the device shows, and has no redirect URI.
    const device = await deviceSignIn(provider, details)
    // Ask Assent; it answers at once when no page is needed.
    const opened = await assent.createConsentRequest({
      client_id: String(params.client_id),
      user_id: details.session?.accountId ?? '',
      user_name: details.session?.accountId,
      audience: typeof params.resource === 'string' ? params.resource : options.defaultAudience,
      scope: typeof params.scope === 'string' ? params.scope : 'openid',
      ...(device ?? { redirect_uri: String(params.redirect_uri) }),
      return_to: `${issuer}/interaction/${uid}/consent`,
      state: uid,
      // With granular consent on, the user may untick any line but signing in itself.
      required_scopes: 'openid',
      ...(typeof params.prompt === 'string' && params.prompt.includes('consent')
        ? { prompt: 'consent' }
        : {}),
      ...(typeof params.ui_locales === 'string' ? { ui_locales: params.ui_locales } : {}),
      ...requestedDetails(params),
    })
    if (opened.status === 'pending') {
      await openedFor.upsert(uid, { consentRequest: opened.id }, OPENED_TTL)
      res.writeHead(303, { location: opened.consent_url, 'content-length': '0' })
      res.end()
      return
    }
    // Decided without a page (DESIGN §3.3): the decision is readable at once.
    const decided = decisionIn(await assent.getConsentRequest(opened.id))
    if (!decided) throw new Error('Assent returned no decision')
    await finishWith(req, res, decided)
  }

  /**
   * The user took back what they allowed `clientId` (in Assent's connected-apps page, or an admin
   * did): the Grants go, found in this server's storage however long ago they were saved, and the
   * tokens and codes issued under them. Structured (JWT) access tokens are not stored and stay
   * valid until they expire; keep them short-lived.
   */
  async function revokeGrants(accountId: string, clientId: string) {
    for (const grantId of storage.grantIds(accountId, clientId)) {
      await Promise.all([
        provider.AccessToken.revokeByGrantId(grantId),
        provider.RefreshToken.revokeByGrantId(grantId),
        provider.AuthorizationCode.revokeByGrantId(grantId),
      ])
      // As oidc-provider's own revocation does: the Grant goes even if it has expired meanwhile.
      await provider.Grant.adapter.destroy(grantId)
    }
  }

  /** `POST /assent/webhooks`: Assent's events, believed only with a valid signature. */
  async function assentEvent(req: IncomingMessage, res: ServerResponse) {
    const secret = options.assent.webhookSecret
    if (!secret) {
      res.writeHead(404).end()
      return
    }
    const body = await readBody(req, 65_536)
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
    )
    let event: { type: string; data: { user_id?: string; client_id?: string } }
    try {
      event = new Webhook(secret).verify(body, headers) as typeof event
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad signature')
      return
    }
    // At least once: a repeat of the same event (same webhook-id) finds nothing left to revoke.
    if (
      (event.type === 'grant.revoked' || event.type === 'grant.deleted') &&
      event.data.user_id &&
      event.data.client_id
    )
      await revokeGrants(event.data.user_id, event.data.client_id)
    res.writeHead(204).end()
  }

  /** `GET /connected-apps`: a portal session in Assent for the signed-in user. */
  async function connectedApps(req: IncomingMessage, res: ServerResponse) {
    const session = await provider.Session.get(provider.createContext(req, res))
    if (!session.accountId) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('Sign in first')
      return
    }
    const link = await assent.createPortalSession(session.accountId, {
      ...(options.portalReturnTo ? { return_to: options.portalReturnTo } : {}),
    })
    res.writeHead(303, { location: link.url, 'cache-control': 'no-store', 'content-length': '0' })
    res.end()
  }

  const callback = provider.callback()
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0]
    const own =
      req.method === 'POST' && path === '/assent/webhooks'
        ? assentEvent
        : req.method === 'GET' && path === '/connected-apps'
          ? connectedApps
          : undefined
    if (own) {
      own(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          res.end(error instanceof Error ? error.message : 'failed')
        }
      })
      return
    }
    const match = /^\/interaction\/([\w-]+)(?:\/(login|consent))?(?:\?.*)?$/.exec(req.url ?? '')
    if (!match?.[1]) {
      callback(req, res)
      return
    }
    interaction(req, res, match[1], match[2]).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
        res.end(error instanceof Error ? error.message : 'interaction failed')
      }
    })
  })

  return {
    issuer,
    provider,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          storage.close()
          resolve()
        })
      }),
  }
}
