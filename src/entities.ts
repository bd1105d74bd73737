import type {
  Api,
  ApiScope,
  AuthorizationDetail,
  DeviceSignIn,
  DurationChoice,
  GrantedScope,
  RenditionContent,
  TenantFlags,
  TokenDialect,
} from './consent/index.js'

/** Tenant settings, with Auth0's field names where Auth0 has them (DESIGN §2, §4.2). */
export interface TenantSettings {
  friendly_name: string
  picture_url?: string
  default_locale?: string
  enabled_locales?: string[]
  /** The known ones are named in `src/consent/flags.ts`; other flags are kept as sent. */
  flags: TenantFlags
  branding?: { logo_url?: string; primary_color?: string }
  /** URL prefixes `return_to` may start with. */
  allowed_return_urls?: string[]
  /** Seconds a grant counts unless the client sets its own (DESIGN §3.5.1); absent: forever. */
  consent_lifetime?: number
  /** Seconds a self-registered app's grants count unless it sets its own (DESIGN §3.10). */
  dynamic_client_consent_lifetime?: number
  /** How long users may choose to allow an app, unless the client sets its own (DESIGN §3.5.1). */
  consent_duration_choices?: DurationChoice[]
  /** Auth0's fields Assent keeps without acting on them, returned as sent (DESIGN §4.2.1). */
  auth0?: Record<string, unknown>
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
  /** Auth0's fields Assent keeps without acting on them, returned as sent (DESIGN §4.2.1). */
  readonly auth0?: Readonly<Record<string, unknown>>
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
  /** `false`: the prompt warns that the tenant has not verified this app (DESIGN §3.5.2). */
  readonly isVerified: boolean
  /** Seconds a grant to this client counts (DESIGN §3.5.1); `null`: the tenant's setting. */
  readonly consentLifetime: number | null
  /** The durations its prompt offers (DESIGN §3.5.1); `null`: the tenant's. */
  readonly consentDurationChoices: readonly DurationChoice[] | null
  /** The app's home page, privacy policy and terms (https, or http on loopback; no credentials). */
  readonly clientUri: string | null
  readonly policyUri: string | null
  readonly tosUri: string | null
  /** Registered by the app itself (dynamic registration, DESIGN §3.10), never first-party. */
  readonly isDynamic: boolean
  /** When a self-registered app registered; `null` for the others. */
  readonly registeredAt: Date | null
  /** Auth0's fields Assent keeps without acting on them, returned as sent (DESIGN §4.2.1). */
  readonly auth0?: Readonly<Record<string, unknown>>
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** What a new client may leave unset, each taking its default. */
type ClientDefaulted =
  | 'isVerified'
  | 'consentLifetime'
  | 'consentDurationChoices'
  | 'clientUri'
  | 'policyUri'
  | 'tosUri'
  | 'isDynamic'

/** A client to create; unset, it is verified and follows the tenant's consent lifetime. */
export type NewClient = Omit<Client, 'createdAt' | 'updatedAt' | 'registeredAt' | ClientDefaulted> &
  Partial<Pick<Client, ClientDefaulted>>

export type ResourceServerChanges = Partial<
  Omit<NewResourceServer, 'id' | 'identifier' | 'isSystem'>
>
/** Which clients a list holds (Auth0's `GET /clients` filters); unset: all. */
export interface ClientFilter {
  readonly isFirstParty?: boolean | undefined
  readonly appTypes?: readonly string[] | undefined
  /** Any part of the name or the client id, whatever its case. */
  readonly q?: string | undefined
  /** Only the self-registered clients, or only the others (DESIGN §3.10). */
  readonly isDynamic?: boolean | undefined
}

/** Whether an app registered itself is fixed when it is created. */
export type ClientChanges = Partial<Omit<NewClient, 'clientId' | 'isDynamic'>>

export interface Role {
  readonly id: string
  readonly name: string
  readonly description: string
  /** Auth0's fields Assent keeps without acting on them, returned as sent (DESIGN §4.2.1). */
  readonly auth0?: Readonly<Record<string, unknown>>
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
  /** Per scope, the version the user was shown and when they granted it (DESIGN §3.5.1). */
  readonly details: Readonly<Record<string, GrantedScope>>
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
  /** `''` for a device sign-in, which has no redirect (DESIGN §3.10). */
  readonly redirectUri: string
  /** A device sign-in (RFC 8628): the code the AS showed on the device, and the device's name. */
  readonly device: DeviceSignIn | null
  /** The AS's "Not you?" URL (DESIGN §3.1), allowed as `return_to` is. */
  readonly switchAccountUrl: string | null
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
  /** The user picks which optional lines to share (DESIGN §3.5). */
  readonly granular: boolean
  /** Scopes the user cannot untick (`openid` always, when asked). */
  readonly requiredScopes: readonly string[]
  /** What a granular accept left unticked; `null` until answered. */
  readonly declinedScopes: readonly string[] | null
  /** Granted before, but reworded or re-created since: why the user is asked again. */
  readonly changedScopes: readonly string[]
  /** The latest render of the prompt, and after an answer the page it was given on. */
  readonly shown: ShownPage | null
  /** The receipt its verify wrote (DESIGN §3.6). */
  readonly receiptId: string | null
  /** The RFC 9396 entries the AS asked about, as it sent them (DESIGN §3.9); `null`: none. */
  readonly authorizationDetails: readonly AuthorizationDetail[] | null
  /** The indexes of the entries an accept approved; `null` until answered, or with no entries. */
  readonly approvedDetails: readonly number[] | null
  /** The duration an accept chose, when its page offered durations (DESIGN §3.5.1). */
  readonly chosenDuration: ChosenDuration | null
}

/** A duration the user picked: seconds, or `null` for "until I remove it". */
export interface ChosenDuration {
  readonly seconds: DurationChoice
}

/** A request to store; unset, it is all-or-nothing, requires only `openid`, and re-asks nothing. */
export type NewConsentRequest = Omit<
  ConsentRequest,
  | 'answeredAt'
  | 'bindingHash'
  | 'verifierHash'
  | 'verifiedAt'
  | 'declinedScopes'
  | 'granular'
  | 'requiredScopes'
  | 'changedScopes'
  | 'shown'
  | 'receiptId'
  | 'chosenDuration'
  | 'device'
  | 'switchAccountUrl'
  | 'authorizationDetails'
  | 'approvedDetails'
> &
  Partial<
    Pick<
      ConsentRequest,
      | 'granular'
      | 'requiredScopes'
      | 'changedScopes'
      | 'device'
      | 'switchAccountUrl'
      | 'authorizationDetails'
    >
  >

/**
 * Who is making a change, and through what: known at the edge (the Management API's token, the
 * console's session), set on the request's context there, and handed to every change it asks for.
 */
export interface Actor {
  /** The token's subject, `admin token`, or for `system` the part of the service that acted. */
  readonly subject: string
  /** `system`: the service itself, acting on a rule (a webhook endpoint dead for a day). */
  readonly via: 'api' | 'console' | 'system'
}

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

/** One configuration change (DESIGN §5): who, through what, what, when, before and after. */
export interface AuditEntry {
  readonly id: string
  readonly tenantId: string
  readonly at: Date
  /** The token's subject, or `admin token`. */
  readonly actor: string
  /** `system`: the service itself, e.g. the webhook worker disabling a dead endpoint. */
  readonly via: 'api' | 'console' | 'system'
  /** What was done, e.g. `resource_server.update`. */
  readonly action: string
  /** What it was done to: an id, an identifier, `settings`. */
  readonly target: string
  readonly before: unknown
  readonly after: unknown
  /**
   * The users the change names (DESIGN §2), kept apart from the text above so that erasure finds
   * an entry by equality, whatever characters an id holds.
   */
  readonly userIds: readonly string[]
}

export type { ApiScope, DeviceSignIn, DurationChoice, TokenDialect }

/**
 * The latest render of a request's prompt in its browser (DESIGN §3.2.2): what the page showed,
 * when, and the id the page's form carries, so an answer is judged against the page it was made
 * on and its receipt quotes that page.
 */
export interface ShownPage extends RenditionContent {
  /** Derived from the content: the same page always has the same id. */
  readonly rendition: string
  readonly at: Date
}

/** One count of how prompts were answered (console insights): per day, client, metric, scope. */
export interface StatCount {
  readonly day: string
  readonly clientId: string
  readonly metric: 'shown' | 'accepted' | 'denied' | 'unticked'
  /** The scope, for `unticked`; `''` otherwise. */
  readonly scope: string
  readonly count: number
}

/** A link or session of the connected-apps page (DESIGN §3.7), for one user. */
export interface PortalSession {
  readonly id: string
  readonly tenantId: string
  readonly userId: string
  /** A link not used yet, a link used (kept while its session lasts), or a session. */
  readonly kind: 'link' | 'used' | 'session'
  readonly returnTo: string | null
  readonly uiLocales: string | null
  readonly expiresAt: Date
  /** Of a used link: the id of the session it opened. */
  readonly opened: string | null
}

/** Which page of a list: numbered from 0, `perPage` items each. */
export interface Page {
  readonly page: number
  readonly perPage: number
}

/** One page of a list, and how many items the whole list holds. */
export interface Paged<T> {
  readonly items: T[]
  readonly total: number
}

export * from './evidence.js'
