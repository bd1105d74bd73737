import { z } from 'zod'
import {
  type AuthorizationDetail,
  consentLifetime,
  countingGrant,
  decide,
  effectiveScopes,
  flagOn,
  isAllowedReturnTo,
  requiredScopes,
  splitScopeString,
} from '../../consent/index.js'
import type { ConsentRequest, DeviceSignIn, Tenant } from '../../entities.js'
import { AppError } from '../../errors.js'
import { randomToken } from '../../ids.js'
import type { Store } from '../../store/port.js'
import { checkAuthorizationDetails } from './details.js'
/** Consent request ids are 128-bit base64url strings (DESIGN §3.1). */
export const consentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)

export interface CreateConsentRequestInput {
  readonly clientId: string
  readonly userId: string
  readonly userName?: string | undefined
  readonly userEmail?: string | undefined
  readonly audience?: string | undefined
  readonly scope: string
  /** Required, but for a device sign-in, which has no redirect (DESIGN §3.10). */
  readonly redirectUri?: string | undefined
  readonly returnTo: string
  /** A device sign-in (RFC 8628; DESIGN §3.10). */
  readonly device?: DeviceSignIn | undefined
  /** The AS's "Not you?" URL, allowed as `return_to` is (DESIGN §3.1). */
  readonly switchAccountUrl?: string | undefined
  readonly state?: string | undefined
  readonly prompt?: string | undefined
  readonly uiLocales?: string | undefined
  /** Let the user untick optional lines, whatever the tenant flag says (DESIGN §3.5). */
  readonly granular?: boolean | undefined
  /** Space-separated, a subset of `scope` the user cannot untick. */
  readonly requiredScopes?: string | undefined
  /** RFC 9396 entries, each of a type the audience declares (DESIGN §3.9). */
  readonly authorizationDetails?: readonly AuthorizationDetail[] | undefined
}

export interface ConsentRequestDeps {
  readonly store: Store
  readonly now: () => Date
  readonly ttlSeconds: number
  /** Return URL prefixes of a tenant that sets none of its own. */
  readonly defaultReturnUrls: readonly string[]
}

/**
 * Where the browser ends up after the AS: only a callback the admin registered for this client
 * will do (RFC 6749 §3.1.2.2), so a client without any cannot ask for consent at all. A device
 * sign-in sends no browser anywhere (RFC 8628 §3.3): it has none, `''`, and may not name one.
 */
function redirectOf(
  client: { readonly clientId: string; readonly callbacks: readonly string[] },
  input: CreateConsentRequestInput,
): string {
  if (input.device) {
    if (input.redirectUri !== undefined)
      throw new AppError(400, 'invalid_body', 'redirect_uri is not used with flow device')
    return ''
  }
  if (input.redirectUri === undefined)
    throw new AppError(400, 'invalid_body', 'redirect_uri is required')
  if (!client.callbacks.includes(input.redirectUri)) {
    throw new AppError(
      400,
      'invalid_body',
      client.callbacks.length === 0
        ? `The client ${client.clientId} has no registered callbacks`
        : 'redirect_uri is not one of the client callbacks',
    )
  }
  return input.redirectUri
}

/** 128 random bits, URL-safe (DESIGN §3.1). */
export function newConsentRequestId(): string {
  return randomToken(16)
}

/**
 * Opens a consent request for the AS (DESIGN §3.1): computes the effective and dropped scopes and
 * whether a page is needed at all (§3.3), and stores the request.
 */
export async function createConsentRequest(
  deps: ConsentRequestDeps,
  tenant: Tenant,
  input: CreateConsentRequestInput,
): Promise<ConsentRequest> {
  const { store } = deps
  const allowed = tenant.settings.allowed_return_urls ?? deps.defaultReturnUrls
  if (!isAllowedReturnTo(input.returnTo, allowed)) {
    throw new AppError(400, 'invalid_body', 'return_to is not an allowed return URL of this tenant')
  }
  if (input.switchAccountUrl !== undefined && !isAllowedReturnTo(input.switchAccountUrl, allowed)) {
    throw new AppError(
      400,
      'invalid_body',
      'switch_account_url is not an allowed return URL of this tenant',
    )
  }

  const client = await store.clients.get(tenant.id, input.clientId)
  if (!client)
    throw new AppError(404, 'inexistent_client', `The client ${input.clientId} does not exist`)
  const redirectUri = redirectOf(client, input)

  const api = input.audience
    ? ((await store.resourceServers.find(tenant.id, input.audience)) ?? null)
    : null
  if (input.audience && !api) {
    throw new AppError(
      404,
      'inexistent_resource_server',
      `The resource server ${input.audience} does not exist`,
    )
  }
  // Requests are matched on the API's identifier, whichever of id or identifier the AS sent.
  const audience = api?.identifier ?? ''
  // Without an audience no type is declared, so any entry is refused.
  const details = input.authorizationDetails ?? []
  if (details.length > 0) checkAuthorizationDetails(details, api?.authorizationDetails)

  const [permissions, grant] = await Promise.all([
    api?.enforcePolicies
      ? store.permissions.namesFor(tenant.id, input.userId, audience)
      : new Set<string>(),
    store.grants.find(tenant.id, input.userId, client.clientId, audience),
  ])
  const requested = splitScopeString(input.scope)
  const required = splitScopeString(input.requiredScopes ?? '')
  if (required.some((scope) => !requested.includes(scope))) {
    throw new AppError(400, 'invalid_body', 'required_scopes must be a subset of scope')
  }
  // What the user granted and still counts: within the consent lifetime, and worded as it was
  // shown (DESIGN §3.5.1); a reworded scope is asked for again, and the page says why.
  // A device sign-in asks about everything whatever was granted (DESIGN §3.10).
  const remembered =
    grant && !input.device
      ? countingGrant({
          scopes: grant.scope,
          details: grant.details,
          grantedAt: grant.updatedAt,
          api,
          lifetimeSeconds: consentLifetime(client, tenant.settings),
          now: deps.now(),
        })
      : { counted: [], changed: [] }
  const scopes = effectiveScopes({ requested, api, permissions, granted: remembered.counted })
  const decision = decide({
    scopes,
    prompt: input.prompt,
    api,
    client,
    redirectUri,
    device: input.device !== undefined,
    details: details.length > 0,
  })

  const createdAt = deps.now()
  return store.consentRequests.create(
    {
      id: newConsentRequestId(),
      tenantId: tenant.id,
      clientId: client.clientId,
      userId: input.userId,
      userName: input.userName ?? input.userEmail ?? null,
      audience: api ? audience : null,
      requestedScopes: requested,
      effectiveScopes: scopes.effective,
      droppedScopes: scopes.dropped,
      promptScopes: decision.status === 'pending' ? [...decision.ask] : [],
      grantedScopes: decision.status === 'accepted' ? [...decision.granted] : null,
      prompt: input.prompt ?? null,
      uiLocales: input.uiLocales ?? null,
      returnTo: input.returnTo,
      state: input.state ?? null,
      redirectUri,
      device: input.device ?? null,
      switchAccountUrl: input.switchAccountUrl ?? null,
      status: decision.status,
      error: decision.status === 'denied' ? decision.error : null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + deps.ttlSeconds * 1000),
      granular: input.granular ?? flagOn(tenant.settings.flags, 'enable_granular_consent'),
      requiredScopes: requiredScopes(required, scopes.effective),
      changedScopes: remembered.changed.filter((scope) => scopes.toPrompt.includes(scope)),
      authorizationDetails: details.length > 0 ? details : null,
    },
    { name: input.userName ?? null, email: input.userEmail ?? null },
  )
}

/** The origin browsers reach a tenant at: the public URL for its domain, else its first domain. */
export function tenantBaseUrl(publicUrl: URL, tenant: Tenant): URL {
  if (tenant.domains.length === 0 || tenant.domains.includes(publicUrl.hostname))
    return new URL('/', publicUrl)
  return new URL(`${publicUrl.protocol}//${tenant.domains[0]}/`)
}
