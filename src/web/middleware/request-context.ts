import { performance } from 'node:perf_hooks'
import type { ErrorHandler, MiddlewareHandler } from 'hono'
import { randomToken } from '../../ids.js'
import type { AppEnv } from '../context.js'
import type { WebDeps } from '../deps.js'
import { addressResolver, clientAddressOf } from '../edge/client-address.js'
import { finishHeaders } from '../render/response.js'
import { securityHeaders } from './security-headers.js'

/**
 * An `X-Request-Id` a proxy sent is kept when it is short and plain; otherwise a new one. Not
 * hono's `requestId`: it sets the response header through `c.header()`, which makes hono rebuild
 * every response's headers as WHATWG `Headers` and takes the consent page off node-server's
 * plain-record path (src/web/render/README.md); our responses carry the id themselves.
 */
const REQUEST_ID = /^[\w=-]{1,64}$/

/**
 * What every request goes through, first and last, in one step: its id (a caller's
 * `X-Request-Id`, or 128 random bits from the pool), how to find its client address,
 * the security headers of DESIGN §6 on its response, and one log line and one latency
 * observation: the request id, the client's address, the method, the route pattern (never the
 * query string, which may carry `state`), the status and the time taken.
 */
export function requestContext(
  deps: Pick<WebDeps, 'log' | 'metrics' | 'config'>,
  onError: ErrorHandler<AppEnv>,
): MiddlewareHandler<AppEnv> {
  const defaults = securityHeaders({ https: deps.config.publicUrl.protocol === 'https:' })
  const resolveAddress = addressResolver(deps.config.trustedProxies)
  return async function requestContextMiddleware(c, next) {
    const start = performance.now()
    const given = c.req.header('x-request-id')
    c.set('requestId', given !== undefined && REQUEST_ID.test(given) ? given : randomToken(16))
    c.set('resolveAddress', resolveAddress)
    c.set('defaultHeaders', defaults)
    try {
      await next()
    } catch (thrown) {
      // hono hands only an `Error` to the error handler: anything else thrown (a string, a
      // rejection with a plain value) would leave as a bare 500, without the headers or a log.
      c.res = await onError(thrown instanceof Error ? thrown : new Error(String(thrown)), c)
    }
    finishHeaders(c)
    const seconds = (performance.now() - start) / 1000
    const route = c.req.routePath === '/*' || !c.req.routePath ? 'other' : c.req.routePath
    const status = c.res.status
    deps.metrics.latency.observe(
      { method: c.req.method, route, status: `${Math.floor(status / 100)}xx` },
      seconds,
    )
    if (deps.log.enabled('info'))
      deps.log.info('request', {
        requestId: c.get('requestId'),
        address: clientAddressOf(c),
        method: c.req.method,
        route,
        status,
        ms: Math.round(seconds * 10_000) / 10,
      })
  }
}
