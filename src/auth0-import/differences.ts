import { isDeepStrictEqual } from 'node:util'
import { AUTH0_MODELS } from '../routes/management/auth0-fields/index.generated.js'
import { LEGACY_CLIENT_READ_ONLY } from '../routes/management/auth0-fields.js'

// What an export changes of what Assent holds: the fields to write, and none when a run repeats.

/** Fields of Auth0's answers that no write takes: never a difference worth a write. */
function readOnly(read: keyof typeof AUTH0_MODELS, write: keyof typeof AUTH0_MODELS) {
  const writable = new Set(Object.keys(AUTH0_MODELS[write]))
  return Object.keys(AUTH0_MODELS[read]).filter((name) => !writable.has(name))
}

/**
 * Per kind, the exported fields never compared: the read-only ones (Auth0 answers them, Assent
 * ignores them, so they would differ on every run) and those the import reads itself (the ids and
 * identifier it matches by, a role's permissions).
 */
export const IGNORED: Record<
  'resourceServer' | 'client' | 'role' | 'tenant',
  ReadonlySet<string>
> = {
  resourceServer: new Set([
    ...readOnly('ResourceServer', 'ResourceServerUpdate'),
    'id',
    'identifier',
  ]),
  client: new Set([
    ...readOnly('Client', 'ClientUpdate'),
    ...LEGACY_CLIENT_READ_ONLY,
    'client_secret',
    'resource_server_identifier',
  ]),
  role: new Set([...readOnly('Role', 'RoleUpdate'), 'permissions']),
  tenant: new Set(readOnly('TenantSettings', 'TenantSettingsUpdate')),
}

/** Whether `current` holds `wanted`: objects may hold more keys, lists match item by item. */
function holds(wanted: unknown, current: unknown): boolean {
  if (Array.isArray(wanted))
    return (
      Array.isArray(current) &&
      wanted.length === current.length &&
      wanted.every((item, i) => holds(item, current[i]))
    )
  if (wanted !== null && typeof wanted === 'object')
    return (
      current !== null &&
      typeof current === 'object' &&
      Object.entries(wanted).every(([key, value]) =>
        holds(value, (current as Record<string, unknown>)[key]),
      )
    )
  return wanted === current
}

/**
 * The fields of `wanted` that `current` does not hold. Most compare whole (a PATCH replaces
 * them); the scopes' items and the tenant's flags may hold what the service adds itself (an empty
 * description, the flags left at their defaults), so there what is wanted must only be held.
 */
export function changes(
  wanted: Record<string, unknown>,
  current: Record<string, unknown>,
  ignored: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => {
      if (ignored.has(key)) return false
      if (key === 'scopes' || key === 'flags') return !holds(value, current[key])
      return !isDeepStrictEqual(value, current[key])
    }),
  )
}
