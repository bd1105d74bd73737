import type { MiddlewareHandler } from 'hono'
import { AppError } from '../../errors.js'
import type { AppEnv } from '../context.js'
import { bearerToken, secretMatcher } from './bearer.js'

/**
 * Lets a request through only with `Authorization: Bearer <secret>`, compared in constant time;
 * otherwise a 401 whose challenge names the scheme, and the error when a token was sent
 * (RFC 6750 §3). Not hono's `bearerAuth`: it answers with responses of its own (plain text, a
 * 400 for a header that is not a bearer token) that carry neither the service's error format
 * (DESIGN §4.1) nor, through the error handler, their challenge.
 */
export function staticToken(secret: string): MiddlewareHandler<AppEnv> {
  const matches = secretMatcher(secret)
  return async function staticTokenMiddleware(c, next) {
    const token = bearerToken(c.req.header('authorization'))
    if (!token)
      throw new AppError(401, 'invalid_token', 'Missing authentication', {
        'WWW-Authenticate': 'Bearer',
      })
    if (!matches(token))
      throw new AppError(401, 'invalid_token', 'Invalid token', {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      })
    await next()
  }
}
