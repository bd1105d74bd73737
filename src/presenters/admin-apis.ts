import type { ResourceServer } from '../entities.js'
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

type Tab = 'settings' | 'permissions'

/** The header and tabs of one API's page (Settings, Permissions, and the preview link). */
function apiHeader(api: ResourceServer, current: Tab) {
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
    ],
    previewHref: `/admin/preview?audience=${encodeURIComponent(api.identifier)}`,
  }
}

/** The Permissions tab (DESIGN §5): the list in API order, add, edit, move, delete. */
export function apiPermissionsModel(input: {
  api: ResourceServer
  canEdit: boolean
  form: FormState
}) {
  const { api } = input
  const last = api.scopes.length - 1
  return {
    header: apiHeader(api, 'permissions'),
    action: `${base(api)}/permissions`,
    canEdit: input.canEdit && !api.isSystem,
    form: input.form,
    permissions: api.scopes.map((scope, index) => ({
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

/** The Settings tab: name and the switches of DESIGN §1.2, §3.3, §3.4. */
export function apiSettingsModel(input: {
  api: ResourceServer
  canEdit: boolean
  canDelete: boolean
  form: FormState
}) {
  const { api, form } = input
  const checked = (field: string, current: boolean) =>
    field in form.values ? form.values[field] === 'on' : current
  return {
    header: apiHeader(api, 'settings'),
    action: `${base(api)}/settings`,
    deleteAction: `${base(api)}/delete`,
    canEdit: input.canEdit && !api.isSystem,
    canDelete: input.canDelete && !api.isSystem,
    errors: form.errors,
    name: form.values.name ?? api.name,
    switches: [
      {
        name: 'enforce_policies',
        label: 'Enable RBAC',
        hint: 'Only permissions the user holds, directly or through a role, reach the prompt.',
        checked: checked('enforce_policies', api.enforcePolicies),
      },
      {
        name: 'token_dialect',
        label: 'Add permissions in the access token',
        hint: 'The decision carries all of the user’s permissions for this API.',
        checked: checked('token_dialect', api.tokenDialect === 'access_token_authz'),
      },
      {
        name: 'allow_offline_access',
        label: 'Allow offline access',
        hint: 'offline_access is kept on the prompt; without it, it is dropped.',
        checked: checked('allow_offline_access', api.allowOfflineAccess),
      },
      {
        name: 'skip_consent',
        label: 'Allow skipping user consent for first-party clients',
        hint: 'First-party clients get an answer with no prompt (never on localhost).',
        checked: checked('skip_consent', api.skipConsentForVerifiableFirstPartyClients),
      },
    ],
  }
}
