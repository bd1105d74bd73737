/**
 * The value of the first cookie called `name` in a `Cookie` header (RFC 6265 §4.2: `name=value`
 * pairs separated by `; `) that `valid` accepts, its double quotes taken off; `undefined` when it
 * has none. A cookie another site tossed in first with a malformed value is passed over, as the
 * browser's own one follows. Read on every consent page view and answer, so one pass over the
 * header and no object of all cookies. Values are taken as sent, never percent-decoded: the page
 * and its answer read them alike.
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
