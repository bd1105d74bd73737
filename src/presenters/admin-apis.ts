import { isTokenDialect, TOKEN_DIALECTS } from '../consent/index.js'
import type { ResourceServer, TokenDialect } from '../entities.js'
import type { FormState } from './admin-console.js'

const base = (api: ResourceServer) => `/admin/apis/${encodeURIComponent(api.id)}`

/** The APIs list, with the create form when the session may create. */
export function apiListModel(input: {
  apis: readonly ResourceServer[]
  canCreate: boolean
  form: FormState
}) {
  return {
    apis: input.apis.map((api) => ({
      name: api.name,
      identifier: api.identifier,
      href: `${base(api)}/permissions`,
      permissions: api.scopes.length,
      system: api.isSystem,
    })),
    canCreate: input.canCreate,
    form: input.form,
  }
}

type Tab = 'settings' | 'permissions' | 'labels' | 'details'

/** An API's Labels tab, open at one resource (DESIGN §4.2: grouped lines in every language). */
export const labelsHref = (api: Pick<ResourceServer, 'id'>, resource?: string) =>
  `/admin/apis/${encodeURIComponent(api.id)}/labels${resource === undefined ? '' : `?resource=${encodeURIComponent(resource)}`}`

/** The header and tabs of one API's page (Settings, Permissions, Labels, Authorization details, Preview). */
export function apiHeader(api: ResourceServer, current: Tab) {
  return {
    name: api.name,
    identifier: api.identifier,
    tabs: [
      { label: 'Settings', href: `${base(api)}/settings`, current: current === 'settings' },
      {
        label: 'Permissions',
        href: `${base(api)}/permissions`,
        current: current === 'permissions',
      },
      { label: 'Labels', href: labelsHref(api), current: current === 'labels' },
      {
        label: 'Authorization details',
        href: `${base(api)}/details`,
        current: current === 'details',
      },
    ],
    previewHref: `/admin/preview?audience=${encodeURIComponent(api.identifier)}`,
  }
}

/** Permissions a tab lists at once; a longer list is paged and can be filtered. */
export const PERMISSIONS_PER_PAGE = 100

/**
 * The Permissions tab (DESIGN §5): the list in API order, add, edit, move, delete; a page of
 * `PERMISSIONS_PER_PAGE` at a time, narrowed by `find` (part of the name or description).
 */
export function apiPermissionsModel(input: {
  api: ResourceServer
  canEdit: boolean
  form: FormState
  find?: string | undefined
  page?: number | undefined
}) {
  const { api } = input
  const last = api.scopes.length - 1
  const find = (input.find ?? '').trim()
  const needle = find.toLowerCase()
  const matching = api.scopes
    .map((scope, index) => ({ scope, index }))
    .filter(
      ({ scope }) =>
        !needle ||
        scope.value.toLowerCase().includes(needle) ||
        scope.description.toLowerCase().includes(needle),
    )
  const pages = Math.max(1, Math.ceil(matching.length / PERMISSIONS_PER_PAGE))
  const page = Math.min(input.page ?? 0, pages - 1)
  const first = page * PERMISSIONS_PER_PAGE
  const shown = matching.slice(first, first + PERMISSIONS_PER_PAGE)
  const href = (to: number) => {
    const query = new URLSearchParams()
    if (find) query.set('find', find)
    if (to > 0) query.set('page', String(to))
    const text = query.toString()
    return `${base(api)}/permissions${text ? `?${text}` : ''}`
  }
  return {
    header: apiHeader(api, 'permissions'),
    action: `${base(api)}/permissions`,
    canEdit: input.canEdit && !api.isSystem,
    form: input.form,
    // The filter and the pager only when there is more than a page, or a filter is on.
    browse:
      api.scopes.length > PERMISSIONS_PER_PAGE || find
        ? {
            find,
            range:
              matching.length === 0
                ? 'No permission matches the filter.'
                : `${first + 1}–${first + shown.length} of ${matching.length}${find ? ` matching (${api.scopes.length} in all)` : ''}`,
            previous: page > 0 ? href(page - 1) : null,
            next: page < pages - 1 ? href(page + 1) : null,
          }
        : null,
    permissions: shown.map(({ scope, index }) => ({
      value: scope.value,
      description: scope.description,
      locales: Object.keys(scope.descriptions ?? {}).sort(),
      editHref: `${base(api)}/permissions/edit?value=${encodeURIComponent(scope.value)}`,
      canUp: index > 0,
      canDown: index < last,
    })),
  }
}

/** Per-locale descriptions as the textarea shows them: one `locale: text` a line. */
export function localeLines(descriptions: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(descriptions ?? {})
    .map(([locale, text]) => `${locale}: ${text}`)
    .join('\n')
}

/** The page that edits one permission's description and its translations. */
export function permissionEditModel(input: {
  api: ResourceServer
  value: string
  form: FormState
}) {
  const scope = input.api.scopes.find((s) => s.value === input.value)
  return {
    header: apiHeader(input.api, 'permissions'),
    action: `${base(input.api)}/permissions/edit`,
    back: `${base(input.api)}/permissions`,
    value: input.value,
    description: input.form.values.description ?? scope?.description ?? '',
    descriptions: input.form.values.descriptions ?? localeLines(scope?.descriptions),
    errors: input.form.errors,
  }
}

/** Each `token_dialect` (DESIGN §4) in words: the console's one control for it. */
const DIALECT_LABELS: Readonly<Record<TokenDialect, string>> = {
  access_token: 'Access token (Auth0)',
  access_token_authz: 'Access token (Auth0), with a permissions claim',
  rfc9068_profile: 'RFC 9068 JWT profile',
  rfc9068_profile_authz: 'RFC 9068 JWT profile, with a permissions claim',
}

/**
 * The Settings form's fields as the page shows them for `api`, in the shape its post is parsed
 * to: what a save compares the post with, so it writes only what the admin changed.
 */
export function apiSettingsValues(api: ResourceServer) {
  return {
    name: api.name,
    token_dialect: api.tokenDialect as string,
    enforce_policies: api.enforcePolicies,
    allow_offline_access: api.allowOfflineAccess,
    skip_consent: api.skipConsentForVerifiableFirstPartyClients,
  }
}

/** The Settings tab: name, the token dialect and the switches of DESIGN §1.2, §3.3, §3.4. */
export function apiSettingsModel(input: {
  api: ResourceServer
  canEdit: boolean
  canDelete: boolean
  form: FormState
}) {
  const { api, form } = input
  const shown = apiSettingsValues(api)
  const checked = (field: keyof typeof shown, current: boolean) =>
    field in form.values ? form.values[field] === 'on' : current
  // A refused value is named in the message beside the control; the control keeps a real one.
  const typed = form.values.token_dialect
  const dialect = typed !== undefined && isTokenDialect(typed) ? typed : api.tokenDialect
  return {
    header: apiHeader(api, 'settings'),
    action: `${base(api)}/settings`,
    deleteAction: `${base(api)}/delete`,
    canEdit: input.canEdit && !api.isSystem,
    canDelete: input.canDelete && !api.isSystem,
    errors: form.errors,
    name: form.values.name ?? shown.name,
    dialects: TOKEN_DIALECTS.map((value) => ({
      value,
      label: DIALECT_LABELS[value],
      selected: value === dialect,
    })),
    switches: [
      {
        name: 'enforce_policies',
        label: 'Enable RBAC',
        hint: 'Only permissions the user holds, directly or through a role, reach the prompt.',
        checked: checked('enforce_policies', shown.enforce_policies),
      },
      {
        name: 'allow_offline_access',
        label: 'Allow offline access',
        hint: 'offline_access is kept on the prompt; without it, it is dropped.',
        checked: checked('allow_offline_access', shown.allow_offline_access),
      },
      {
        name: 'skip_consent',
        label: 'Allow skipping user consent for first-party clients',
        hint: 'First-party clients get an answer with no prompt (never on localhost).',
        checked: checked('skip_consent', shown.skip_consent),
      },
    ],
  }
}
