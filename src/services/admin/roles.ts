import type { Actor, PermissionRef, Role } from '../../entities.js'
import { AppError, FieldError } from '../../errors.js'
import { newRoleId } from '../../ids.js'
import type { Page, Store } from '../../store/port.js'
import type { Audit } from './audit.js'
import { checkPermissionRefs, withApis } from './permission-refs.js'
import { checkDisplayName } from './validation.js'

const notFound = () => new AppError(404, 'inexistent_role', 'The role does not exist')

function checkRoleDescription(description: string): string {
  if (description.length > 140)
    throw new FieldError('description', 'must be at most 140 characters')
  if (/\p{Cc}/u.test(description))
    throw new FieldError('description', 'must not contain control characters')
  return description
}

/** Auth0's role ids: `rol_` and 16 letters and digits, as `newRoleId` makes them too. */
function checkRoleId(id: string): string {
  if (!/^rol_[A-Za-z0-9]{16}$/.test(id))
    throw new FieldError('id', 'must be rol_ and 16 letters or digits, as Auth0 makes them')
  return id
}

function checkUserId(userId: string): string {
  const trimmed = userId.trim()
  if (trimmed.length < 1 || trimmed.length > 300)
    throw new FieldError('user_id', 'must be 1–300 characters')
  if (/\p{Cc}/u.test(trimmed))
    throw new FieldError('user_id', 'must not contain control characters')
  return trimmed
}

/**
 * Roles, their permissions and their users (DESIGN §4), for the Management API and the console:
 * one set of checks. A taken name is a `ConflictError` from the store.
 */
export function createRoles(store: Store, audit: Audit) {
  async function get(tenantId: string, id: string): Promise<Role> {
    const role = await store.roles.get(tenantId, id)
    if (!role) throw notFound()
    return role
  }

  return {
    get,
    checkUserId,

    list: (tenantId: string, page: Page, nameFilter?: string) =>
      store.roles.list(tenantId, page, nameFilter),

    /** `id` keeps an Auth0 role's id (DESIGN §4.2.1); a taken one is a `ConflictError`. */
    async create(
      actor: Actor,
      tenantId: string,
      input: {
        id?: string | undefined
        name: string
        description?: string | undefined
        auth0?: Readonly<Record<string, unknown>> | undefined
      },
    ) {
      const role = await store.roles.create(tenantId, {
        id: input.id === undefined ? newRoleId() : checkRoleId(input.id),
        auth0: input.auth0 ?? {},
        name: checkDisplayName('name', input.name, 50),
        description: checkRoleDescription(input.description ?? ''),
      })
      await audit.record(actor, tenantId, 'role.create', role.id, { after: role })
      return role
    },

    async update(
      actor: Actor,
      tenantId: string,
      id: string,
      changes: {
        name?: string | undefined
        description?: string | undefined
        auth0?: Readonly<Record<string, unknown>> | undefined
      },
    ): Promise<Role> {
      const before = await get(tenantId, id)
      const role = await store.roles.update(tenantId, id, {
        ...(changes.auth0 ? { auth0: { ...before.auth0, ...changes.auth0 } } : {}),
        ...(changes.name !== undefined ? { name: checkDisplayName('name', changes.name, 50) } : {}),
        ...(changes.description !== undefined
          ? { description: checkRoleDescription(changes.description) }
          : {}),
      })
      if (!role) throw notFound()
      await audit.record(actor, tenantId, 'role.update', role.id, { before, after: role })
      return role
    },

    async remove(actor: Actor, tenantId: string, id: string): Promise<void> {
      const before = await get(tenantId, id)
      if (!(await store.roles.delete(tenantId, id))) throw notFound()
      await audit.record(actor, tenantId, 'role.delete', id, { before })
    },

    /** The role's permissions, each with the API it belongs to. */
    async permissions(tenantId: string, id: string, page: Page) {
      const role = await get(tenantId, id)
      const { items, total } = await store.roles.permissions(tenantId, role.id, page)
      return { items: await withApis(store, tenantId, items), total }
    },

    async addPermissions(
      actor: Actor,
      tenantId: string,
      id: string,
      refs: readonly PermissionRef[],
    ) {
      const role = await get(tenantId, id)
      const checked = await checkPermissionRefs(store, tenantId, refs)
      await store.roles.addPermissions(tenantId, role.id, checked)
      await audit.record(actor, tenantId, 'role.permissions.add', role.id, { after: checked })
    },

    async removePermissions(
      actor: Actor,
      tenantId: string,
      id: string,
      refs: readonly PermissionRef[],
    ) {
      const role = await get(tenantId, id)
      await store.roles.removePermissions(tenantId, role.id, refs)
      await audit.record(actor, tenantId, 'role.permissions.remove', role.id, { before: refs })
    },

    async users(tenantId: string, id: string, page: Page) {
      const role = await get(tenantId, id)
      return store.roles.users(tenantId, role.id, page)
    },

    async addUsers(actor: Actor, tenantId: string, id: string, userIds: readonly string[]) {
      const role = await get(tenantId, id)
      const users = [...new Set(userIds.map(checkUserId))]
      await store.roles.addUsers(tenantId, role.id, users)
      await audit.record(actor, tenantId, 'role.users.add', role.id, { after: users, users })
    },

    async removeUser(actor: Actor, tenantId: string, id: string, userId: string) {
      const role = await get(tenantId, id)
      await store.userRoles.remove(tenantId, userId, [role.id])
      await audit.record(actor, tenantId, 'role.users.remove', role.id, {
        before: [userId],
        users: [userId],
      })
    },
  }
}

export type Roles = ReturnType<typeof createRoles>
