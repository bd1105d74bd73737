/**
 * A Better Auth server with the OAuth 2.1 provider plugin (`@better-auth/oauth-provider`) whose
 * consent page is Assent.
 *
 * Better Auth sends the browser to its `consentPage` (here `/consent`) with a signed copy of the
 * authorization request. That page opens a consent request in Assent and sends the browser to
 * Assent's prompt; when Assent sends it back (`/consent/return`), this server redeems the
 * verifier with `assent/client` and completes Better Auth's consent (`POST /oauth2/consent`)
 * with exactly the scopes the user granted, or declines it. Better Auth then issues the code,
 * and remembers the consent, so the next authorization for those scopes asks nobody.
 *
 * The database is SQLite through the better-sqlite3 Assent already ships (12 on Node 20, 13 on
 * Node 22 and later). The sign-in form is the smallest that works: any name, no password kept
 * (an example, not an account system).
 */

import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { oauthProvider } from '@better-auth/oauth-provider'
import { betterAuth } from 'better-auth'
import { getMigrations } from 'better-auth/db/migration'
import { toNodeHandler } from 'better-auth/node'
import { jwt } from 'better-auth/plugins'
import { LRUCache } from 'lru-cache'
// In your own authorization server: `from 'assent/client'`.
import { AssentClient, type ConsentDecision, readConsentReturn } from '../../src/client/index.js'
import { SqliteDatabase } from '../../src/store/sqlite-driver.js'

export interface BetterAuthServerOptions {
  readonly port?: number
  readonly host?: string
  /** Where Assent is and a token with `create:consent_requests read:consent_requests`
   * (and `read:resource_servers`, to learn the API's scopes). */
  readonly assent: { readonly url: string; readonly token: string }
  /** The API (Assent resource server identifier) the scopes belong to. */
  readonly audience: string
  /** Better Auth's SQLite file; in memory when absent. */
  readonly databasePath?: string
  /** Better Auth's secret (signs sessions and the redirected authorization request). */
  readonly secret?: string
}

const STANDARD = ['openid', 'profile', 'email', 'offline_access']
const BASE_PATH = '/api/auth'
const PENDING_COOKIE = 'assent_consent'
// The example's only password: the sign-in form takes a name and nothing else.
const EXAMPLE_PASSWORD = 'example-password-not-a-secret'

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = ''
  for await (const chunk of req) {
    body += chunk
    if (body.length > 16_384) throw new Error('form too large')
  }
  return new URLSearchParams(body)
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

/** What a consent page remembers while the browser is at Assent. */
interface PendingConsent {
  /** The signed authorization request, exactly as Better Auth sent it to `/consent`. */
  readonly oauthQuery: string
  readonly consentRequest: string
  readonly userId: string
}

export async function startBetterAuthServer(options: BetterAuthServerOptions) {
  const host = options.host ?? '127.0.0.1'
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://${host}:${port}`
  const assent = new AssentClient(options.assent)

  // The API's scopes come from Assent: one source of truth for what may be asked.
  const api = await fetch(
    `${options.assent.url}/api/v2/resource-servers/${encodeURIComponent(options.audience)}`,
    { headers: { authorization: `Bearer ${options.assent.token}` } },
  )
  if (!api.ok) throw new Error(`Assent does not know the API ${options.audience}: ${api.status}`)
  const apiScopes = ((await api.json()) as { scopes: { value: string }[] }).scopes.map(
    (scope) => scope.value,
  )

  const database = new SqliteDatabase(options.databasePath ?? ':memory:')
  const auth = betterAuth({
    baseURL: base,
    basePath: BASE_PATH,
    secret: options.secret ?? 'assent-example-better-auth-secret-change-me',
    database,
    emailAndPassword: { enabled: true },
    trustedOrigins: [base],
    telemetry: { enabled: false },
    // The OAuth provider's token endpoint replaces the jwt plugin's `/token`.
    disabledPaths: ['/token'],
    plugins: [
      jwt(),
      oauthProvider({
        loginPage: '/sign-in',
        consentPage: '/consent',
        scopes: [...STANDARD, ...apiScopes],
      }),
    ],
  })
  const { runMigrations } = await getMigrations(auth.options)
  await runMigrations()
  const authHandler = toNodeHandler(auth)

  /** Calls a Better Auth endpoint as the browser would (its cookies, this origin), for JSON. */
  async function callAuth(req: IncomingMessage, path: string, body: unknown) {
    const headers = new Headers({
      'content-type': 'application/json',
      accept: 'application/json',
      origin: base,
    })
    if (req.headers.cookie) headers.set('cookie', req.headers.cookie)
    return auth.handler(
      new Request(`${base}${BASE_PATH}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      }),
    )
  }

  /** Sends the browser where a Better Auth JSON answer says, with the cookies it set. */
  async function follow(res: ServerResponse, answer: Response) {
    const body = (await answer.json().catch(() => ({}))) as {
      url?: string
      redirect_uri?: string
      message?: string
      error_description?: string
    }
    const location = body.url ?? body.redirect_uri
    if (!answer.ok || !location)
      throw new Error(`Better Auth answered ${answer.status}: ${JSON.stringify(body)}`)
    res.writeHead(303, {
      location,
      'set-cookie': answer.headers.getSetCookie(),
      'content-length': '0',
    })
    res.end()
  }

  // Per browser, while it is at Assent: bounded, and short-lived like the request itself.
  const pending = new LRUCache<string, PendingConsent>({ max: 10_000, ttl: 15 * 60_000 })

  async function signIn(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method !== 'POST') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body><main><h1>Sign in</h1>
<form method="post" action="/sign-in${escapeHtml(url.search)}">
<label>User name <input name="username" autocomplete="username" required autofocus></label>
<button type="submit">Sign in</button></form></main></body></html>`)
      return
    }
    const name = (await readForm(req)).get('username')?.trim() ?? ''
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-')
    if (!slug) throw new Error('a user name is required')
    // The signed authorization request rides along, so Better Auth resumes it after sign-in.
    const oauthQuery = url.search.slice(1)
    const credentials = { email: `${slug}@users.example`, password: EXAMPLE_PASSWORD }
    let answer = await callAuth(req, '/sign-in/email', { ...credentials, oauth_query: oauthQuery })
    if (answer.status === 401)
      answer = await callAuth(req, '/sign-up/email', {
        ...credentials,
        name,
        oauth_query: oauthQuery,
      })
    await follow(res, answer)
  }

  /** Better Auth needs consent: ask Assent instead of showing a page of our own. */
  async function consent(req: IncomingMessage, res: ServerResponse, url: URL) {
    const session = await auth.api.getSession({
      headers: new Headers({ cookie: req.headers.cookie ?? '' }),
    })
    if (!session) throw new Error('not signed in')
    const params = url.searchParams
    const key = randomBytes(16).toString('base64url')
    const opened = await assent.createConsentRequest({
      client_id: params.get('client_id') ?? '',
      user_id: session.user.id,
      user_name: session.user.name,
      user_email: session.user.email,
      audience: params.get('resource') ?? options.audience,
      scope: params.get('scope') ?? 'openid',
      redirect_uri: params.get('redirect_uri') ?? '',
      return_to: `${base}/consent/return`,
      state: key,
      ...(params.get('prompt')?.split(' ').includes('consent') ? { prompt: 'consent' } : {}),
      ...(params.get('ui_locales') ? { ui_locales: params.get('ui_locales') ?? '' } : {}),
    })
    const waiting = {
      oauthQuery: url.search.slice(1),
      consentRequest: opened.id,
      userId: session.user.id,
    }
    if (opened.status !== 'pending') {
      // Decided without a page (everything granted before, or prompt=none): finish now.
      const decided = await assent.getConsentRequest(opened.id)
      if (!('scope' in decided)) throw new Error('Assent returned no decision')
      await finish(req, res, waiting, decided)
      return
    }
    pending.set(key, waiting)
    res.writeHead(303, {
      location: opened.consent_url,
      // Binds the answer to this browser: only it can finish what it started.
      'set-cookie': `${PENDING_COOKIE}=${key}; Path=/consent; HttpOnly; SameSite=Lax; Max-Age=900`,
      'content-length': '0',
    })
    res.end()
  }

  /** Back from Assent: redeem the verifier, then tell Better Auth what was granted. */
  async function consentReturn(req: IncomingMessage, res: ServerResponse, url: URL) {
    const back = readConsentReturn(url)
    const key = back.state ?? ''
    const waiting = pending.get(key)
    if (
      !waiting ||
      cookie(req, PENDING_COOKIE) !== key ||
      back.consent_request !== waiting.consentRequest
    )
      throw new Error('unknown consent request')
    pending.delete(key)
    const decision = await assent.verify(back.consent_request, back.consent_verifier)
    await finish(req, res, waiting, decision)
  }

  async function finish(
    req: IncomingMessage,
    res: ServerResponse,
    waiting: PendingConsent,
    decision: ConsentDecision,
  ) {
    const session = await auth.api.getSession({
      headers: new Headers({ cookie: req.headers.cookie ?? '' }),
    })
    if (!session || session.user.id !== waiting.userId || decision.user_id !== waiting.userId)
      throw new Error('decision for someone else')
    const requested = new URLSearchParams(waiting.oauthQuery).get('scope')?.split(' ') ?? []
    const granted = requested.filter((scope) => decision.granted_scopes.includes(scope))
    const answer = await callAuth(
      req,
      '/oauth2/consent',
      decision.status === 'accepted'
        ? { accept: true, scope: granted.join(' '), oauth_query: waiting.oauthQuery }
        : { accept: false, oauth_query: waiting.oauthQuery },
    )
    await follow(res, answer)
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base)
    const route =
      url.pathname === '/sign-in'
        ? signIn
        : url.pathname === '/consent'
          ? consent
          : url.pathname === '/consent/return'
            ? consentReturn
            : undefined
    if (!route) {
      void authHandler(req, res)
      return
    }
    route(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
        res.end(error instanceof Error ? error.message : 'request failed')
      }
    })
  })

  return {
    issuer: `${base}${BASE_PATH}`,
    auth,
    /** Registers an OAuth client in Better Auth (confidential (client_secret_post, openid-client's default), code + PKCE). */
    async createClient(input: { name: string; redirectUri: string }) {
      // Clients belong to a signed-in user: an operator account, made once, signs in for this.
      const operator = await auth.api.signUpEmail({
        body: {
          name: 'Operator',
          email: `operator-${randomBytes(6).toString('hex')}@operators.example`,
          password: randomBytes(24).toString('base64url'),
        },
        returnHeaders: true,
      })
      const sessionCookie = operator.headers
        .getSetCookie()
        .map((line) => line.split(';')[0])
        .join('; ')
      const created = await auth.api.adminCreateOAuthClient({
        headers: new Headers({ cookie: sessionCookie }),
        body: {
          client_name: input.name,
          redirect_uris: [input.redirectUri],
          token_endpoint_auth_method: 'client_secret_post',
          // Better Auth takes http loopback redirect URIs (a client on this machine, as in the
          // example and its tests) from native clients only; a web client needs https.
          application_type: /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(input.redirectUri)
            ? 'native'
            : 'web',
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      })
      return { clientId: created.client_id, clientSecret: created.client_secret ?? '' }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          database.close()
          resolve()
        })
      }),
  }
}
