import { isStandardScope, STANDARD_SCOPES } from './scope.js'
import type { Api } from './types.js'

export interface EffectiveScopesInput {
  /** Requested scope values, already split and de-duplicated. */
  readonly requested: readonly string[]
  /** The resource server of the requested `audience`; `null` when only OIDC scopes are asked for. */
  readonly api: Api | null
  /** Permission names the user holds on this API, directly or through a role. */
  readonly permissions: ReadonlySet<string>
  /** Scopes already in the user's grant for this client and audience. */
  readonly granted: readonly string[]
}

export interface EffectiveScopes {
  /** What the user can grant, standard scopes first, then API scopes in the API's order. */
  readonly effective: string[]
  /** Requested but not grantable: undefined by the API, not held under RBAC, or not allowed. */
  readonly dropped: string[]
  /** Effective scopes already in the grant. */
  readonly alreadyGranted: string[]
  /** Effective scopes the prompt must ask for: the rest (incremental consent). */
  readonly toPrompt: string[]
}

/**
 * The scopes a prompt is about (DESIGN §1.2): standard OIDC scopes, then the API's own scopes
 * it defines and, under RBAC (`enforce_policies`), that the user holds as permissions.
 */
export function effectiveScopes(input: EffectiveScopesInput): EffectiveScopes {
  const { api, permissions } = input
  const requested = new Set(input.requested)
  const granted = new Set(input.granted)

  const standard = STANDARD_SCOPES.filter(
    (scope) =>
      requested.has(scope) &&
      // Without an API there is no policy to refuse refresh tokens; the AS decides.
      (scope !== 'offline_access' || api === null || api.allowOfflineAccess),
  )
  const fromApi = (api?.scopes ?? [])
    .map((scope) => scope.value)
    .filter(
      (value) =>
        requested.has(value) &&
        !isStandardScope(value) &&
        (!api?.enforcePolicies || permissions.has(value)),
    )

  const effective = [...standard, ...fromApi]
  const kept = new Set(effective)
  return {
    effective,
    dropped: input.requested.filter((value) => !kept.has(value)),
    alreadyGranted: effective.filter((value) => granted.has(value)),
    toPrompt: effective.filter((value) => !granted.has(value)),
  }
}

/**
 * Keeps the scopes the API still defines (and the standard ones): an admin may remove a scope
 * while a request is open, and a prompt or an answer only counts what exists (DESIGN §4).
 */
export function stillDefined(scopes: readonly string[], api: Api | null): string[] {
  const defined = definedValues(api)
  return scopes.filter((value) => isStandardScope(value) || defined.has(value))
}

/**
 * The values an API defines, as a set made once per API object: every page and answer asks, and
 * an API of a hundred scopes would otherwise be hashed a hundred times each time. An API is
 * replaced, never changed in place, when an admin edits it, so a set can never go stale.
 */
const definedSets = new WeakMap<Api, ReadonlySet<string>>()
const NO_SCOPES: ReadonlySet<string> = new Set()
function definedValues(api: Api | null): ReadonlySet<string> {
  if (api === null) return NO_SCOPES
  let defined = definedSets.get(api)
  if (!defined) {
    defined = new Set(api.scopes.map((scope) => scope.value))
    definedSets.set(api, defined)
  }
  return defined
}

/**
 * Granted scopes as a prompt would list them now (DESIGN §1.2 order): the standard ones first,
 * then the API's in the order the API defines them; scopes the API no longer defines are left out.
 */
export function grantedInPromptOrder(scopes: readonly string[], api: Api | null): string[] {
  const held = new Set(scopes)
  return [
    ...STANDARD_SCOPES.filter((scope) => held.has(scope)),
    ...(api?.scopes ?? [])
      .map((scope) => scope.value)
      .filter((value) => held.has(value) && !isStandardScope(value)),
  ]
}
