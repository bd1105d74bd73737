/** Plain data the domain works on: what the store holds, with no storage or HTTP in it. */

export interface ApiScope {
  readonly value: string
  readonly description: string
  /** Per-locale descriptions, keyed by BCP 47 tag (DESIGN §4.2). */
  readonly descriptions?: Readonly<Record<string, string>>
}

export type TokenDialect =
  | 'access_token'
  | 'access_token_authz'
  | 'rfc9068_profile'
  | 'rfc9068_profile_authz'

export interface Api {
  readonly identifier: string
  readonly name: string
  readonly scopes: readonly ApiScope[]
  readonly enforcePolicies: boolean
  readonly allowOfflineAccess: boolean
  readonly skipConsentForVerifiableFirstPartyClients: boolean
  readonly tokenDialect: TokenDialect
}
