import type { MiddlewareHandler } from 'hono'
import type { AppDeps, AppEnv } from '../app/types.js'
import type { Tenant } from '../entities.js'
import { AppError } from '../errors.js'
import { requestHostname } from '../http/host.js'
import type { Store } from '../store/port.js'

/**
 * The tenant serving `host` (DESIGN §2): with a single tenant, that tenant whatever the host (a
 * one-tenant install answers on any name it is reached by); otherwise the tenant that has `host`
 * among its domains.
 */
export async function tenantForHost(store: Store, host: string): Promise<Tenant | undefined> {
  return (await store.tenants.only()) ?? (await store.tenants.forHost(host))
}

/** Finds the tenant by the `Host` the request was sent to. */
export function tenant(deps: Pick<AppDeps, 'store'>): MiddlewareHandler<AppEnv> {
  return async function tenantMiddleware(c, next) {
    await deps.store.sync()
    const found = await tenantForHost(deps.store, requestHostname(c.req.header('host')))
    if (!found) throw new AppError(404, 'not_found', 'No tenant serves this host')
    c.set('tenant', found)
    await next()
  }
}
