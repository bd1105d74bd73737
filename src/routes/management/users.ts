import { z } from 'zod'
import type { AppDeps } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { defineOperation } from './operation.js'
import { checkPermissions, permissionsBody, withApis } from './permissions.js'
import {
  listJson,
  listSchema,
  pageOf,
  paginationQuery,
  roleJson,
  roleSchema,
  userPermissionJson,
  userPermissionSchema,
} from './shapes.js'

const rolesBody = z.strictObject({ roles: z.array(z.string().min(1).max(64)).min(1).max(100) })

/**
 * `/users/{id}/permissions` and `/users/{id}/roles` (DESIGN §4). Users live in the authorization
 * server; Assent takes any user id, so permissions can be given before a user's first prompt.
 */
export function userOperations({ store }: AppDeps) {
  return [
    defineOperation({
      method: 'get',
      path: '/users/{id}/permissions',
      summary: "List a user's permissions, direct and through roles, with their sources",
      tag: 'Users',
      scopes: ['read:users'],
      query: paginationQuery,
      response: {
        status: 200,
        schema: listSchema('permissions', userPermissionSchema),
        description: 'The permissions',
      },
      errors: [],
      async handle({ tenant, params, query }) {
        const { items, total } = await store.permissions.ofUser(
          tenant.id,
          params.id ?? '',
          pageOf(query),
        )
        const listed = await withApis(store, tenant.id, items)
        return listJson(
          'permissions',
          listed.map(([p, api]) => userPermissionJson(p, api)),
          total,
          query,
        )
      },
    }),
    defineOperation({
      method: 'post',
      path: '/users/{id}/permissions',
      summary: 'Give a user permissions',
      tag: 'Users',
      scopes: ['update:users'],
      body: permissionsBody,
      response: { status: 201, description: 'Given' },
      errors: [404, 413],
      async handle({ tenant, params, body }) {
        const refs = await checkPermissions(store, tenant.id, body)
        for (const audience of new Set(refs.map((ref) => ref.resourceServerIdentifier))) {
          const names = refs
            .filter((ref) => ref.resourceServerIdentifier === audience)
            .map((ref) => ref.permissionName)
          await store.permissions.grantToUser(tenant.id, params.id ?? '', audience, names)
        }
      },
    }),
    defineOperation({
      method: 'delete',
      path: '/users/{id}/permissions',
      summary: 'Take permissions from a user',
      tag: 'Users',
      scopes: ['update:users'],
      body: permissionsBody,
      response: { status: 204, description: 'Taken' },
      errors: [413],
      async handle({ tenant, params, body }) {
        await store.permissions.removeFromUser(
          tenant.id,
          params.id ?? '',
          body.permissions.map((p) => ({
            resourceServerIdentifier: p.resource_server_identifier,
            permissionName: p.permission_name,
          })),
        )
      },
    }),
    defineOperation({
      method: 'get',
      path: '/users/{id}/roles',
      summary: "List a user's roles",
      tag: 'Users',
      scopes: ['read:users'],
      query: paginationQuery,
      response: { status: 200, schema: listSchema('roles', roleSchema), description: 'The roles' },
      errors: [],
      async handle({ tenant, params, query }) {
        const { items, total } = await store.userRoles.list(
          tenant.id,
          params.id ?? '',
          pageOf(query),
        )
        return listJson('roles', items.map(roleJson), total, query)
      },
    }),
    defineOperation({
      method: 'post',
      path: '/users/{id}/roles',
      summary: 'Assign roles to a user',
      tag: 'Users',
      scopes: ['update:users'],
      body: rolesBody,
      response: { status: 204, description: 'Assigned' },
      errors: [404, 413],
      async handle({ tenant, params, body }) {
        for (const id of new Set(body.roles)) {
          if (!(await store.roles.get(tenant.id, id)))
            throw new AppError(404, 'inexistent_role', `The role ${id} does not exist`)
        }
        await store.userRoles.add(tenant.id, params.id ?? '', [...new Set(body.roles)])
      },
    }),
    defineOperation({
      method: 'delete',
      path: '/users/{id}/roles',
      summary: 'Remove roles from a user',
      tag: 'Users',
      scopes: ['update:users'],
      body: rolesBody,
      response: { status: 204, description: 'Removed' },
      errors: [413],
      async handle({ tenant, params, body }) {
        await store.userRoles.remove(tenant.id, params.id ?? '', [...new Set(body.roles)])
      },
    }),
  ]
}
