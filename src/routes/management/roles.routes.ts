import { z } from 'zod'
import { readOnlyFields } from './auth0-fields.js'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import { permissionsBody } from './permissions.js'
import {
  displayName,
  idParam,
  listSchema,
  paginationQuery,
  permissionSchema,
  roleKept,
  roleSchema,
  roleUserSchema,
} from './shapes.js'

const roleFields = { name: displayName(50), description: z.string().max(140).optional() }
const createBody = z.strictObject({
  ...roleKept.create,
  /** Auth0's id, kept so that exported assignments still point at it (DESIGN §4.2.1). */
  id: z
    .string()
    .regex(/^rol_[A-Za-z0-9]{16}$/, 'must be rol_ and 16 letters or digits, as Auth0 makes them')
    .optional(),
  ...roleFields,
})
const updateBody = z.strictObject({
  ...readOnlyFields('Role', ['RoleUpdate']),
  ...roleKept.update,
  name: roleFields.name.optional(),
  description: roleFields.description,
})
const listQuery = paginationQuery.extend({ name_filter: z.string().max(50).optional() })
const usersBody = z.strictObject({ users: z.array(z.string().min(1).max(300)).min(1).max(1000) })

const tag = 'Roles'
const role = jsonContent(roleSchema, 'The role')

/** `/roles`: named sets of permissions assigned to users (DESIGN §4). */
export const list = managementRoute({
  method: 'get',
  path: '/roles',
  summary: 'List roles',
  tag,
  scopes: ['read:roles'],
  request: { query: listQuery },
  responses: { 200: jsonContent(listSchema('roles', roleSchema), 'The roles') },
  errors: [],
})

export const create = managementRoute({
  method: 'post',
  path: '/roles',
  summary: 'Create a role',
  tag,
  scopes: ['create:roles'],
  request: { body: jsonRequest(createBody) },
  responses: { 200: role },
  errors: [409, 413],
})

export const get = managementRoute({
  method: 'get',
  path: '/roles/{id}',
  summary: 'Get a role',
  tag,
  scopes: ['read:roles'],
  request: { params: idParam },
  responses: { 200: role },
  errors: [404],
})

export const update = managementRoute({
  method: 'patch',
  path: '/roles/{id}',
  summary: 'Update a role',
  tag,
  scopes: ['update:roles'],
  request: { params: idParam, body: jsonRequest(updateBody) },
  responses: { 200: role },
  errors: [404, 409, 413],
})

export const remove = managementRoute({
  method: 'delete',
  path: '/roles/{id}',
  summary: 'Delete a role; its users lose its permissions',
  tag,
  scopes: ['delete:roles'],
  request: { params: idParam },
  responses: { 200: { description: 'Deleted' } },
  errors: [404],
})

export const listPermissions = managementRoute({
  method: 'get',
  path: '/roles/{id}/permissions',
  summary: "List a role's permissions",
  tag,
  scopes: ['read:roles'],
  request: { params: idParam, query: paginationQuery },
  responses: { 200: jsonContent(listSchema('permissions', permissionSchema), 'The permissions') },
  errors: [404],
})

export const addPermissions = managementRoute({
  method: 'post',
  path: '/roles/{id}/permissions',
  summary: 'Add permissions to a role',
  tag,
  scopes: ['update:roles'],
  request: { params: idParam, body: jsonRequest(permissionsBody) },
  responses: { 201: { description: 'Added' } },
  errors: [404, 413],
})

export const removePermissions = managementRoute({
  method: 'delete',
  path: '/roles/{id}/permissions',
  summary: 'Remove permissions from a role',
  tag,
  scopes: ['update:roles'],
  request: { params: idParam, body: jsonRequest(permissionsBody) },
  responses: { 200: { description: 'Removed' } },
  errors: [404, 413],
})

/**
 * Auth0 pages a role's users by checkpoint too: `take` (1–100) and `from` (the `next` of the
 * previous answer); the SDK always sends `take`.
 */
const roleUsersQuery = paginationQuery.extend({
  from: z
    .string()
    .regex(/^\d{1,7}$/, 'must be the next value of a previous answer')
    .optional(),
  take: z.coerce.number().int().min(1).max(100).optional(),
})

export const listUsers = managementRoute({
  method: 'get',
  path: '/roles/{id}/users',
  summary: 'List the users of a role',
  tag,
  scopes: ['read:roles'],
  request: { params: idParam, query: roleUsersQuery },
  responses: {
    200: jsonContent(
      z.union([
        listSchema('users', roleUserSchema),
        z.object({ users: z.array(roleUserSchema), next: z.string().optional() }),
      ]),
      'The users, with the name and email Assent last saw; with `take` or `from`, `{ users, next }`',
    ),
  },
  errors: [404],
})

export const addUsers = managementRoute({
  method: 'post',
  path: '/roles/{id}/users',
  summary: 'Assign a role to users',
  tag,
  scopes: ['update:roles'],
  request: { params: idParam, body: jsonRequest(usersBody) },
  responses: { 200: { description: 'Assigned' } },
  errors: [404, 413],
})
