import type { Context } from 'hono'
import type { AppEnv } from '../context.js'

/** Responses made by `completeResponse`: they already carry every header. */
const complete = new WeakSet<Response>()

/**
 * A response carrying all of its headers, the request's security headers and id included, as a
 * plain record that Node writes as it is. `c.header()` builds WHATWG `Headers` that are copied
 * again on the way out; on the consent page, the hottest path, that was a tenth of its time.
 * Headers set with `c.header()` do not reach this response: a route that uses it sets none.
 */
export function completeResponse(
  c: Context<AppEnv>,
  status: number,
  body: Uint8Array<ArrayBuffer>,
  headers: Readonly<Record<string, string>>,
): Response {
  const response = new Response(body, {
    status,
    // Not a spread: see `copyWith`.
    headers: Object.assign(
      {},
      c.get('defaultHeaders'),
      { 'x-request-id': c.get('requestId') },
      headers,
    ),
  })
  complete.add(response)
  return response
}

/**
 * Gives the request's response the headers every response carries (DESIGN §6), where it has not
 * set its own (a page's own Content-Security-Policy stays), and the request id.
 */
export function finishHeaders(c: Context<AppEnv>): void {
  if (complete.has(c.res)) return
  try {
    addDefaults(c, c.res.headers)
  } catch {
    // Headers that cannot change (a `Response.redirect`, a `fetch` result): a copy can.
    c.res = new Response(c.res.body, c.res)
    addDefaults(c, c.res.headers)
  }
}

function addDefaults(c: Context<AppEnv>, headers: Headers): void {
  const defaults = c.get('defaultHeaders')
  for (const name in defaults) if (!headers.has(name)) headers.set(name, defaults[name] as string)
  headers.set('x-request-id', c.get('requestId'))
}
