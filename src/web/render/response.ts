import type { Context } from 'hono'
import type { AppEnv } from '../context.js'

/**
 * A response carrying all of its headers, the request's security headers and id included, given
 * to `new Response` as a plain record, which `@hono/node-server` writes to the socket as it is.
 * `c.header()` and `c.body()` build WHATWG `Headers`, copied again on the way out; on the consent
 * page, the hottest path, that is a tenth of its time (src/web/render/README.md). The response is
 * remembered on the context, so `finishHeaders` knows it has nothing to add. Headers set with
 * `c.header()` do not reach it: a route that answers with it sets none that way.
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
  c.set('completeResponse', response)
  return response
}

/**
 * Gives the request's response the headers every response carries (DESIGN §6), where it has not
 * set its own (a page's own Content-Security-Policy stays), and the request id.
 */
export function finishHeaders(c: Context<AppEnv>): void {
  if (c.res === c.get('completeResponse')) return
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
