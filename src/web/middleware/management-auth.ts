import type { MiddlewareHandler } from 'hono'
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose'
import type { Tenant } from '../../entities.js'
import { AppError } from '../../errors.js'
import type { GrantedScopes } from '../../read-models.js'
import type { AppEnv } from '../context.js'
import { bearerToken, secretMatcher } from '../edge/bearer.js'

export interface ManagementAuthOptions {
  /** The static admin token: every scope, every tenant (DESIGN §4.3). */
  readonly adminToken: string
  readonly jwt?: { readonly jwksUrl: string; readonly issuer: string } | undefined
}

/** A good token: its scopes, and how long it stays good (`null`: the static token, no end). */
export interface VerifiedToken {
  readonly scopes: GrantedScopes
  /** Who the token speaks for, as the audit trail names them: its `sub`, or `admin token`. */
  readonly subject: string
  readonly secondsLeft: number | null
}

/** Leeway for clocks that disagree a little (RFC 7519 §4.1.4 "some small leeway"). */
const CLOCK_TOLERANCE_SECONDS = 30

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

/**
 * Checks a management token (DESIGN §4.3): the static admin token, compared in constant time,
 * or a JWT from the configured issuer whose audience is this tenant's API. Resolves to the
 * token's scopes, or `undefined` when the token is not good.
 */
export function createTokenVerifier(options: ManagementAuthOptions) {
  const isAdminToken = secretMatcher(options.adminToken)
  const jwks: JWTVerifyGetKey | undefined = options.jwt
    ? createRemoteJWKSet(new URL(options.jwt.jwksUrl), {
        timeoutDuration: 5000,
        cooldownDuration: 30_000,
      })
    : undefined

  return async function verifyToken(
    token: string,
    tenant: Tenant,
  ): Promise<VerifiedToken | undefined> {
    if (isAdminToken(token)) return { scopes: 'all', secondsLeft: null, subject: 'admin token' }
    if (!jwks || !options.jwt || token.split('.').length !== 3) return undefined
    try {
      // DESIGN §6: a management JWT must say when it ends; one that never does is refused.
      const { payload } = await jwtVerify(token, jwks, {
        issuer: options.jwt.issuer,
        audience: tenant.domains.map((domain) => `https://${domain}/api/v2/`),
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      })
      const now = Date.now() / 1000
      // jose checks `iat` only against a maximum age; a token issued in the future is refused.
      if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_TOLERANCE_SECONDS)
        return undefined
      const scope = typeof payload.scope === 'string' ? payload.scope : ''
      return {
        scopes: new Set(scope.split(' ').filter(Boolean)),
        secondsLeft: Math.max(0, (payload.exp as number) - now),
        subject: typeof payload.sub === 'string' ? payload.sub.slice(0, 300) : 'token without sub',
      }
    } catch {
      return undefined
    }
  }
}

/**
 * The Management API's bearer authentication; sets the caller's scopes on the context. Not hono's
 * `bearerAuth`, for the reason given in `staticToken`: its refusals are not the Auth0 error format
 * a Management API client reads.
 */
export function managementAuth(
  verify: ReturnType<typeof createTokenVerifier>,
): MiddlewareHandler<AppEnv> {
  return async function managementAuthMiddleware(c, next) {
    const token = bearerToken(c.req.header('authorization'))
    if (!token) {
      throw new AppError(401, 'invalid_token', 'Missing authentication', {
        'WWW-Authenticate': 'Bearer',
      })
    }
    const verified = await verify(token, c.get('tenant'))
    if (!verified) {
      // RFC 6750 §3: the challenge names the scheme, and the error when a token was sent.
      throw new AppError(401, 'invalid_token', 'Invalid token', {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      })
    }
    c.set('scopes', verified.scopes)
    c.set('actor', { subject: verified.subject, via: 'api' })
    await next()
  }
}

/** Whether `granted` includes any of `scopes`. */
export function hasAnyScope(
  granted: GrantedScopes | undefined,
  scopes: readonly string[],
): boolean {
  if (scopes.length === 0 || granted === 'all') return true
  return granted !== undefined && scopes.some((scope) => granted.has(scope))
}

/** Fails with Auth0's 403 unless the caller holds one of `scopes`. */
export function requireAnyScope(
  granted: GrantedScopes | undefined,
  scopes: readonly string[],
): void {
  if (!hasAnyScope(granted, scopes)) {
    throw new AppError(
      403,
      'insufficient_scope',
      `Insufficient scope, expected any of: ${scopes.join(',')}`,
    )
  }
}

/** A route's scope guard: the caller needs any one of `scopes` (DESIGN §4). */
export function requireScopes(scopes: readonly string[]): MiddlewareHandler<AppEnv> {
  return async function requireScopesMiddleware(c, next) {
    requireAnyScope(c.get('scopes'), scopes)
    await next()
  }
}
