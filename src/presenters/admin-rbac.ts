import type { PromptMode } from '../consent/index.js'
import type {
  Grant,
  PermissionRef,
  Receipt,
  ResourceServer,
  Role,
  User,
  UserPermission,
} from '../entities.js'
import type { Translator } from '../i18n/i18n.js'
import type { ConnectedApp } from '../read-models.js'
import type { FormState } from './admin-console.js'
import { promptLineViews } from './consent-page.js'

/** `identifier permission`: one field naming a permission of an API (identifiers hold no space). */
export const permissionKey = (ref: PermissionRef) =>
  `${ref.resourceServerIdentifier} ${ref.permissionName}`

/** Every API's permissions, grouped by API, for a `<select>`. */
function permissionChoices(apis: readonly ResourceServer[]) {
  return apis
    .filter((api) => api.scopes.length > 0)
    .map((api) => ({
      label: api.name,
      options: api.scopes.map((scope) => ({
        value: permissionKey({
          resourceServerIdentifier: api.identifier,
          permissionName: scope.value,
        }),
        label: scope.value,
      })),
    }))
}

const roleHref = (role: Pick<Role, 'id'>) => `/admin/roles/${encodeURIComponent(role.id)}`
export const userHref = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`

export function roleListModel(input: {
  roles: readonly Role[]
  canCreate: boolean
  form: FormState
}) {
  return {
    roles: input.roles.map((role) => ({
      name: role.name,
      description: role.description,
      href: roleHref(role),
    })),
    canCreate: input.canCreate,
    form: input.form,
  }
}

/** A role's page: its name and description, its permissions and its users. */
export function roleModel(input: {
  role: Role
  permissions: readonly [PermissionRef, ResourceServer | undefined][]
  users: readonly Pick<User, 'userId' | 'name' | 'email'>[]
  apis: readonly ResourceServer[]
  can: { update: boolean; remove: boolean }
  form: FormState
}) {
  const { role, form } = input
  const href = roleHref(role)
  return {
    name: role.name,
    action: href,
    deleteAction: `${href}/delete`,
    permissionsAction: `${href}/permissions`,
    usersAction: `${href}/users`,
    values: {
      name: form.values.name ?? role.name,
      description: form.values.description ?? role.description,
    },
    userId: form.values.user_id ?? '',
    errors: form.errors,
    can: input.can,
    permissions: input.permissions.map(([ref, api]) => ({
      key: permissionKey(ref),
      value: ref.permissionName,
      api: api?.name ?? ref.resourceServerIdentifier,
    })),
    choices: permissionChoices(input.apis),
    users: input.users.map((user) => ({
      userId: user.userId,
      label: user.name ?? user.email ?? '',
      href: userHref(user.userId),
    })),
  }
}

/** A user's page: permissions with their sources, roles, grants (DESIGN §5). */
export function userModel(input: {
  userId: string
  seen: User | undefined
  permissions: readonly [UserPermission, ResourceServer | undefined][]
  roles: readonly Role[]
  allRoles: readonly Role[]
  grants: readonly Grant[] | null
  apis: readonly ResourceServer[]
  can: { update: boolean; revoke: boolean }
  form: FormState
  /** Read-only: the user's connected apps and consent receipts; `null` without the scope. */
  evidence?: {
    connected: readonly ConnectedApp[] | null
    receipts: readonly Receipt[] | null
    mode: PromptMode
    tr: Translator
  }
}) {
  const href = userHref(input.userId)
  const evidence = input.evidence
  const held = new Set(input.roles.map((role) => role.id))
  return {
    userId: input.userId,
    seen: input.seen ? { name: input.seen.name ?? '', email: input.seen.email ?? '' } : null,
    rolesAction: `${href}/roles`,
    permissionsAction: `${href}/permissions`,
    grantsAction: `${href}/grants`,
    can: input.can,
    errors: input.form.errors,
    permissions: input.permissions.map(([permission, api]) => ({
      key: permissionKey(permission),
      value: permission.permissionName,
      api: api?.name ?? permission.resourceServerIdentifier,
      direct: permission.sources.some((source) => source.type === 'DIRECT'),
      sources: permission.sources.map((source) =>
        source.type === 'DIRECT'
          ? { label: 'Direct', href: null }
          : { label: `Role ${source.roleName}`, href: roleHref({ id: source.roleId }) },
      ),
    })),
    roles: input.roles.map((role) => ({ id: role.id, name: role.name, href: roleHref(role) })),
    roleChoices: input.allRoles
      .filter((role) => !held.has(role.id))
      .map((role) => ({ value: role.id, label: role.name })),
    choices: permissionChoices(input.apis),
    grants:
      input.grants?.map((grant) => ({
        id: grant.id,
        clientId: grant.clientId,
        audience: grant.audience,
        scope: grant.scope.join(' '),
        updated: grant.updatedAt.toISOString().slice(0, 16).replace('T', ' '),
      })) ?? null,
    connectedApps:
      evidence?.connected?.map((app) => ({
        name: app.client.name,
        clientId: app.client.clientId,
        granted: utcMinute(app.grantedAt),
        lines: app.access.flatMap(({ api, scopes }) =>
          promptLineViews(evidence.mode, scopes, api, evidence.tr),
        ),
      })) ?? null,
    receipts:
      evidence?.receipts?.map((receipt) => ({
        id: receipt.id,
        action: receipt.action,
        client: receipt.claims.client_name,
        clientId: receipt.clientId,
        at: utcMinute(receipt.recordedAt),
        lines: [...receipt.claims.lines],
        locale: receipt.claims.locale ?? '',
      })) ?? null,
  }
}

const utcMinute = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ')
