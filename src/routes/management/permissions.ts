import { z } from 'zod'
import type { PermissionRef, ResourceServer } from '../../entities.js'
import { AppError } from '../../errors.js'
import type { Store } from '../../store/port.js'

export const permissionsBody = z.strictObject({
  permissions: z
    .array(
      z.strictObject({
        resource_server_identifier: z.string().min(1).max(600),
        permission_name: z.string().min(1).max(280),
      }),
    )
    .min(1)
    .max(1000),
})

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
 * Checks that every permission names an API of the tenant and a scope it defines, and returns
 * them keyed by the API's identifier.
 */
export async function checkPermissions(
  store: Store,
  tenantId: string,
  body: z.output<typeof permissionsBody>,
): Promise<PermissionRef[]> {
  const apis = await apisByIdentifier(
    store,
    tenantId,
    body.permissions.map((p) => p.resource_server_identifier),
  )
  return body.permissions.map((p) => {
    const api = apis.get(p.resource_server_identifier)
    if (!api) {
      throw new AppError(
        404,
        'inexistent_resource_server',
        `The resource server ${p.resource_server_identifier} does not exist`,
      )
    }
    if (!api.scopes.some((scope) => scope.value === p.permission_name)) {
      throw new AppError(
        400,
        'invalid_body',
        `Payload validation error: permission ${p.permission_name} is not defined by resource server ${api.identifier}.`,
      )
    }
    return { resourceServerIdentifier: api.identifier, permissionName: p.permission_name }
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
