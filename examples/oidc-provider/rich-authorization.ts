/**
 * RFC 9396 Rich Authorization Requests through Assent, for the example authorization server.
 *
 * oidc-provider carries `authorization_details` from the authorization request to the code and
 * the access token (`features.richAuthorizationRequests`), and always asks for consent when a
 * request has them. It leaves the policy to the server: which entries go on the code, the token
 * and the introspection answer. Here that policy is Assent's decision: the entries the user
 * approved on Assent's page, exactly as requested, are put on the Grant for this authorization,
 * and only they reach the code and the token. Assent checks each entry against the detail types
 * and schemas the API declares there, so this server accepts a type by name only.
 */
import type {
  Grant,
  KoaContextWithOIDC,
  RichAuthorizationRequestsActiveConfiguration,
  RichAuthorizationRequestType,
} from 'oidc-provider'
import type { ConsentDecision, CreateConsentRequestInput } from '../../src/client/index.js'

/** oidc-provider's `features.richAuthorizationRequests`, for the detail types named. */
export function richAuthorizationRequests(
  types: readonly string[],
): RichAuthorizationRequestsActiveConfiguration {
  // The schema is Assent's (the API's `authorization_details`): an entry it refuses fails the
  // consent request with `invalid_authorization_details`, and the authorization with it.
  const accept: RichAuthorizationRequestType = { validate: () => undefined }
  return {
    enabled: true,
    types: Object.fromEntries(types.map((type) => [type, accept])),
    /**
     * The entries on a code: those the user approved in this authorization (put on its Grant by
     * `withApprovedDetails`); an authorization that asked for none gets none, whatever an
     * earlier one approved. Details are transactional: nothing carries over.
     */
    authorizationDetailsForGrantSource: (ctx: KoaContextWithOIDC) =>
      ctx.oidc.params?.authorization_details === undefined ? undefined : ctx.oidc.grant?.rar,
    /** The access token (a JWT here) carries what its code (or refresh token) carries. */
    authorizationDetailsForAccessToken: (_ctx, _token, source) => source?.rar,
  }
}

/** The consent request's `authorization_details`: the authorization request's, as sent. */
export function requestedDetails(
  params: Readonly<Record<string, unknown>>,
): Pick<CreateConsentRequestInput, 'authorization_details'> {
  const raw = params.authorization_details
  if (typeof raw !== 'string') return {}
  // oidc-provider has parsed and checked it already; it is a JSON array of objects with `type`.
  return {
    authorization_details: JSON.parse(raw) as CreateConsentRequestInput['authorization_details'],
  }
}

/**
 * The Grant with the entries Assent's decision approved for this authorization, replacing any an
 * earlier authorization left on it: `[]` when the user approved none.
 */
export function withApprovedDetails(grant: Grant, decision: ConsentDecision): void {
  if (decision.authorization_details === undefined) {
    grant.rar = undefined
    return
  }
  grant.rar = decision.authorization_details.map((entry) => ({ ...entry }))
}
