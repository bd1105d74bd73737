import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app/env.js'
import { randomToken } from '../ids.js'

export interface SecurityHeadersOptions {
  /** Whether the service is reached over https: cookies get `Secure`, HSTS is sent. */
  readonly https: boolean
}

/**
 * Origins a logo may load from: any https origin, and http on loopback (DESIGN §6). CSP has no
 * syntax for an IPv6 literal, so a `http://[::1]` logo is not shown (see `displayableLogo`).
 */
const IMAGE_SOURCES = "'self' https: http://localhost:* http://127.0.0.1:*"

/** A fresh nonce for the one `<style>` that carries tenant branding (CSP3 §7.1). */
export function styleNonce(): string {
  return randomToken(12, 'base64')
}

/** The Content-Security-Policy of DESIGN §6: no script at all, no framing, forms to `formActions`. */
export function contentSecurityPolicy(
  options: { nonce?: string | undefined; formActions?: readonly string[] } = {},
): string {
  return [
    "default-src 'none'",
    "script-src 'none'",
    options.nonce ? `style-src 'self' 'nonce-${options.nonce}'` : "style-src 'self'",
    `img-src ${IMAGE_SOURCES}`,
    `form-action ${["'self'", ...(options.formActions ?? [])].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ')
}

/**
 * Sets the page's policy: where its form's 303 may lead, and the nonce of its branding style.
 * Called as the page renders, before its response exists, like every header here: changing the
 * headers of a response already made costs a copy of it on every request.
 */
export function setPagePolicy(c: Context<AppEnv>, nonce: string | undefined): void {
  c.header(
    'Content-Security-Policy',
    contentSecurityPolicy({ nonce, formActions: c.get('formActions') }),
  )
}

/** The headers of DESIGN §6 on every response, set before the handler runs. */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler<AppEnv> {
  const policy = contentSecurityPolicy()
  return async function securityHeadersMiddleware(c, next) {
    c.set('formActions', [])
    c.header('Content-Security-Policy', policy)
    c.header('X-Frame-Options', 'DENY')
    // DESIGN §6: only the origin leaves a page (never a path or an id), and form posts keep a
    // real `Origin` for the same-origin check.
    c.header('Referrer-Policy', 'strict-origin')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Cross-Origin-Opener-Policy', 'same-origin')
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (options.https) c.header('Strict-Transport-Security', 'max-age=31536000')
    await next()
  }
}
