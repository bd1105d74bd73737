import type { Context } from 'hono'
import { AppError } from '../../errors.js'
import type { AppEnv } from '../context.js'

/**
 * Refuses a form posted from another site, on every form POST (consent and admin pages). Pages
 * send `Referrer-Policy: strict-origin`, so a browser's same-origin post carries its real
 * `Origin` (Fetch §3.1); `Origin: null` comes from a sandboxed frame or a `data:` page and is
 * refused. Kept by hand rather than hono's `csrf()`: that one lets a post through when either
 * `Sec-Fetch-Site` or `Origin` is allowed, and refuses one that carries neither. Here each header
 * that is present must be right (a post whose `Origin` is foreign is refused whatever
 * `Sec-Fetch-Site` says), and a post with neither, from a client that is no browser, is left to
 * the form token; `Sec-Fetch-Site: none` (a post the user started) passes; two origins are this
 * service's own (the public URL, and the one the request reached); and the refusal is the
 * service's 403 `invalid_csrf`, not a plain-text `Forbidden`.
 */
export function checkSameOrigin(c: Context<AppEnv>, publicUrl: URL): void {
  if (c.req.method !== 'POST') return
  const origin = c.req.header('origin')
  const site = c.req.header('sec-fetch-site')
  if (origin !== undefined && origin !== publicUrl.origin && origin !== new URL(c.req.url).origin)
    throw new AppError(403, 'invalid_csrf', 'Cross-origin form post')
  if (site && site !== 'same-origin' && site !== 'none')
    throw new AppError(403, 'invalid_csrf', 'Cross-site form post')
}
