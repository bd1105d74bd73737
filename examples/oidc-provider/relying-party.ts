/**
 * The smallest relying party: a "Sign in" link, and a callback that exchanges the code
 * (authorization code + PKCE, with openid-client) and shows what the access token holds.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt } from 'jose'
import * as oidc from 'openid-client'

export interface RelyingPartyOptions {
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  readonly scope: string
  readonly port?: number
  readonly host?: string
  /** RFC 9396 entries every sign-in asks for (`authorization_details`), e.g. a payment. */
  readonly authorizationDetails?: readonly Readonly<Record<string, unknown>>[]
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export async function startRelyingParty(options: RelyingPartyOptions) {
  const host = options.host ?? '127.0.0.1'
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://${host}:${port}`
  const redirectUri = `${base}/callback`
  const pending = new Map<string, string>()
  let config: oidc.Configuration | undefined
  const configuration = async () =>
    (config ??= await oidc.discovery(
      new URL(options.issuer),
      options.clientId,
      options.clientSecret,
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    ))

  const page = (title: string, body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', base)
    const send = (status: number, html: string) => {
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end(html)
    }
    void (async () => {
      if (url.pathname === '/')
        return send(200, page('Example app', '<p><a href="/login">Sign in</a></p>'))
      if (url.pathname === '/login') {
        const verifier = oidc.randomPKCECodeVerifier()
        const state = oidc.randomState()
        pending.set(state, verifier)
        const target = oidc.buildAuthorizationUrl(await configuration(), {
          redirect_uri: redirectUri,
          scope: options.scope,
          state,
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          ...(url.searchParams.get('ui_locales')
            ? { ui_locales: url.searchParams.get('ui_locales') ?? '' }
            : {}),
          ...(options.authorizationDetails
            ? { authorization_details: JSON.stringify(options.authorizationDetails) }
            : {}),
        })
        res.writeHead(303, { location: target.href })
        return res.end()
      }
      if (url.pathname === '/callback') {
        const state = url.searchParams.get('state') ?? ''
        const verifier = pending.get(state)
        pending.delete(state)
        if (url.searchParams.has('error')) {
          return send(
            200,
            page(
              'Not signed in',
              `<p data-testid="error">${escapeHtml(url.searchParams.get('error') ?? '')}</p>`,
            ),
          )
        }
        if (!verifier) return send(400, page('Unknown sign-in', '<p>Start again.</p>'))
        const tokens = await oidc.authorizationCodeGrant(await configuration(), url, {
          pkceCodeVerifier: verifier,
          expectedState: state,
        })
        // A JWT access token says what it is for; an opaque one comes with the granted `scope`.
        const access =
          tokens.access_token.split('.').length === 3 ? decodeJwt(tokens.access_token) : undefined
        const scope = access ? String(access.scope ?? '') : (tokens.scope ?? '')
        return send(
          200,
          page(
            'Signed in',
            `<p>Access token for <code data-testid="audience">${escapeHtml(String(access?.aud ?? '(opaque)'))}</code>
<p>Scope: <code data-testid="scope">${escapeHtml(scope)}</code></p>
${access && 'authorization_details' in access ? `<p>Authorization details: <code data-testid="authorization-details">${escapeHtml(JSON.stringify(access.authorization_details))}</code></p>` : ''}
<p><a href="${escapeHtml(new URL('/connected-apps', options.issuer).href)}">Manage connected apps</a></p>`,
          ),
        )
      }
      send(404, page('Not found', ''))
    })().catch((error: unknown) => {
      // openid-client's errors carry the server's `error` and `error_description`: show them.
      const detail =
        error instanceof oidc.ResponseBodyError
          ? `${error.error}: ${error.error_description ?? ''}`
          : String(error)
      send(500, page('Error', `<pre>${escapeHtml(detail)}</pre>`))
    })
  })

  return {
    url: base,
    redirectUri,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
