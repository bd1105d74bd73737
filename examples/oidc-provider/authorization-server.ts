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
 * server then drops its own Grant and the tokens issued under it, so the next authorization asks
 * for consent again.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import { LRUCache } from 'lru-cache'
import Provider, { type ClientMetadata, errors, type KoaContextWithOIDC } from 'oidc-provider'
import { Webhook } from 'standardwebhooks'
// In your own authorization server: `from 'assent/client'`.
import { AssentClient, type ConsentDecision, readConsentReturn } from '../../src/client/index.js'

export interface AssentConnection {
  /** Where Assent is, e.g. `http://localhost:3000`. */
  readonly url: string
  /**
   * A management token with `create:consent_requests read:consent_requests read:resource_servers`,
   * and `create:portal_sessions` for the connected-apps link.
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

export async function startAuthorizationServer(options: AuthorizationServerOptions) {
  const host = options.host ?? '127.0.0.1'
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve))
  const { port } = server.address() as AddressInfo
  const issuer = `http://${host}:${port}`

  const assent = new AssentClient(options.assent)
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'example', alg: 'RS256', use: 'sig' }

  const provider = new Provider(issuer, {
    clients: options.clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: ['assent-example-cookie-key-change-me'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub }),
    }),
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => options.defaultAudience,
        useGrantedResource: async () => true,
        // The API's scopes come from Assent: one source of truth for what can be asked.
        async getResourceServerInfo(_ctx: KoaContextWithOIDC, indicator: string) {
          // Resource servers are outside the consent client; one plain call reads them.
          const found = await fetch(
            `${options.assent.url}/api/v2/resource-servers/${encodeURIComponent(indicator)}`,
            { headers: { authorization: `Bearer ${options.assent.token}` } },
          )
          if (found.status !== 200) throw new errors.InvalidTarget()
          const api = (await found.json()) as { identifier: string; scopes: { value: string }[] }
          return {
            scope: api.scopes.map((scope) => scope.value).join(' '),
            audience: api.identifier,
            accessTokenFormat: 'jwt' as const,
            jwt: { sign: { alg: 'RS256' as const } },
          }
        },
      },
    },
  })

  // The consent request opened for each interaction, kept on this side: what comes back in the
  // URL is only believed when it names that request. Bounded, and gone with the interaction.
  const openedFor = new LRUCache<string, string>({ max: 10_000, ttl: 15 * 60_000 })
  // The Grants saved for each user and client, so a revocation in Assent finds them here (the
  // memory adapter cannot be searched by account). A real AS would query its own storage.
  const grantsOf = new LRUCache<string, Set<string>>({ max: 10_000 })
  const grantKey = (accountId: string, clientId: string) => `${accountId}\u0000${clientId}`

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
    const grantId = await grant.save()
    const key = grantKey(accountId, clientId)
    grantsOf.set(key, (grantsOf.get(key) ?? new Set<string>()).add(grantId))
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
      const expected = openedFor.get(uid)
      if (!expected || back.consent_request !== expected)
        throw new errors.InvalidRequest('unknown consent request')
      const decision = await assent
        .verify(back.consent_request, back.consent_verifier)
        .catch((error: unknown) => {
          throw new errors.InvalidRequest(
            `consent could not be verified: ${error instanceof Error ? error.message : error}`,
          )
        })
      openedFor.delete(uid)
      await finishWith(req, res, decision)
      return
    }

    // Ask Assent; it answers at once when no page is needed.
    const opened = await assent.createConsentRequest({
      client_id: String(params.client_id),
      user_id: details.session?.accountId ?? '',
      user_name: details.session?.accountId,
      audience: typeof params.resource === 'string' ? params.resource : options.defaultAudience,
      scope: typeof params.scope === 'string' ? params.scope : 'openid',
      redirect_uri: String(params.redirect_uri),
      return_to: `${issuer}/interaction/${uid}/consent`,
      state: uid,
      // With granular consent on, the user may untick any line but signing in itself.
      required_scopes: 'openid',
      ...(typeof params.prompt === 'string' && params.prompt.includes('consent')
        ? { prompt: 'consent' }
        : {}),
      ...(typeof params.ui_locales === 'string' ? { ui_locales: params.ui_locales } : {}),
    })
    if (opened.status === 'pending') {
      openedFor.set(uid, opened.id)
      res.writeHead(303, { location: opened.consent_url, 'content-length': '0' })
      res.end()
      return
    }
    // Decided without a page (DESIGN §3.3): the decision is readable at once.
    const decided = await assent.getConsentRequest(opened.id)
    if (!('scope' in decided)) throw new Error('Assent returned no decision')
    await finishWith(req, res, decided)
  }

  /**
   * The user took back what they allowed `clientId` (in Assent's connected-apps page, or an admin
   * did): the Grant goes, and the tokens and codes issued under it. Structured (JWT) access tokens
   * are not stored and stay valid until they expire; keep them short-lived.
   */
  async function revokeGrants(accountId: string, clientId: string) {
    const key = grantKey(accountId, clientId)
    for (const grantId of grantsOf.get(key) ?? []) {
      await Promise.all([
        provider.AccessToken.revokeByGrantId(grantId),
        provider.RefreshToken.revokeByGrantId(grantId),
        provider.AuthorizationCode.revokeByGrantId(grantId),
      ])
      await (await provider.Grant.find(grantId))?.destroy()
    }
    grantsOf.delete(key)
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
        server.close(() => resolve())
      }),
  }
}
