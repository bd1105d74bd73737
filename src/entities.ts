import type { Api, ApiScope, TokenDialect } from './consent/index.js'

/** Tenant settings, with Auth0's field names where Auth0 has them (DESIGN §2, §4.2). */
export interface TenantSettings {
  friendly_name: string
  picture_url?: string
  default_locale?: string
  enabled_locales?: string[]
  flags: { use_scope_descriptions_for_consent?: boolean } & Record<string, boolean | undefined>
  branding?: { logo_url?: string; primary_color?: string }
  /** URL prefixes `return_to` may start with. */
  allowed_return_urls?: string[]
}

export interface Tenant {
  readonly id: string
  readonly domains: readonly string[]
  readonly settings: TenantSettings
  readonly createdAt: Date
}

export interface ResourceServer extends Api {
  readonly id: string
  readonly tokenLifetime: number
  readonly signingAlg: string
  readonly isSystem: boolean
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type NewResourceServer = Omit<ResourceServer, 'createdAt' | 'updatedAt'>

export interface Client {
  readonly clientId: string
  readonly name: string
  readonly description: string
  readonly logoUri: string | null
  readonly isFirstParty: boolean
  readonly callbacks: readonly string[]
  readonly appType: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type NewClient = Omit<Client, 'createdAt' | 'updatedAt'>

export type ResourceServerChanges = Partial<
  Omit<NewResourceServer, 'id' | 'identifier' | 'isSystem'>
>
export type ClientChanges = Partial<Omit<NewClient, 'clientId'>>

export interface Role {
  readonly id: string
  readonly name: string
  readonly description: string
}

export interface PermissionRef {
  readonly resourceServerIdentifier: string
  readonly permissionName: string
}

/** A permission a user holds, with where it comes from (DESIGN §4 `sources`). */
export interface UserPermission extends PermissionRef {
  readonly sources: readonly (
    | { readonly type: 'DIRECT' }
    | { readonly type: 'ROLE'; readonly roleId: string; readonly roleName: string }
  )[]
}

export interface User {
  readonly userId: string
  readonly name: string | null
  readonly email: string | null
  readonly createdAt: Date
  readonly lastSeenAt: Date
}

export interface Grant {
  readonly id: string
  readonly userId: string
  readonly clientId: string
  readonly audience: string
  readonly scope: readonly string[]
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type ConsentStatus = 'pending' | 'accepted' | 'denied'

export interface ConsentRequest {
  readonly id: string
  readonly tenantId: string
  readonly clientId: string
  readonly userId: string
  readonly userName: string | null
  /** `null` when only OpenID Connect scopes were asked for. */
  readonly audience: string | null
  readonly requestedScopes: readonly string[]
  readonly effectiveScopes: readonly string[]
  readonly droppedScopes: readonly string[]
  /** The effective scopes not yet granted: what the page asks about. */
  readonly promptScopes: readonly string[]
  readonly grantedScopes: readonly string[] | null
  readonly prompt: string | null
  readonly uiLocales: string | null
  readonly returnTo: string
  readonly state: string | null
  readonly redirectUri: string
  readonly status: ConsentStatus
  readonly error: string | null
  readonly createdAt: Date
  readonly expiresAt: Date
  readonly answeredAt: Date | null
  /** SHA-256 of the cookie of the browser the page was first opened in (DESIGN §3.2). */
  readonly bindingHash: string | null
  /** SHA-256 of the verifier the answer handed to the browser (DESIGN §3.4). */
  readonly verifierHash: string | null
  /** When the authorization server redeemed the verifier (and the grant was written). */
  readonly verifiedAt: Date | null
}

export type NewConsentRequest = Omit<
  ConsentRequest,
  'answeredAt' | 'bindingHash' | 'verifierHash' | 'verifiedAt'
>

/** A signed-in admin (DESIGN §5): which tenant, with which Management API scopes, until when. */
export interface AdminSession {
  readonly id: string
  readonly tenantId: string
  /** `all` for the static admin token. */
  readonly scopes: readonly string[] | 'all'
  readonly expiresAt: Date
  /** Who signed in: the token's subject, or `admin token` (for the audit trail). */
  readonly subject?: string | null
}

/** One configuration change (issue 19 item 7): who, through what, what, when, before and after. */
export interface AuditEntry {
  readonly id: string
  readonly tenantId: string
  readonly at: Date
  /** The token's subject, or `admin token`. */
  readonly actor: string
  readonly via: 'api' | 'console'
  /** What was done, e.g. `resource_server.update`. */
  readonly action: string
  /** What it was done to: an id, an identifier, `settings`. */
  readonly target: string
  readonly before: unknown
  readonly after: unknown
}

export type { ApiScope, TokenDialect }
