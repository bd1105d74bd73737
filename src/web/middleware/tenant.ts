import type { Context, MiddlewareHandler } from 'hono'
import type { AppDeps } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { tenantForHost } from '../../services/admin/tenants.js'
import type { AppEnv } from '../context.js'
import { requestHostname } from '../edge/host.js'

/** Finds the tenant by the `Host` the request was sent to and keeps it on the request; 404 if none. */
export async function resolveTenant(c: Context<AppEnv>, deps: Pick<AppDeps, 'store'>) {
  await deps.store.sync()
  const found = await tenantForHost(deps.store, () => requestHostname(c.req.header('host')))
  if (!found) throw new AppError(404, 'not_found', 'No tenant serves this host')
  c.set('tenant', found)
}

/** The tenant, by the `Host` the request was sent to. */
export function tenant(deps: Pick<AppDeps, 'store'>): MiddlewareHandler<AppEnv> {
  return async function tenantMiddleware(c, next) {
    await resolveTenant(c, deps)
    await next()
  }
}
