import type { PermissionRef, ResourceServer } from '../../entities.js'
import { AppError } from '../../errors.js'
import type { Store } from '../../store/port.js'

/** The APIs named by `identifiers`, looked up once each. */
export async function apisByIdentifier(
  store: Store,
  tenantId: string,
  identifiers: Iterable<string>,
): Promise<Map<string, ResourceServer>> {
  const unique = [...new Set(identifiers)]
  const found = await Promise.all(
    unique.map((identifier) => store.resourceServers.find(tenantId, identifier)),
  )
  const map = new Map<string, ResourceServer>()
  unique.forEach((identifier, index) => {
    const api = found[index]
    if (api) map.set(identifier, api)
  })
  return map
}

/**
 * Checks that every permission names an API of the tenant and a scope it defines; returns them
 * keyed by the API's identifier (an API may be named by its id too).
 */
export async function checkPermissionRefs(
  store: Store,
  tenantId: string,
  refs: readonly PermissionRef[],
): Promise<PermissionRef[]> {
  const apis = await apisByIdentifier(
    store,
    tenantId,
    refs.map((p) => p.resourceServerIdentifier),
  )
  return refs.map((p) => {
    const api = apis.get(p.resourceServerIdentifier)
    if (!api) {
      throw new AppError(
        404,
        'inexistent_resource_server',
        `The resource server ${p.resourceServerIdentifier} does not exist`,
      )
    }
    if (!api.scopes.some((scope) => scope.value === p.permissionName)) {
      throw new AppError(
        400,
        'invalid_body',
        `Payload validation error: permission ${p.permissionName} is not defined by resource server ${api.identifier}.`,
      )
    }
    return { resourceServerIdentifier: api.identifier, permissionName: p.permissionName }
  })
}

/** Each permission with the API it belongs to (for its name and the scope's description). */
export async function withApis<T extends PermissionRef>(
  store: Store,
  tenantId: string,
  items: readonly T[],
): Promise<[T, ResourceServer | undefined][]> {
  const apis = await apisByIdentifier(
    store,
    tenantId,
    items.map((p) => p.resourceServerIdentifier),
  )
  return items.map((p) => [p, apis.get(p.resourceServerIdentifier)])
}
