import {
  type AuthorizationDetail,
  isStandardScope,
  scopeVersion,
  stillDefined,
} from '../../consent/index.js'
import type { ConsentRequest, ResourceServer, Tenant } from '../../entities.js'
import type { Store } from '../../store/port.js'

export interface Decision {
  readonly id: string
  /** An outcome, never `pending`: a decision is read only once there is one. */
  readonly status: 'accepted' | 'denied'
  readonly user_id: string
  readonly client_id: string
  readonly audience: string | null
  readonly granted_scopes: string[]
  /** Space-joined, for the access token's `scope` claim. */
  readonly scope: string
  readonly error?: string
  /** The consent receipt its verify wrote (DESIGN §3.6). */
  readonly receipt_id?: string
  /** Granular consent: what the user unticked (DESIGN §3.5). */
  readonly declined_scopes?: string[]
  /** With an `_authz` token dialect: every permission the user holds on the API. */
  readonly permissions?: string[]
  /** The duration the user chose, in seconds, `null` for "until removed" (DESIGN §3.5.1). */
  readonly duration?: number | null
  /**
   * The RFC 9396 entries the user approved, exactly as requested (DESIGN §3.9); `[]` when none
   * was (a decline, or every box unticked). Absent when the request carried none.
   */
  readonly authorization_details?: AuthorizationDetail[]
}

/** The entries of a request an answer approved, in request order and as the AS sent them. */
export function approvedEntries(request: ConsentRequest): AuthorizationDetail[] {
  const entries = request.authorizationDetails ?? []
  if (request.status !== 'accepted') return []
  const approved = new Set(request.approvedDetails ?? [])
  return entries.filter((_entry, index) => approved.has(index))
}

/**
 * What the AS puts in the token (DESIGN §3.4): the granted scopes the API still defines, narrowed
 * by the user's permissions now when the API enforces RBAC.
 */
export async function readDecision(
  store: Store,
  tenant: Tenant,
  request: ConsentRequest,
): Promise<Decision> {
  const status = request.status
  if (status === 'pending') throw new Error('a pending request has no decision to read')
  const api = request.audience
    ? ((await store.resourceServers.find(tenant.id, request.audience)) ?? null)
    : null
  // `access_token_authz` and `rfc9068_profile_authz` add the permissions claim (Auth0's dialects).
  const withPermissions = api?.tokenDialect.endsWith('_authz') ?? false
  const permissions =
    api && (api.enforcePolicies || withPermissions)
      ? await store.permissions.namesFor(tenant.id, request.userId, api.identifier)
      : undefined
  const defined = stillDefined(request.grantedScopes ?? [], api)
  const granted =
    api?.enforcePolicies && permissions
      ? defined.filter((scope) => isStandardScope(scope) || permissions.has(scope))
      : defined
  return {
    id: request.id,
    status,
    user_id: request.userId,
    client_id: request.clientId,
    audience: request.audience,
    granted_scopes: granted,
    scope: granted.join(' '),
    ...(request.error ? { error: request.error } : {}),
    ...(request.receiptId ? { receipt_id: request.receiptId } : {}),
    ...(request.granular ? { declined_scopes: [...(request.declinedScopes ?? [])] } : {}),
    ...(request.chosenDuration ? { duration: request.chosenDuration.seconds } : {}),
    ...(request.authorizationDetails ? { authorization_details: approvedEntries(request) } : {}),
    ...(api && withPermissions && permissions
      ? {
          permissions: api.scopes
            .map((scope) => scope.value)
            .filter((value) => permissions.has(value)),
        }
      : {}),
  }
}

/**
 * A request's status while the AS cannot read a decision yet (DESIGN §3.4): an answer is
 * `answered` until the AS redeems it, since only the verify turns it into an outcome; a request
 * never answered, or answered and never verified, in time is `expired`.
 */
export type UndecidedStatus = 'pending' | 'answered' | 'expired'

/** Whether the AS may read the decision: redeemed, or decided when it was opened (§3.3). */
export const decisionVisible = (request: ConsentRequest) =>
  request.verifiedAt !== null || (request.status !== 'pending' && request.verifierHash === null)

/**
 * The status the AS reads before the decision is visible: pending until the browser answers,
 * `answered` until the verify (the stored answer is not yet an outcome), `expired` once the
 * request (unanswered) or the verifier (answered) can no longer be used.
 */
export function undecidedStatus(
  request: ConsentRequest,
  now: Date,
  ttlSeconds: number,
): UndecidedStatus {
  if (request.status === 'pending') return now >= request.expiresAt ? 'expired' : 'pending'
  const answeredAt = request.answeredAt?.getTime() ?? request.createdAt.getTime()
  return now.getTime() >= answeredAt + ttlSeconds * 1000 ? 'expired' : 'answered'
}

/**
 * What a verify merges into the grant: the granted scopes the page showed, each at the version it
 * showed. A page recorded before pages kept their versions says nothing of them: the versions then
 * are today's, as they were when it was answered.
 */
export function grantedAsShown(
  request: ConsentRequest,
  granted: readonly string[] | null,
  api: ResourceServer | null,
): { scopes: string[] | null; versions: Record<string, number> } {
  if (granted === null) return { scopes: null, versions: {} }
  const shown = request.shown?.versions ?? {}
  const known = Object.keys(shown).length > 0
  const scopes = known ? granted.filter((scope) => Object.hasOwn(shown, scope)) : [...granted]
  const versions: Record<string, number> = {}
  for (const scope of scopes)
    Object.defineProperty(versions, scope, {
      value: known ? shown[scope] : scopeVersion(api, scope),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  return { scopes, versions }
}
