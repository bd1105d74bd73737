import type { Tenant } from '../../entities.js'
import type { Store } from '../../store/port.js'

/**
 * The tenant serving `host` (DESIGN §2): with a single tenant, that tenant whatever the host (a
 * one-tenant install answers on any name it is reached by); otherwise the tenant that has `host`
 * among its domains. `host` is read only when it decides: most installs have one tenant.
 */
export async function tenantForHost(store: Store, host: () => string): Promise<Tenant | undefined> {
  return (await store.tenants.only()) ?? (await store.tenants.forHost(host()))
}

/**
 * `tenantForHost` for a request: first made current with what other instances wrote (the store's
 * `sync`, once per request, before any configuration is read).
 */
export function requestTenants(store: Store) {
  return async function tenantOfRequest(host: () => string): Promise<Tenant | undefined> {
    await store.sync()
    return tenantForHost(store, host)
  }
}
