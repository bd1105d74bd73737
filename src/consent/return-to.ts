/**
 * Whether `returnTo` starts with one of the allowed URL prefixes (DESIGN §3.1), compared as URLs,
 * not as strings: the same scheme, host and port, and a path under the prefix's path on a segment
 * boundary. `https://as.example` does not allow `https://as.example.evil` nor `https://as.example@evil`.
 */
export function isAllowedReturnTo(returnTo: string, allowed: readonly string[]): boolean {
  let target: URL
  try {
    target = new URL(returnTo)
  } catch {
    return false
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return false
  if (target.username !== '' || target.password !== '') return false
  // `%2f`, `%5c` and `%2e` in the path are `/`, `\` and `.` to many servers after the prefix check
  // passed: `/resume/..%2f..%2fadmin` would walk out of `/resume/`. Refused outright.
  if (/%(2f|5c|2e)/i.test(target.pathname)) return false
  return allowed.some((prefix) => {
    let base: URL
    try {
      base = new URL(prefix)
    } catch {
      return false
    }
    if (base.origin !== target.origin) return false
    const basePath = base.pathname
    if (basePath === '/' || target.pathname === basePath) return true
    const withSlash = basePath.endsWith('/') ? basePath : `${basePath}/`
    return target.pathname.startsWith(withSlash)
  })
}

/**
 * The way back to the authorization server from a request that can no longer be answered (DESIGN
 * §3.2.1): its `return_to` with the request id and `error=access_denied` (RFC 6749 §4.1.2.1), so
 * the AS can end its flow. Never the request's `state`: the page holding this link may outlive the
 * flow, and `state` is the AS's value to give back with an answer only.
 */
export function abandonedReturnUrl(returnTo: string, requestId: string): string {
  const back = new URL(returnTo)
  back.searchParams.set('consent_request', requestId)
  back.searchParams.set('error', 'access_denied')
  return back.href
}
