import type { Context, MiddlewareHandler } from 'hono'
import { AppError } from '../../errors.js'
import type { AppEnv } from '../context.js'
import type { WebDeps } from '../deps.js'
import { requestHostname } from '../edge/host.js'

/** Finds the tenant by the `Host` the request was sent to and keeps it on the request; 404 if none. */
export async function resolveTenant(c: Context<AppEnv>, deps: Pick<WebDeps, 'tenantForHost'>) {
  const found = await deps.tenantForHost(() => requestHostname(c.req.header('host')))
  if (!found) throw new AppError(404, 'not_found', 'No tenant serves this host')
  c.set('tenant', found)
}

/** The tenant, by the `Host` the request was sent to. */
export function tenant(deps: Pick<WebDeps, 'tenantForHost'>): MiddlewareHandler<AppEnv> {
  return async function tenantMiddleware(c, next) {
    await resolveTenant(c, deps)
    await next()
  }
}
