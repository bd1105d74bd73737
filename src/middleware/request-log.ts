import { performance } from 'node:perf_hooks'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app/env.js'
import type { AppDeps } from '../app/types.js'

/**
 * One log line and one latency observation per request: the request id, the client's address
 * (through trusted proxies), the method, the route
 * pattern (never the query string, which may carry `state`), the status and the time taken.
 */
export function requestLog(deps: Pick<AppDeps, 'log' | 'metrics'>): MiddlewareHandler<AppEnv> {
  return async function requestLogMiddleware(c, next) {
    const start = performance.now()
    await next()
    const seconds = (performance.now() - start) / 1000
    const route = c.req.routePath === '/*' || !c.req.routePath ? 'other' : c.req.routePath
    const status = c.res.status
    deps.metrics.latency.observe(
      { method: c.req.method, route, status: `${Math.floor(status / 100)}xx` },
      seconds,
    )
    deps.log.info('request', {
      requestId: c.get('requestId'),
      address: c.get('clientAddress'),
      method: c.req.method,
      route,
      status,
      ms: Math.round(seconds * 10_000) / 10,
    })
  }
}
