import type { Selectable } from 'kysely'
import type {
  ApiScope,
  AuthorizationDetail,
  DetailType,
  DurationChoice,
  GrantedScope,
  ResourceLabels,
  TokenDialect,
} from '../../consent/index.js'
import type {
  AdminSession,
  ChosenDuration,
  Client,
  ConsentRequest,
  ConsentStatus,
  Grant,
  NewConsentRequest,
  PermissionRef,
  PortalSession,
  Receipt,
  ReceiptAction,
  ReceiptClaims,
  ResourceServer,
  Role,
  ShownPage,
  Tenant,
  TenantSettings,
  User,
} from '../../entities.js'
import type { Database } from '../schema.js'
import { toShown } from './shown-pages.js'

/** A row as read from `table`. */
export type Row<T extends keyof Database> = Selectable<Database[T]>

// The schema is portable (schema.ts): lists and objects are JSON text, booleans 0/1, times ISO text.
export const json = (value: unknown): string => JSON.stringify(value)
export const list = (text: string): string[] => JSON.parse(text) as string[]
export const iso = (date: Date): string => date.toISOString()
export const bit = (value: boolean): number => (value ? 1 : 0)

export function toTenant(row: Row<'tenants'>, domains: readonly string[]): Tenant {
  return {
    id: row.id,
    domains,
    settings: JSON.parse(row.settings) as TenantSettings,
    createdAt: new Date(row.created_at),
  }
}

export function toResourceServer(row: Row<'resource_servers'>): ResourceServer {
  return {
    id: row.id,
    identifier: row.identifier,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ApiScope[],
    consentResources: JSON.parse(row.consent_resources) as ResourceLabels,
    authorizationDetails: JSON.parse(row.authorization_details) as DetailType[],
    auth0: JSON.parse(row.auth0) as Record<string, unknown>,
    enforcePolicies: row.enforce_policies === 1,
    allowOfflineAccess: row.allow_offline_access === 1,
    skipConsentForVerifiableFirstPartyClients:
      row.skip_consent_for_verifiable_first_party_clients === 1,
    tokenDialect: row.token_dialect as TokenDialect,
    tokenLifetime: Number(row.token_lifetime),
    signingAlg: row.signing_alg,
    isSystem: row.is_system === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

export function toClient(row: Row<'clients'>): Client {
  return {
    clientId: row.client_id,
    name: row.name,
    description: row.description,
    logoUri: row.logo_uri,
    isFirstParty: row.is_first_party === 1,
    callbacks: list(row.callbacks),
    appType: row.app_type,
    isVerified: row.is_verified !== 0,
    consentLifetime: row.consent_lifetime,
    clientUri: row.client_uri,
    policyUri: row.policy_uri,
    tosUri: row.tos_uri,
    isDynamic: row.is_dynamic === 1,
    registeredAt: row.registered_at === null ? null : new Date(row.registered_at),
    auth0: JSON.parse(row.auth0) as Record<string, unknown>,
    consentDurationChoices:
      row.consent_duration_choices === null
        ? null
        : (JSON.parse(row.consent_duration_choices) as DurationChoice[]),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

export const toRole = (
  row: Pick<Row<'roles'>, 'id' | 'name' | 'description'> & { auth0?: string },
): Role => ({
  id: row.id,
  name: row.name,
  description: row.description,
  ...(row.auth0 ? { auth0: JSON.parse(row.auth0) as Record<string, unknown> } : {}),
})

export const toPermissionRef = (
  row: Pick<Row<'role_permissions'>, 'resource_server_identifier' | 'permission_name'>,
): PermissionRef => ({
  resourceServerIdentifier: row.resource_server_identifier,
  permissionName: row.permission_name,
})

export function toUser(row: Row<'users'>): User {
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    createdAt: new Date(row.created_at),
    lastSeenAt: new Date(row.last_seen_at),
  }
}

/** A grant's per-scope details from their JSON, dates revived. */
export function scopeDetails(text: string | null): Record<string, GrantedScope> {
  if (text === null) return {}
  const raw = JSON.parse(text) as Record<string, { version: number; at: string; duration?: number }>
  return Object.fromEntries(
    Object.entries(raw).map(([scope, d]) => [
      scope,
      d.duration === undefined
        ? { version: d.version, at: new Date(d.at) }
        : { version: d.version, at: new Date(d.at), duration: d.duration },
    ]),
  )
}

export function toGrant(row: Row<'grants'>): Grant {
  return {
    id: row.id,
    userId: row.user_id,
    clientId: row.client_id,
    audience: row.audience,
    scope: list(row.scope),
    details: scopeDetails(row.scope_details),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

/** Every empty list of a request read or written here: a kept request holds no empty arrays. */
const NONE: readonly string[] = Object.freeze([])

/**
 * `values`, or `same` when they are the same values in the same order: the lists of a request
 * (requested, effective, prompt, granted) are often equal, and a request kept in memory
 * (cached-store.ts) then holds one array instead of four.
 */
export function sharedList(values: readonly string[], same: readonly string[]): readonly string[] {
  if (values.length === 0) return NONE
  if (values === same || values.length !== same.length) return values
  for (let i = 0; i < values.length; i++) if (values[i] !== same[i]) return values
  return same
}

/**
 * The request a row holds. `shown`, when the caller holds the page the row's `shown` was written
 * from, is kept instead of a copy parsed from the row: the page's content is then the one its
 * render shares with every request shown the same page.
 */
export function toConsentRequest(row: Row<'consent_requests'>, shown?: ShownPage): ConsentRequest {
  const effective = sharedList(list(row.effective_scopes), NONE)
  // Built as one literal in one order, as insertConsentRequest's is: every request has the same
  // shape (V8 hidden class), however it was made.
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    userId: row.user_id,
    userName: row.user_name,
    audience: row.audience === '' ? null : row.audience,
    requestedScopes: sharedList(list(row.requested_scopes), effective),
    effectiveScopes: effective,
    droppedScopes: sharedList(list(row.dropped_scopes), effective),
    promptScopes: sharedList(list(row.prompt_scopes), effective),
    grantedScopes:
      row.granted_scopes === null ? null : sharedList(list(row.granted_scopes), effective),
    prompt: row.prompt,
    uiLocales: row.ui_locales,
    returnTo: row.return_to,
    state: row.state,
    redirectUri: row.redirect_uri,
    device:
      row.flow === 'device' && row.user_code !== null
        ? { userCode: row.user_code, name: row.device_name }
        : null,
    switchAccountUrl: row.switch_account_url,
    status: row.status as ConsentStatus,
    error: row.error,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    answeredAt: row.answered_at === null ? null : new Date(row.answered_at),
    bindingHash: row.binding_hash,
    verifierHash: row.verifier_hash,
    verifiedAt: row.verified_at === null ? null : new Date(row.verified_at),
    granular: row.granular === 1,
    requiredScopes: row.required_scopes === null ? NONE : list(row.required_scopes),
    declinedScopes:
      row.declined_scopes === null ? null : sharedList(list(row.declined_scopes), NONE),
    changedScopes: row.changed_scopes === null ? NONE : sharedList(list(row.changed_scopes), NONE),
    shown: shown ?? (row.shown === null ? null : toShown(row.shown)),
    receiptId: row.receipt_id,
    authorizationDetails:
      row.authorization_details === null
        ? null
        : (JSON.parse(row.authorization_details) as AuthorizationDetail[]),
    approvedDetails:
      row.approved_details === null ? null : (JSON.parse(row.approved_details) as number[]),
    chosenDuration: toChosenDuration(row.chosen_duration),
  }
}

/** "Until removed" as stored: no lifetime is shorter than a minute, so `0` names nothing else. */
const UNTIL_REMOVED_STORED = 0

export const storedDuration = (chosen: ChosenDuration | null | undefined): number | null =>
  chosen ? (chosen.seconds ?? UNTIL_REMOVED_STORED) : null

export const toChosenDuration = (stored: number | null): ChosenDuration | null =>
  stored === null ? null : { seconds: stored === UNTIL_REMOVED_STORED ? null : stored }

/**
 * `request` as an answer leaves it, built from the request the answer was made on rather than
 * read back: the answer's conditional update matched only while nothing else had changed it. One
 * literal in toConsentRequest's order, so it has the same hidden class.
 */
export function answeredConsentRequest(
  request: ConsentRequest,
  answer: {
    readonly status: ConsentStatus
    readonly grantedScopes: readonly string[] | null
    readonly declinedScopes: readonly string[] | null
    readonly error: string | null
    readonly answeredAt: Date
    readonly verifierHash: string
    readonly approvedDetails: readonly number[] | null
    readonly chosenDuration: ChosenDuration | null
  },
): ConsentRequest {
  const effective = request.effectiveScopes
  return {
    id: request.id,
    tenantId: request.tenantId,
    clientId: request.clientId,
    userId: request.userId,
    userName: request.userName,
    audience: request.audience,
    requestedScopes: request.requestedScopes,
    effectiveScopes: effective,
    droppedScopes: request.droppedScopes,
    promptScopes: request.promptScopes,
    grantedScopes:
      answer.grantedScopes === null ? null : sharedList(answer.grantedScopes, effective),
    prompt: request.prompt,
    uiLocales: request.uiLocales,
    returnTo: request.returnTo,
    state: request.state,
    redirectUri: request.redirectUri,
    device: request.device,
    switchAccountUrl: request.switchAccountUrl,
    status: answer.status,
    error: answer.error,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    answeredAt: answer.answeredAt,
    bindingHash: request.bindingHash,
    verifierHash: answer.verifierHash,
    verifiedAt: request.verifiedAt,
    granular: request.granular,
    requiredScopes: request.requiredScopes,
    declinedScopes:
      answer.declinedScopes === null ? null : sharedList([...answer.declinedScopes], NONE),
    changedScopes: request.changedScopes,
    shown: request.shown,
    receiptId: request.receiptId,
    authorizationDetails: request.authorizationDetails,
    approvedDetails: answer.approvedDetails === null ? null : [...answer.approvedDetails],
    chosenDuration: answer.chosenDuration,
  }
}

/**
 * A new request as stored, nothing of its maker's object kept: the same fields in the same order
 * as toConsentRequest's, lists shared as there. A copy by spread (`{ ...request, … }`) gave each
 * request a hidden class of its own (about 800 bytes), kept with it in the request cache.
 */
export function storedConsentRequest(
  request: NewConsentRequest,
  answeredAt: Date | null,
): ConsentRequest {
  const effective = sharedList(request.effectiveScopes, NONE)
  return {
    id: request.id,
    tenantId: request.tenantId,
    clientId: request.clientId,
    userId: request.userId,
    userName: request.userName,
    audience: request.audience,
    requestedScopes: sharedList(request.requestedScopes, effective),
    effectiveScopes: effective,
    droppedScopes: sharedList(request.droppedScopes, effective),
    promptScopes: sharedList(request.promptScopes, effective),
    grantedScopes:
      request.grantedScopes === null ? null : sharedList(request.grantedScopes, effective),
    prompt: request.prompt,
    uiLocales: request.uiLocales,
    returnTo: request.returnTo,
    state: request.state,
    redirectUri: request.redirectUri,
    device: request.device ?? null,
    switchAccountUrl: request.switchAccountUrl ?? null,
    status: request.status,
    error: request.error,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    answeredAt,
    bindingHash: null,
    verifierHash: null,
    verifiedAt: null,
    granular: request.granular ?? false,
    requiredScopes: sharedList(request.requiredScopes ?? NONE, NONE),
    declinedScopes: null,
    changedScopes: sharedList(request.changedScopes ?? NONE, NONE),
    shown: null,
    receiptId: null,
    authorizationDetails: request.authorizationDetails?.length
      ? request.authorizationDetails
      : null,
    approvedDetails: null,
    chosenDuration: null,
  }
}

export function toAdminSession(row: Row<'admin_sessions'>): AdminSession {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    scopes: JSON.parse(row.scopes) as string[] | 'all',
    expiresAt: new Date(row.expires_at),
    ...(row.subject !== null ? { subject: row.subject } : {}),
  }
}

export function toReceipt(row: Row<'consent_receipts'>): Receipt {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    clientId: row.client_id,
    action: row.action as ReceiptAction,
    claims: JSON.parse(row.claims) as ReceiptClaims,
    jws: row.jws,
    recordedAt: new Date(row.recorded_at),
  }
}

export function toPortalSession(row: Row<'portal_sessions'>): PortalSession {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    kind: row.kind as PortalSession['kind'],
    returnTo: row.return_to,
    uiLocales: row.ui_locales,
    expiresAt: new Date(row.expires_at),
    opened: row.opened,
  }
}
