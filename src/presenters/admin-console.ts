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
  { id: 'webhooks', label: 'Webhooks', href: '/admin/webhooks', scope: 'read:webhooks' },
  { id: 'logs', label: 'Logs', href: '/admin/logs', scope: 'read:logs' },
  { id: 'insights', label: 'Insights', href: '/admin/insights', scope: 'read:stats' },
  { id: 'preview', label: 'Flag preview', href: '/admin/preview', scope: null },
] as const

export type SectionId = (typeof SECTIONS)[number]['id']

const allows = (scopes: GrantedScopes, scope: string | null) =>
  scope === null || scopes === 'all' || scopes.has(scope)

/** Where `/admin` lands: the first section this session may open (APIs, with every scope). */
export function landingSection(scopes: GrantedScopes): string {
  return SECTIONS.find((section) => allows(scopes, section.scope))?.href ?? '/admin/preview'
}

/**
 * What a console page says after a change went through (DESIGN §5: every successful change says
 * so). A redirect names the message by key (`?done=saved`); the page shows only these texts, so
 * a link cannot make the console say anything else.
 */
export const DONE = {
  created: 'Created.',
  saved: 'Saved.',
  deleted: 'Deleted.',
  added: 'Added.',
  removed: 'Removed.',
  revoked: 'Access revoked.',
  enabled: 'Enabled.',
} as const

export type Done = keyof typeof DONE

/** `href` with the message of a change that went through. */
export function doneHref(href: string, done: Done): string {
  return `${href}${href.includes('?') ? '&' : '?'}done=${done}`
}

const doneMessage = (key: string | undefined): string | null =>
  key !== undefined && Object.hasOwn(DONE, key) ? DONE[key as Done] : null

/** What every console page's header needs: the tenant, the sections this session may open. */
export function consoleShell(input: {
  tenantName: string
  scopes: GrantedScopes
  current: SectionId
  csrf: string
  /** The page's `?done=`: which change just went through, if any. */
  done?: string | undefined
}) {
  return {
    tenantName: input.tenantName,
    csrf: input.csrf,
    status: doneMessage(input.done),
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
