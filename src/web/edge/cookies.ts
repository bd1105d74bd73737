import { generateCookie } from 'hono/cookie'

/**
 * The value of the first cookie called `name` in a `Cookie` header (RFC 6265 §4.2: `name=value`
 * pairs separated by `; `) that `valid` accepts, its double quotes taken off; `undefined` when it
 * has none. A cookie another site tossed in first with a malformed value is passed over, as the
 * browser's own one follows. Values are taken as sent, never percent-decoded: the page and its
 * answer read them alike. Not hono's `getCookie`: its parser keeps the first cookie of a name
 * whose value passes hono's own syntax check, with no way to ask for the first that passes ours
 * (a shadowing cookie with a well-formed but wrong value would win), and it percent-decodes.
 * Cookies are set with hono's `generateCookie` (below).
 */
export function cookieValue(
  header: string | undefined,
  name: string,
  valid: RegExp = /^/,
): string | undefined {
  if (header === undefined || !header.includes(name)) return undefined
  let start = 0
  while (start < header.length) {
    let end = header.indexOf(';', start)
    if (end === -1) end = header.length
    const equals = header.indexOf('=', start)
    if (equals !== -1 && equals < end && header.slice(start, equals).trim() === name) {
      const raw = header.slice(equals + 1, end).trim()
      const value =
        raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw
      if (valid.test(value)) return value
    }
    start = end + 1
  }
  return undefined
}

/** A cookie that binds a browser to something or signs it in (DESIGN §6). */
export interface PageCookie {
  /** Its name on `http:`; behind `https:` it carries the `__Host-` prefix. */
  readonly name: string
  readonly sameSite: 'Lax' | 'Strict'
}

/**
 * Every such cookie, each by its own name: they all live at `Path=/` (a `__Host-` cookie must),
 * so a name is all that tells them apart.
 */
export const PAGE_COOKIES = {
  /** Binds a consent request to the browser that first opened it; anchors its form token. */
  consent: { name: 'assent_csrf', sameSite: 'Lax' },
  /** Anchors the admin sign-in form's token. */
  adminLogin: { name: 'assent_admin_login', sameSite: 'Strict' },
  admin: { name: 'assent_admin', sameSite: 'Strict' },
  /**
   * The connected-apps session. `Lax`: the AS sends the user to the page by a link from its own
   * site, and a reopened portal link must find the session it opened (DESIGN §3.7).
   */
  account: { name: 'assent_account', sameSite: 'Lax' },
  /** Anchors the form token of a portal link's "Continue" page. */
  accountLink: { name: 'assent_account_link', sameSite: 'Strict' },
} as const satisfies Record<string, PageCookie>

/** How this deployment names, reads and sets its page cookies. */
export interface PageCookies {
  /** The name `cookie` goes by here. */
  name(cookie: PageCookie): string
  /** As `cookieValue`, for `cookie` under its name here. */
  read(header: string | undefined, cookie: PageCookie, valid?: RegExp): string | undefined
  /** The `Set-Cookie` value that gives the browser `value`; `maxAge` 0 takes it away. */
  set(cookie: PageCookie, value: string, maxAge?: number): string
}

/**
 * Behind `https:` every page cookie is a `__Host-` cookie (RFC 6265bis §4.1.3.2): `Secure`,
 * `Path=/`, no `Domain`, so a sibling subdomain can neither set nor shadow one; the browser
 * refuses such a cookie from anywhere but this host over https. Over `http:` (local development)
 * the same names go without the prefix, which a browser would refuse there.
 */
export function pageCookies(options: { secure: boolean }): PageCookies {
  const { secure } = options
  const name = (cookie: PageCookie) => (secure ? `__Host-${cookie.name}` : cookie.name)
  return {
    name,
    read: (header, cookie, valid) => cookieValue(header, name(cookie), valid),
    set: (cookie, value, maxAge) =>
      // hono's serializer refuses a `__Host-` cookie that breaks the prefix's rules.
      generateCookie(cookie.name, value, {
        prefix: secure ? 'host' : undefined,
        path: '/',
        httpOnly: true,
        sameSite: cookie.sameSite,
        secure,
        maxAge,
      }),
  }
}
