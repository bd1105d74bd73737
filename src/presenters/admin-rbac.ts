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

/** At most this many permissions in a picker's list: a longer list is narrowed by a filter. */
export const PICKER_LIMIT = 100

/** Which API a permission picker shows, and the text its list is narrowed by (the page's query). */
export interface PickerQuery {
  readonly api?: string | undefined
  readonly find?: string | undefined
}

/** The page's address with the picker's state, for its forms and the redirect after a change. */
export function pickerSearch(pick: PickerQuery): string {
  const query = new URLSearchParams()
  if (pick.api) query.set('api', pick.api)
  if (pick.find) query.set('find', pick.find)
  const text = query.toString()
  return text ? `?${text}` : ''
}

/**
 * A permission picker that stays small whatever the APIs hold (DESIGN §5): first the API (a GET
 * form, no script), then that API's permissions, narrowed by a filter on name and description
 * and cut at `PICKER_LIMIT`. With one API that has permissions, that API is chosen already.
 */
export function permissionPicker(apis: readonly ResourceServer[], pick: PickerQuery) {
  const withScopes = apis.filter((api) => api.scopes.length > 0)
  const chosen =
    withScopes.find((api) => api.id === pick.api) ??
    (withScopes.length === 1 ? withScopes[0] : undefined)
  const find = (pick.find ?? '').trim()
  const needle = find.toLowerCase()
  const matching = (chosen?.scopes ?? []).filter(
    (scope) =>
      !needle ||
      scope.value.toLowerCase().includes(needle) ||
      scope.description.toLowerCase().includes(needle),
  )
  return {
    apis: withScopes.map((api) => ({ value: api.id, label: api.name, selected: api === chosen })),
    find,
    api: chosen ? { id: chosen.id, name: chosen.name } : null,
    options: matching.slice(0, PICKER_LIMIT).map((scope) => ({
      value: permissionKey({
        resourceServerIdentifier: chosen?.identifier ?? '',
        permissionName: scope.value,
      }),
      label: scope.description ? `${scope.value} — ${scope.description}` : scope.value,
    })),
    summary: !chosen
      ? null
      : matching.length > PICKER_LIMIT
        ? `The first ${PICKER_LIMIT} of ${matching.length} permissions${find ? ' matching the filter' : ''}: filter to narrow.`
        : matching.length === 0
          ? find
            ? 'No permission of this API matches the filter.'
            : 'This API has no permission.'
          : null,
    search: pickerSearch({ api: chosen?.id, find }),
  }
}

const roleHref = (role: Pick<Role, 'id'>) => `/admin/roles/${encodeURIComponent(role.id)}`
export const userHref = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`

/** The Users section: one page of the users found, and links to the pages around it. */
export function userListModel(input: {
  users: { readonly items: readonly User[]; readonly total: number }
  search: string
  page: number
  perPage: number
}) {
  const { search, page, perPage } = input
  const { total } = input.users
  const href = (to: number) => {
    const query = new URLSearchParams()
    if (search) query.set('q', search)
    if (to > 0) query.set('page', String(to))
    const text = query.toString()
    return text ? `/admin/users?${text}` : '/admin/users'
  }
  const first = page * perPage
  return {
    search,
    users: input.users.items.map((user) => ({
      userId: user.userId,
      name: user.name ?? '',
      email: user.email ?? '',
      lastSeen: user.lastSeenAt.toISOString().slice(0, 10),
      iso: user.lastSeenAt.toISOString(),
      href: userHref(user.userId),
    })),
    // Users who never reached a prompt are not in the list; their page opens by id all the same.
    open: search && !/\s/.test(search) ? { userId: search, href: userHref(search) } : null,
    range: total === 0 ? null : `${first + 1}–${Math.min(first + perPage, total)} of ${total}`,
    previous: page > 0 ? href(page - 1) : null,
    next: first + perPage < total ? href(page + 1) : null,
  }
}

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
  pick: PickerQuery
  can: { update: boolean; remove: boolean }
  form: FormState
}) {
  const { role, form } = input
  const href = roleHref(role)
  const picker = permissionPicker(input.apis, input.pick)
  return {
    name: role.name,
    href,
    action: href,
    deleteAction: `${href}/delete`,
    permissionsAction: `${href}/permissions${picker.search}`,
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
    picker,
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
  pick: PickerQuery
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
  const picker = permissionPicker(input.apis, input.pick)
  return {
    userId: input.userId,
    href,
    seen: input.seen ? { name: input.seen.name ?? '', email: input.seen.email ?? '' } : null,
    rolesAction: `${href}/roles`,
    permissionsAction: `${href}/permissions${picker.search}`,
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
    picker,
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
