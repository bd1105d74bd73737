import { z } from 'zod'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import { permissionsBody } from './permissions.js'
import { idParam, listSchema, paginationQuery, roleSchema, userPermissionSchema } from './shapes.js'

const rolesBody = z.strictObject({ roles: z.array(z.string().min(1).max(64)).min(1).max(100) })

const tag = 'Users'

/**
 * `/users/{id}/permissions` and `/users/{id}/roles` (DESIGN §4). Users live in the authorization
 * server; Assent takes any user id, so permissions can be given before a user's first prompt.
 */
export const listPermissions = managementRoute({
  method: 'get',
  path: '/users/{id}/permissions',
  summary: "List a user's permissions, direct and through roles, with their sources",
  tag,
  scopes: ['read:users'],
  request: { params: idParam, query: paginationQuery },
  responses: {
    200: jsonContent(listSchema('permissions', userPermissionSchema), 'The permissions'),
  },
  errors: [],
})

export const addPermissions = managementRoute({
  method: 'post',
  path: '/users/{id}/permissions',
  summary: 'Give a user permissions',
  tag,
  scopes: ['update:users'],
  request: { params: idParam, body: jsonRequest(permissionsBody) },
  responses: { 201: { description: 'Given' } },
  errors: [404, 413],
})

export const removePermissions = managementRoute({
  method: 'delete',
  path: '/users/{id}/permissions',
  summary: 'Take permissions from a user',
  tag,
  scopes: ['update:users'],
  request: { params: idParam, body: jsonRequest(permissionsBody) },
  responses: { 204: { description: 'Taken' } },
  errors: [413],
})

export const listRoles = managementRoute({
  method: 'get',
  path: '/users/{id}/roles',
  summary: "List a user's roles",
  tag,
  scopes: ['read:users'],
  request: { params: idParam, query: paginationQuery },
  responses: { 200: jsonContent(listSchema('roles', roleSchema), 'The roles') },
  errors: [],
})

export const addRoles = managementRoute({
  method: 'post',
  path: '/users/{id}/roles',
  summary: 'Assign roles to a user',
  tag,
  scopes: ['update:users'],
  request: { params: idParam, body: jsonRequest(rolesBody) },
  responses: { 204: { description: 'Assigned' } },
  errors: [404, 413],
})

export const removeRoles = managementRoute({
  method: 'delete',
  path: '/users/{id}/roles',
  summary: 'Remove roles from a user',
  tag,
  scopes: ['update:users'],
  request: { params: idParam, body: jsonRequest(rolesBody) },
  responses: { 204: { description: 'Removed' } },
  errors: [413],
})
