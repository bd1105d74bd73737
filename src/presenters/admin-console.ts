import type { GrantedScopes } from '../read-models.js'

/** The console's sections, each shown only to a session whose scopes may read it. */
const SECTIONS = [
  { id: 'apis', label: 'APIs', href: '/admin/apis', scope: 'read:resource_servers' },
  { id: 'roles', label: 'Roles', href: '/admin/roles', scope: 'read:roles' },
  { id: 'users', label: 'Users', href: '/admin/users', scope: 'read:users' },
  { id: 'clients', label: 'Clients', href: '/admin/clients', scope: 'read:clients' },
  {
    id: 'settings',
    label: 'Tenant settings',
    href: '/admin/settings',
    scope: 'read:tenant_settings',
  },
  { id: 'logs', label: 'Logs', href: '/admin/logs', scope: 'read:logs' },
  { id: 'insights', label: 'Insights', href: '/admin/insights', scope: 'read:stats' },
  { id: 'preview', label: 'Flag preview', href: '/admin/preview', scope: null },
] as const

export type SectionId = (typeof SECTIONS)[number]['id']

const allows = (scopes: GrantedScopes, scope: string | null) =>
  scope === null || scopes === 'all' || scopes.has(scope)

/** What every console page's header needs: the tenant, the sections this session may open. */
export function consoleShell(input: {
  tenantName: string
  scopes: GrantedScopes
  current: SectionId
  csrf: string
}) {
  return {
    tenantName: input.tenantName,
    csrf: input.csrf,
    nav: SECTIONS.filter((section) => allows(input.scopes, section.scope)).map((section) => ({
      label: section.label,
      href: section.href,
      current: section.id === input.current,
    })),
  }
}

/** A form shown again after a refusal: what the user typed, and the message beside each field. */
export interface FormState {
  readonly values: Readonly<Record<string, string>>
  readonly errors: Readonly<Record<string, string>>
}

export const emptyForm: FormState = { values: {}, errors: {} }
