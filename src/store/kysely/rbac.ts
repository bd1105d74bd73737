import { type Kysely, sql } from 'kysely'
import type { PermissionRef, Role, User, UserPermission } from '../../entities.js'
import type { Page, Paged } from '../port.js'
import type { Database } from '../schema.js'
import { conflictAs } from './conflict.js'
import type { StoreContext } from './context.js'
import { containsPattern } from './like.js'
import { mapPage, paged, pageOf } from './paging.js'
import { iso, json, toPermissionRef, toRole } from './rows.js'

// Roles, the users they are assigned to, and the permissions roles and users hold (DESIGN §4).

/** Who holds a permission directly: a role, or a user. */
export interface PermissionOwner {
  readonly kind: 'role' | 'user'
  readonly tenantId: string
  readonly id: string
}

// The two permission tables differ only in the column naming their owner.
const PERMISSION_TABLES = {
  role: { table: 'role_permissions', owner: 'role_id' },
  user: { table: 'user_permissions', owner: 'user_id' },
} as const

/** Throws `ConflictError` when the name is taken in this tenant. */
export async function createRole(
  { db, now }: StoreContext,
  tenantId: string,
  role: Role,
): Promise<Role> {
  await conflictAs('role', () =>
    db
      .insertInto('roles')
      .values({
        tenant_id: tenantId,
        id: role.id,
        name: role.name,
        description: role.description,
        auth0: json(role.auth0 ?? {}),
        created_at: iso(now()),
      })
      .execute(),
  )
  return role
}

export async function findRole(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<Role | undefined> {
  const row = await db
    .selectFrom('roles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toRole(row) : undefined
}

/** Roles by name; `nameFilter` matches any part of the name, whatever its case. */
export async function listRoles(
  db: Kysely<Database>,
  tenantId: string,
  page: Page,
  nameFilter?: string,
): Promise<Paged<Role>> {
  let query = db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId)
  if (nameFilter) {
    // Case-insensitive, with the same escape character on SQLite and PostgreSQL.
    const pattern = containsPattern(nameFilter)
    query = query.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`)
  }
  return mapPage(await paged(query.orderBy('name').orderBy('id'), page), toRole)
}

/** Throws `ConflictError` when the new name is taken in this tenant. */
export async function updateRole(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  changes: Partial<Omit<Role, 'id'>>,
): Promise<Role | undefined> {
  const current = await findRole(db, tenantId, id)
  if (!current) return undefined
  const next = { ...current, ...changes }
  await conflictAs('role', () =>
    db
      .updateTable('roles')
      .set({ name: next.name, description: next.description, auth0: json(next.auth0 ?? {}) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute(),
  )
  return next
}

export async function deleteRole(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('roles')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** The permissions `owner` holds directly, ordered by API then name. */
export async function listPermissions(
  db: Kysely<Database>,
  owner: PermissionOwner,
  page: Page,
): Promise<Paged<PermissionRef>> {
  const { table, owner: column } = PERMISSION_TABLES[owner.kind]
  const query = db
    .selectFrom(table)
    .select(['resource_server_identifier', 'permission_name'])
    .where('tenant_id', '=', owner.tenantId)
    .where(column, '=', owner.id)
    .orderBy('resource_server_identifier')
    .orderBy('permission_name')
  return mapPage(await paged(query, page), toPermissionRef)
}

/** Gives `owner` the permissions (holding one twice is no change). */
export async function addPermissions(
  db: Kysely<Database>,
  owner: PermissionOwner,
  permissions: readonly PermissionRef[],
): Promise<void> {
  if (permissions.length === 0) return
  const { table, owner: column } = PERMISSION_TABLES[owner.kind]
  await db
    .insertInto(table)
    .values(
      permissions.map((p) => ({
        tenant_id: owner.tenantId,
        [column]: owner.id,
        resource_server_identifier: p.resourceServerIdentifier,
        permission_name: p.permissionName,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export async function removePermissions(
  db: Kysely<Database>,
  owner: PermissionOwner,
  permissions: readonly PermissionRef[],
): Promise<void> {
  if (permissions.length === 0) return
  const { table, owner: column } = PERMISSION_TABLES[owner.kind]
  await db.transaction().execute(async (trx) => {
    for (const p of permissions) {
      await trx
        .deleteFrom(table)
        .where('tenant_id', '=', owner.tenantId)
        .where(column, '=', owner.id)
        .where('resource_server_identifier', '=', p.resourceServerIdentifier)
        .where('permission_name', '=', p.permissionName)
        .execute()
    }
  })
}

/**
 * Removes every permission, of users and of roles, on the API `identifier`, except those named
 * in `kept` (when given).
 */
export async function dropPermissionsOnApi(
  db: Kysely<Database>,
  tenantId: string,
  identifier: string,
  kept?: readonly string[],
): Promise<void> {
  for (const { table } of [PERMISSION_TABLES.user, PERMISSION_TABLES.role]) {
    let removal = db
      .deleteFrom(table)
      .where('tenant_id', '=', tenantId)
      .where('resource_server_identifier', '=', identifier)
    if (kept && kept.length > 0) removal = removal.where('permission_name', 'not in', kept)
    await removal.execute()
  }
}

/** Permission names the user holds on the API, directly or through any of their roles. */
export async function permissionNamesFor(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  audience: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('user_permissions')
    .select('permission_name')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('resource_server_identifier', '=', audience)
    .union(
      db
        .selectFrom('user_roles')
        .innerJoin('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
        .select('role_permissions.permission_name')
        .where('user_roles.tenant_id', '=', tenantId)
        .where('user_roles.user_id', '=', userId)
        .where('role_permissions.resource_server_identifier', '=', audience),
    )
    .execute()
  return new Set(rows.map((row) => row.permission_name))
}

/** Every permission of the user, each with its sources, ordered by API then name. */
export async function userPermissions(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  page: Page,
): Promise<Paged<UserPermission>> {
  const [direct, fromRoles] = await Promise.all([
    db
      .selectFrom('user_permissions')
      .select(['resource_server_identifier', 'permission_name'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .execute(),
    db
      .selectFrom('user_roles')
      .innerJoin('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .select([
        'role_permissions.resource_server_identifier',
        'role_permissions.permission_name',
        'roles.id as role_id',
        'roles.name as role_name',
      ])
      .where('user_roles.tenant_id', '=', tenantId)
      .where('user_roles.user_id', '=', userId)
      .orderBy('roles.name')
      .execute(),
  ])
  const byKey = new Map<
    string,
    { ref: PermissionRef; sources: UserPermission['sources'][number][] }
  >()
  const entry = (row: { resource_server_identifier: string; permission_name: string }) => {
    const key = `${row.resource_server_identifier}\u0000${row.permission_name}`
    let found = byKey.get(key)
    if (!found) {
      found = { ref: toPermissionRef(row), sources: [] }
      byKey.set(key, found)
    }
    return found
  }
  for (const row of direct) entry(row).sources.push({ type: 'DIRECT' })
  for (const row of fromRoles) {
    entry(row).sources.push({ type: 'ROLE', roleId: row.role_id, roleName: row.role_name })
  }
  const all = [...byKey.values()]
    .map(({ ref, sources }) => ({ ...ref, sources }))
    .sort(
      (a, b) =>
        a.resourceServerIdentifier.localeCompare(b.resourceServerIdentifier) ||
        a.permissionName.localeCompare(b.permissionName),
    )
  return pageOf(all, page)
}

/** Assigns each role to each user named beside it (assigning twice is no change). */
export async function assignRoles(
  db: Kysely<Database>,
  tenantId: string,
  assignments: readonly { readonly userId: string; readonly roleId: string }[],
): Promise<void> {
  if (assignments.length === 0) return
  await db
    .insertInto('user_roles')
    .values(assignments.map((a) => ({ tenant_id: tenantId, user_id: a.userId, role_id: a.roleId })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export async function unassignRoles(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  roleIds: readonly string[],
): Promise<void> {
  if (roleIds.length === 0) return
  await db
    .deleteFrom('user_roles')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('role_id', 'in', roleIds)
    .execute()
}

/** The roles assigned to the user, by name. */
export async function listUserRoles(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
  page: Page,
): Promise<Paged<Role>> {
  const query = db
    .selectFrom('user_roles')
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .select(['roles.id', 'roles.name', 'roles.description'])
    .where('user_roles.tenant_id', '=', tenantId)
    .where('user_roles.user_id', '=', userId)
    .orderBy('roles.name')
    .orderBy('roles.id')
  return paged(query, page)
}

/** The users a role is assigned to, with what consent requests told of them. */
export async function listRoleUsers(
  db: Kysely<Database>,
  tenantId: string,
  roleId: string,
  page: Page,
): Promise<Paged<Pick<User, 'userId' | 'name' | 'email'>>> {
  const query = db
    .selectFrom('user_roles')
    .leftJoin('users', (join) =>
      join
        .onRef('users.tenant_id', '=', 'user_roles.tenant_id')
        .onRef('users.user_id', '=', 'user_roles.user_id'),
    )
    .select(['user_roles.user_id', 'users.name', 'users.email'])
    .where('user_roles.tenant_id', '=', tenantId)
    .where('user_roles.role_id', '=', roleId)
    .orderBy('user_roles.user_id')
  return mapPage(await paged(query, page), (row) => ({
    userId: row.user_id,
    name: row.name ?? null,
    email: row.email ?? null,
  }))
}
