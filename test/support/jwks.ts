import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'

/** A token issuer: an RSA key, its JWKS served over loopback, and a way to sign tokens. */
export async function startIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [jwk] }))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const issuer = `http://127.0.0.1:${port}/`

  return {
    issuer,
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    /**
     * Signs a token; `payload` may override `iss`, `aud`, `exp`, `iat` and `scope`;
     * `exp: null` signs one without `exp`.
     */
    async sign(
      payload: Omit<JWTPayload, 'exp'> & { scope?: string; exp?: number | null },
      key = privateKey,
    ): Promise<string> {
      const { exp, ...claims } = payload
      const jwt = new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer((payload.iss as string | undefined) ?? issuer)
        .setIssuedAt(payload.iat as number | undefined)
      if (exp !== null) jwt.setExpirationTime(exp ?? '5m')
      return jwt.sign(key)
    },
    async otherKey() {
      return (await generateKeyPair('RS256')).privateKey
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
