import { randomBytes } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../http.js'

export interface SecurityHeadersOptions {
  /** Whether the service is reached over https: cookies get `Secure`, HSTS is sent. */
  readonly https: boolean
}

/**
 * Origins a logo may load from: any https origin, and http on loopback (DESIGN §6). CSP has no
 * syntax for an IPv6 literal, so a `http://[::1]` logo is not shown (see `displayableLogo`).
 */
const IMAGE_SOURCES = "'self' https: http://localhost:* http://127.0.0.1:*"

/**
 * The headers of DESIGN §6 on every response. No script runs on any page, so the policy allows
 * none; a page may add an origin to `form-action` (where its form's 303 leads) and uses the
 * per-response nonce for the one `<style>` that carries tenant branding.
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler<AppEnv> {
  return async function securityHeadersMiddleware(c, next) {
    const nonce = randomBytes(12).toString('base64')
    c.set('styleNonce', nonce)
    c.set('formActions', [])
    await next()
    const formActions = ["'self'", ...c.get('formActions')].join(' ')
    c.header(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        "script-src 'none'",
        `style-src 'self' 'nonce-${nonce}'`,
        `img-src ${IMAGE_SOURCES}`,
        `form-action ${formActions}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join('; '),
    )
    c.header('X-Frame-Options', 'DENY')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Cross-Origin-Opener-Policy', 'same-origin')
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (options.https) c.header('Strict-Transport-Security', 'max-age=31536000')
  }
}
