/**
 * The value of the first cookie called `name` in a `Cookie` header (RFC 6265 §4.2: `name=value`
 * pairs separated by `; `), its double quotes taken off; `undefined` when it has none. Read on
 * every consent page view and answer, so one pass over the header and no object of all cookies.
 * Values are taken as sent, never percent-decoded: the page and its answer read them alike.
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined || !header.includes(name)) return undefined
  let start = 0
  while (start < header.length) {
    let end = header.indexOf(';', start)
    if (end === -1) end = header.length
    const equals = header.indexOf('=', start)
    if (equals !== -1 && equals < end && header.slice(start, equals).trim() === name) {
      const value = header.slice(equals + 1, end).trim()
      return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
        ? value.slice(1, -1)
        : value
    }
    start = end + 1
  }
  return undefined
}
