/**
 * The peer: oidc-provider's own consent page (its development interactions), for the same
 * client and scopes as Assent's page. Run as its own process (`node --import tsx bench/peer.ts`),
 * it prints one JSON line: the page's URL, the browser's cookie and the page's size.
 */
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'
import { FormBrowser } from '../test/support/form-browser.js'
import { API_SCOPES, REQUEST_SCOPE } from './tenant.js'

export async function startPeer(apiScopes: string[], requestScope: string) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const provider = new Provider('http://127.0.0.1', {
    clients: [
      {
        client_id: 'bench-client',
        client_secret: 'bench-secret',
        redirect_uris: ['https://client.bench.example/cb'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'bench', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['bench-cookie-key'] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => 'https://api.bench.example/',
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: apiScopes.join(' '),
          audience: 'https://api.bench.example/',
          accessTokenFormat: 'jwt' as const,
        }),
      },
    },
  })
  const { createServer } = await import('node:http')
  const server = createServer(provider.callback())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  // The issuer's port is only known now; oidc-provider builds URLs from the request's Host.
  const base = `http://127.0.0.1:${port}`

  // Sign in through the development login form, up to the consent page.
  const browser = new FormBrowser()
  const start = new URL(`${base}/auth`)
  start.search = new URLSearchParams({
    client_id: 'bench-client',
    redirect_uri: 'https://client.bench.example/cb',
    response_type: 'code',
    scope: requestScope,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString()
  let url = start
  for (let step = 0; step < 10; step++) {
    const res = await browser.request(url)
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location') ?? '', url)
      continue
    }
    const html = await res.text()
    if (html.includes('name="login"')) {
      const login = await browser.postForm(
        url,
        { prompt: 'login', login: 'bench-user', password: 'x' },
        url,
      )
      url = new URL(login.headers.get('location') ?? '', url)
      continue
    }
    if (html.includes('name="prompt" value="consent"')) {
      const cookie = browser.cookieHeader(url)
      return {
        url: url.href,
        cookie,
        bytes: Buffer.byteLength(html),
        close: () => new Promise<void>((r) => server.close(() => r())),
      }
    }
    throw new Error(`peer: unexpected page at ${url.href}`)
  }
  throw new Error('peer: no consent page reached')
}

if (process.argv[1]?.endsWith('peer.ts')) {
  const peer = await startPeer(
    API_SCOPES.map((s) => s.value),
    REQUEST_SCOPE,
  )
  process.stdout.write(
    `${JSON.stringify({ url: peer.url, cookie: peer.cookie, bytes: peer.bytes })}\n`,
  )
  process.on('SIGTERM', () => {
    void peer.close().then(() => process.exit(0))
  })
}
