/**
 * The `token_dialect` values (DESIGN §4, as Auth0 names them); the two `_authz` dialects add
 * `permissions` to the decision.
 */
export const TOKEN_DIALECTS = [
  'access_token',
  'access_token_authz',
  'rfc9068_profile',
  'rfc9068_profile_authz',
] as const

export function isTokenDialect(value: string): value is (typeof TOKEN_DIALECTS)[number] {
  return (TOKEN_DIALECTS as readonly string[]).includes(value)
}
