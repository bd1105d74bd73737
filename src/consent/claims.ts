import type { PromptLine } from './scope-lines.js'

/**
 * The claims each standard scope releases (OpenID Connect Core 1.0 §5.4), in the order the
 * specification lists them: what a line for the scope opens to on the prompt (DESIGN §3.9).
 * `openid` and `offline_access` release no claim of their own.
 */
export const STANDARD_SCOPE_CLAIMS = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
} as const

export type StandardClaim =
  (typeof STANDARD_SCOPE_CLAIMS)[keyof typeof STANDARD_SCOPE_CLAIMS][number]

/** Every claim a standard scope releases, once: each has words in every locale (`claims.*`). */
export const STANDARD_CLAIMS: readonly StandardClaim[] = Object.values(STANDARD_SCOPE_CLAIMS).flat()

/** The claims `scope` releases; none for a scope that is not one of §5.4's four. */
export function scopeClaims(scope: string): readonly StandardClaim[] {
  return Object.hasOwn(STANDARD_SCOPE_CLAIMS, scope)
    ? STANDARD_SCOPE_CLAIMS[scope as keyof typeof STANDARD_SCOPE_CLAIMS]
    : []
}

/** The claims a prompt line releases: a standard scope's line opens to them, any other has none. */
export function lineClaims(line: PromptLine): readonly StandardClaim[] {
  return line.kind === 'standard' ? line.scopes.flatMap(scopeClaims) : []
}
