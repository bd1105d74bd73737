/**
 * A scope value as the prompt understands it (DESIGN §1.1): split once, on the first colon.
 * `read:users:admin` is action `read` on resource `users:admin`; `admin`, `:x` and `x:` are plain.
 */
export type ParsedScope =
  | {
      readonly kind: 'action'
      readonly value: string
      readonly action: string
      readonly resource: string
    }
  | { readonly kind: 'plain'; readonly value: string }

export function parseScope(value: string): ParsedScope {
  const colon = value.indexOf(':')
  if (colon <= 0 || colon === value.length - 1) return { kind: 'plain', value }
  return { kind: 'action', value, action: value.slice(0, colon), resource: value.slice(colon + 1) }
}

/**
 * Splits an OAuth `scope` parameter (RFC 6749 §3.3: space-delimited) into its values, in order,
 * without duplicates or empty entries.
 */
export function splitScopeString(scope: string | undefined | null): string[] {
  if (!scope) return []
  const seen = new Set<string>()
  for (const value of scope.split(/[ \t\r\n]+/)) {
    if (value !== '') seen.add(value)
  }
  return [...seen]
}

/** The standard OpenID Connect scopes, in the order a prompt lists them (DESIGN §1.2). */
export const STANDARD_SCOPES = [
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
] as const

export type StandardScope = (typeof STANDARD_SCOPES)[number]

export function isStandardScope(value: string): value is StandardScope {
  return (STANDARD_SCOPES as readonly string[]).includes(value)
}

/**
 * Names that can never be API permissions (DESIGN §1.5): the standard scopes and the claims
 * they release, so that an API cannot shadow what an ID token means.
 */
export const RESERVED_SCOPE_NAMES: ReadonlySet<string> = new Set([
  'address',
  'created_at',
  'email',
  'email_verified',
  'family_name',
  'given_name',
  'identities',
  'name',
  'nickname',
  'offline_access',
  'openid',
  'phone',
  'picture',
  'profile',
])

/** Limits on an API's scopes (DESIGN §1.5). */
export const SCOPE_LIMITS = {
  valueMaxLength: 280,
  descriptionMaxLength: 500,
  scopesPerApi: 1000,
} as const

/** 1–280 characters, no whitespace and no control characters. */
export function isValidScopeValue(value: string): boolean {
  return (
    value.length >= 1 && value.length <= SCOPE_LIMITS.valueMaxLength && !/[\s\p{Cc}]/u.test(value)
  )
}
