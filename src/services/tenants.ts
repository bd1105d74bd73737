import type { Tenant } from '../entities.js'
import type { Store } from '../store/port.js'

/**
 * The tenant serving `host` (DESIGN §2): with a single tenant, that tenant whatever the host (a
 * one-tenant install answers on any name it is reached by); otherwise the tenant that has `host`
 * among its domains. `host` may be a function, called only when the host decides.
 */
export async function tenantForHost(
  store: Store,
  host: string | (() => string),
): Promise<Tenant | undefined> {
  const only = await store.tenants.only()
  if (only) return only
  return store.tenants.forHost(typeof host === 'string' ? host : host())
}
