import { z } from 'zod'
import type { AppDeps } from '../../app/types.js'
import type { Role } from '../../entities.js'
import { AppError } from '../../errors.js'
import { newRoleId } from '../../ids.js'
import type { Store } from '../../store/port.js'
import { defineOperation } from './operation.js'
import { checkPermissions, permissionsBody, withApis } from './permissions.js'
import {
  displayName,
  listJson,
  listSchema,
  pageOf,
  paginationQuery,
  permissionJson,
  permissionSchema,
  roleJson,
  roleSchema,
  roleUserSchema,
} from './shapes.js'

const roleFields = { name: displayName(50), description: z.string().max(140).optional() }
const createBody = z.strictObject(roleFields)
const updateBody = z.strictObject({
  name: roleFields.name.optional(),
  description: roleFields.description,
})
const listQuery = paginationQuery.extend({ name_filter: z.string().max(50).optional() })
const usersBody = z.strictObject({ users: z.array(z.string().min(1).max(300)).min(1).max(1000) })

async function findRole(store: Store, tenantId: string, id: string): Promise<Role> {
  const role = await store.roles.get(tenantId, id)
  if (!role) throw new AppError(404, 'inexistent_role', 'The role does not exist')
  return role
}

/** `/roles`: named sets of permissions assigned to users (DESIGN §4). */
export function roleOperations({ store }: AppDeps) {
  return [
    defineOperation({
      method: 'get',
      path: '/roles',
      summary: 'List roles',
      tag: 'Roles',
      scopes: ['read:roles'],
      query: listQuery,
      response: { status: 200, schema: listSchema('roles', roleSchema), description: 'The roles' },
      errors: [],
      async handle({ tenant, query }) {
        const { items, total } = await store.roles.list(tenant.id, pageOf(query), query.name_filter)
        return listJson('roles', items.map(roleJson), total, query)
      },
    }),
    defineOperation({
      method: 'post',
      path: '/roles',
      summary: 'Create a role',
      tag: 'Roles',
      scopes: ['create:roles'],
      body: createBody,
      response: { status: 200, schema: roleSchema, description: 'The role' },
      errors: [409, 413],
      async handle({ tenant, body }) {
        const role = await store.roles.create(tenant.id, {
          id: newRoleId(),
          name: body.name,
          description: body.description ?? '',
        })
        return roleJson(role)
      },
    }),
    defineOperation({
      method: 'get',
      path: '/roles/{id}',
      summary: 'Get a role',
      tag: 'Roles',
      scopes: ['read:roles'],
      response: { status: 200, schema: roleSchema, description: 'The role' },
      errors: [404],
      async handle({ tenant, params }) {
        return roleJson(await findRole(store, tenant.id, params.id ?? ''))
      },
    }),
    defineOperation({
      method: 'patch',
      path: '/roles/{id}',
      summary: 'Update a role',
      tag: 'Roles',
      scopes: ['update:roles'],
      body: updateBody,
      response: { status: 200, schema: roleSchema, description: 'The role' },
      errors: [404, 409, 413],
      async handle({ tenant, params, body }) {
        const role = await store.roles.update(tenant.id, params.id ?? '', {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
        })
        if (!role) throw new AppError(404, 'inexistent_role', 'The role does not exist')
        return roleJson(role)
      },
    }),
    defineOperation({
      method: 'delete',
      path: '/roles/{id}',
      summary: 'Delete a role; its users lose its permissions',
      tag: 'Roles',
      scopes: ['delete:roles'],
      response: { status: 200, description: 'Deleted' },
      errors: [404],
      async handle({ tenant, params }) {
        if (!(await store.roles.delete(tenant.id, params.id ?? ''))) {
          throw new AppError(404, 'inexistent_role', 'The role does not exist')
        }
      },
    }),
    defineOperation({
      method: 'get',
      path: '/roles/{id}/permissions',
      summary: "List a role's permissions",
      tag: 'Roles',
      scopes: ['read:roles'],
      query: paginationQuery,
      response: {
        status: 200,
        schema: listSchema('permissions', permissionSchema),
        description: 'The permissions',
      },
      errors: [404],
      async handle({ tenant, params, query }) {
        const role = await findRole(store, tenant.id, params.id ?? '')
        const { items, total } = await store.roles.permissions(tenant.id, role.id, pageOf(query))
        const listed = await withApis(store, tenant.id, items)
        return listJson(
          'permissions',
          listed.map(([p, api]) => permissionJson(p, api)),
          total,
          query,
        )
      },
    }),
    defineOperation({
      method: 'post',
      path: '/roles/{id}/permissions',
      summary: 'Add permissions to a role',
      tag: 'Roles',
      scopes: ['update:roles'],
      body: permissionsBody,
      response: { status: 201, description: 'Added' },
      errors: [404, 413],
      async handle({ tenant, params, body }) {
        const role = await findRole(store, tenant.id, params.id ?? '')
        await store.roles.addPermissions(
          tenant.id,
          role.id,
          await checkPermissions(store, tenant.id, body),
        )
      },
    }),
    defineOperation({
      method: 'delete',
      path: '/roles/{id}/permissions',
      summary: 'Remove permissions from a role',
      tag: 'Roles',
      scopes: ['update:roles'],
      body: permissionsBody,
      response: { status: 200, description: 'Removed' },
      errors: [404, 413],
      async handle({ tenant, params, body }) {
        const role = await findRole(store, tenant.id, params.id ?? '')
        await store.roles.removePermissions(
          tenant.id,
          role.id,
          body.permissions.map((p) => ({
            resourceServerIdentifier: p.resource_server_identifier,
            permissionName: p.permission_name,
          })),
        )
      },
    }),
    defineOperation({
      method: 'get',
      path: '/roles/{id}/users',
      summary: 'List the users of a role',
      tag: 'Roles',
      scopes: ['read:roles'],
      query: paginationQuery,
      response: {
        status: 200,
        schema: listSchema('users', roleUserSchema),
        description: 'The users',
      },
      errors: [404],
      async handle({ tenant, params, query }) {
        const role = await findRole(store, tenant.id, params.id ?? '')
        const { items, total } = await store.roles.users(tenant.id, role.id, pageOf(query))
        return listJson(
          'users',
          items.map((user) => ({
            user_id: user.userId,
            ...(user.name ? { name: user.name } : {}),
            ...(user.email ? { email: user.email } : {}),
          })),
          total,
          query,
        )
      },
    }),
    defineOperation({
      method: 'post',
      path: '/roles/{id}/users',
      summary: 'Assign a role to users',
      tag: 'Roles',
      scopes: ['update:roles'],
      body: usersBody,
      response: { status: 200, description: 'Assigned' },
      errors: [404, 413],
      async handle({ tenant, params, body }) {
        const role = await findRole(store, tenant.id, params.id ?? '')
        await store.roles.addUsers(tenant.id, role.id, [...new Set(body.users)])
      },
    }),
  ]
}
