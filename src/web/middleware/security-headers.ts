import { randomToken } from '../../ids.js'

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

const POLICY_START = "default-src 'none'; script-src 'none'; "
const POLICY_MIDDLE = `; img-src ${IMAGE_SOURCES}; form-action 'self'`
const POLICY_END = "; frame-ancestors 'none'; base-uri 'none'"

/**
 * The Content-Security-Policy of DESIGN §6: no script at all, no framing, forms to `formActions`.
 * Written on every page, so only the nonce and the origins are put together each time.
 */
export function contentSecurityPolicy(
  options: { nonce?: string | undefined; formActions?: readonly string[] } = {},
): string {
  const style = options.nonce ? `style-src 'self' 'nonce-${options.nonce}'` : "style-src 'self'"
  let actions = ''
  for (const origin of options.formActions ?? []) actions += ` ${origin}`
  return POLICY_START + style + POLICY_MIDDLE + actions + POLICY_END
}

/**
 * The headers of DESIGN §6 that every response carries, names in lower case. A page sets its own
 * `content-security-policy` (its nonce and `form-action` origins) in place of the default one.
 */
export function securityHeaders(options: SecurityHeadersOptions): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': contentSecurityPolicy(),
    'x-frame-options': 'DENY',
    // DESIGN §6: only the origin leaves a page (never a path or an id), and form posts keep a
    // real `Origin` for the same-origin check.
    'referrer-policy': 'strict-origin',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  })
}
