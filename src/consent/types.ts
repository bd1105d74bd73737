/** Plain data the domain works on: what the store holds, with no storage or HTTP in it. */

export interface ApiScope {
  readonly value: string
  readonly description: string
  /** Per-locale descriptions, keyed by BCP 47 tag (DESIGN §4.2). */
  readonly descriptions?: Readonly<Record<string, string>>
  /** Bumped when the text changes or the scope is re-created (DESIGN §3.5.1); absent: 1. */
  readonly version?: number
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
