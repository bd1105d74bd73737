import type { Actor, PermissionRef } from '../../entities.js'
import { AppError } from '../../errors.js'
import type { Page, Store } from '../../store/port.js'
import { grantDeleted } from '../consent/evidence.js'
import type { Audit } from './audit.js'
import { checkPermissionRefs, withApis } from './permission-refs.js'

/**
 * A user's permissions (with their sources), roles and grants (DESIGN §4). Users live in the
 * authorization server, so any user id is taken: permissions may come before a first prompt.
 */
export function createUsers(store: Store, audit: Audit) {
  return {
    /** The user as last seen in a consent request, if ever. */
    seen: (tenantId: string, userId: string) => store.users.get(tenantId, userId),

    /** Users seen in consent requests, most recent first, found by part of id, name or email. */
    list: (tenantId: string, page: Page, search?: string) =>
      store.users.list(tenantId, page, search),

    async permissions(tenantId: string, userId: string, page: Page) {
      const { items, total } = await store.permissions.ofUser(tenantId, userId, page)
      return { items: await withApis(store, tenantId, items), total }
    },

    async addPermissions(
      actor: Actor,
      tenantId: string,
      userId: string,
      refs: readonly PermissionRef[],
    ) {
      const checked = await checkPermissionRefs(store, tenantId, refs)
      for (const audience of new Set(checked.map((ref) => ref.resourceServerIdentifier))) {
        const names = checked
          .filter((ref) => ref.resourceServerIdentifier === audience)
          .map((ref) => ref.permissionName)
        await store.permissions.grantToUser(tenantId, userId, audience, names)
      }
      await audit.record(actor, tenantId, 'user.permissions.add', userId, {
        after: checked,
        users: [userId],
      })
    },

    async removePermissions(
      actor: Actor,
      tenantId: string,
      userId: string,
      refs: readonly PermissionRef[],
    ) {
      await store.permissions.removeFromUser(tenantId, userId, refs)
      await audit.record(actor, tenantId, 'user.permissions.remove', userId, {
        before: refs,
        users: [userId],
      })
    },

    roles: (tenantId: string, userId: string, page: Page) =>
      store.userRoles.list(tenantId, userId, page),

    async addRoles(actor: Actor, tenantId: string, userId: string, roleIds: readonly string[]) {
      const roles = [...new Set(roleIds)]
      for (const id of roles) {
        if (!(await store.roles.get(tenantId, id)))
          throw new AppError(404, 'inexistent_role', `The role ${id} does not exist`)
      }
      await store.userRoles.add(tenantId, userId, roles)
      await audit.record(actor, tenantId, 'user.roles.add', userId, {
        after: roles,
        users: [userId],
      })
    },

    async removeRoles(actor: Actor, tenantId: string, userId: string, roleIds: readonly string[]) {
      const roles = [...new Set(roleIds)]
      await store.userRoles.remove(tenantId, userId, roles)
      await audit.record(actor, tenantId, 'user.roles.remove', userId, {
        before: roles,
        users: [userId],
      })
    },

    /** Erases everything kept about the user (DESIGN §3.6). */
    erase: (tenantId: string, userId: string): Promise<void> => store.users.erase(tenantId, userId),

    grants: (tenantId: string, userId: string, page: Page) =>
      store.grants.list(tenantId, { userId }, page),
    /** The user's consent receipts, newest first (DESIGN §3.6). */
    receipts: (tenantId: string, userId: string, page: Page) =>
      store.receipts.list(tenantId, { userId }, page),

    /** Revokes one of the user's grants; a grant of another user is not found. */
    async revokeGrant(actor: Actor, tenantId: string, userId: string, grantId: string) {
      const { items } = await store.grants.list(tenantId, { userId }, { page: 0, perPage: 100 })
      if (
        !items.some((grant) => grant.id === grantId) ||
        !(await store.grants.delete(tenantId, grantId, grantDeleted))
      )
        throw new AppError(404, 'inexistent_grant', 'The grant does not exist')
      await audit.record(actor, tenantId, 'grant.delete', grantId, {
        before: { user_id: userId },
        users: [userId],
      })
    },
  }
}

export type Users = ReturnType<typeof createUsers>
