import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { AppError } from '../errors.js'
import type { AppEnv } from '../http.js'

export interface ManagementAuthOptions {
  /** The static admin token: every scope, every tenant (DESIGN §4.3). */
  readonly adminToken: string
  readonly jwt?: { readonly jwksUrl: string; readonly issuer: string } | undefined
}

/** Algorithms a management JWT may be signed with; `none` and HMAC never (RFC 8725 §3.1). */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]

const digest = (text: string) => createHash('sha256').update(text).digest()

function unauthorized(message: string): AppError {
  // RFC 6750 §3: the challenge names the scheme, and the error when a token was sent.
  return new AppError(401, 'invalid_token', message, {
    'WWW-Authenticate': 'Bearer error="invalid_token"',
  })
}

/**
 * Who may call the Management API (DESIGN §4.3): the static admin token, compared in constant
 * time, or a JWT access token from the configured issuer whose audience is this tenant's API.
 */
export function managementAuth(options: ManagementAuthOptions): MiddlewareHandler<AppEnv> {
  const adminDigest = digest(options.adminToken)
  const jwks: JWTVerifyGetKey | undefined = options.jwt
    ? createRemoteJWKSet(new URL(options.jwt.jwksUrl), {
        timeoutDuration: 5000,
        cooldownDuration: 30_000,
      })
    : undefined

  return async function managementAuthMiddleware(c, next) {
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim())
    if (!match?.[1]) {
      throw new AppError(401, 'invalid_token', 'Missing authentication', {
        'WWW-Authenticate': 'Bearer',
      })
    }
    const token = match[1]
    if (timingSafeEqual(digest(token), adminDigest)) {
      c.set('scopes', 'all')
      return next()
    }
    if (!jwks || !options.jwt || token.split('.').length !== 3) throw unauthorized('Invalid token')

    const tenant = c.get('tenant')
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: options.jwt.issuer,
        audience: tenant.domains.map((domain) => `https://${domain}/api/v2/`),
        algorithms: ALGORITHMS,
      })
      const scope = typeof payload.scope === 'string' ? payload.scope : ''
      c.set('scopes', new Set(scope.split(' ').filter(Boolean)))
    } catch {
      throw unauthorized('Invalid token')
    }
    return next()
  }
}

/** Fails with Auth0's 403 unless the caller holds one of `scopes`. */
export function requireAnyScope(
  granted: ReadonlySet<string> | 'all' | undefined,
  scopes: readonly string[],
): void {
  if (scopes.length === 0 || granted === 'all') return
  if (granted && scopes.some((scope) => granted.has(scope))) return
  throw new AppError(
    403,
    'insufficient_scope',
    `Insufficient scope, expected any of: ${scopes.join(',')}`,
  )
}
