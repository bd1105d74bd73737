import { z } from 'zod'
import type { PermissionRef } from '../../entities.js'

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

/** The body's permissions as the services take them. */
export const toRefs = (body: z.output<typeof permissionsBody>): PermissionRef[] =>
  body.permissions.map((p) => ({
    resourceServerIdentifier: p.resource_server_identifier,
    permissionName: p.permission_name,
  }))
