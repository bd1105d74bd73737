/**
 * The tenant flags Assent acts on (DESIGN §2, STYLE 16): each named once, with its default and
 * the words the console shows. The Management API's schema, the console's settings form, the
 * preview and each flag's consumer read them from here; flags Assent does not know (Auth0's
 * others) are kept as sent and change nothing.
 */
export const TENANT_FLAGS = [
  {
    name: 'use_scope_descriptions_for_consent',
    default: false,
    label: 'Show scope descriptions on the prompt',
    help: 'Off: scopes are grouped by resource.',
    /** The preview shows the prompt both ways before the admin flips it (DESIGN §5). */
    previewed: true,
  },
  {
    name: 'enable_granular_consent',
    default: false,
    label: 'Let users untick optional scopes',
    help: 'Granular consent for every prompt of the tenant.',
    previewed: false,
  },
] as const

export type FlagName = (typeof TENANT_FLAGS)[number]['name']

export type FlagDefinition = (typeof TENANT_FLAGS)[number]

/** A tenant's flags as stored: the known ones, and any other boolean an admin sent. */
export type TenantFlags = { readonly [K in FlagName]?: boolean } & Readonly<
  Record<string, boolean | undefined>
>

const defaults = new Map<string, boolean>(TENANT_FLAGS.map((flag) => [flag.name, flag.default]))

/** Whether a known flag is on for a tenant: its stored value, else its default. */
export function flagOn(flags: TenantFlags, name: FlagName): boolean {
  const value = flags[name]
  return typeof value === 'boolean' ? value : (defaults.get(name) ?? false)
}

/** Every known flag with its value (stored, else default), then the other flags as stored. */
export function flagValues(flags: TenantFlags): Record<string, boolean> {
  const values: Record<string, boolean> = {}
  for (const flag of TENANT_FLAGS) values[flag.name] = flagOn(flags, flag.name)
  for (const [name, value] of Object.entries(flags))
    if (typeof value === 'boolean' && !defaults.has(name)) values[name] = value
  return values
}
