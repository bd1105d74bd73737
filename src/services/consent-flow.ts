import { z } from 'zod'
import {
  DECLINED_ERROR,
  decide,
  effectiveScopes,
  isAllowedReturnTo,
  isStandardScope,
  promptModeFor,
  splitScopeString,
  stillDefined,
} from '../consent/index.js'
import type { Client, ConsentRequest, ResourceServer, Tenant } from '../entities.js'
import { AppError } from '../errors.js'
import { randomToken } from '../ids.js'
import type { Metrics } from '../metrics.js'
import type { Store } from '../store/port.js'

/** Consent request ids are 128-bit base64url strings (DESIGN §3.1). */
export const consentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)

export interface CreateConsentRequestInput {
  readonly clientId: string
  readonly userId: string
  readonly userName?: string | undefined
  readonly userEmail?: string | undefined
  readonly audience?: string | undefined
  readonly scope: string
  readonly redirectUri: string
  readonly returnTo: string
  readonly state?: string | undefined
  readonly prompt?: string | undefined
  readonly uiLocales?: string | undefined
}

export interface ConsentRequestDeps {
  readonly store: Store
  readonly now: () => Date
  readonly ttlSeconds: number
  /** Return URL prefixes of a tenant that sets none of its own. */
  readonly defaultReturnUrls: readonly string[]
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

  const client = await store.clients.get(tenant.id, input.clientId)
  if (!client)
    throw new AppError(404, 'inexistent_client', `The client ${input.clientId} does not exist`)
  // The browser ends up at redirect_uri: only a callback the admin registered for this client
  // will do (RFC 6749 §3.1.2.2), so a client without any cannot ask for consent at all.
  if (!client.callbacks.includes(input.redirectUri)) {
    throw new AppError(
      400,
      'invalid_body',
      client.callbacks.length === 0
        ? `The client ${client.clientId} has no registered callbacks`
        : 'redirect_uri is not one of the client callbacks',
    )
  }

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

  const [permissions, grant] = await Promise.all([
    api?.enforcePolicies
      ? store.permissions.namesFor(tenant.id, input.userId, audience)
      : new Set<string>(),
    store.grants.find(tenant.id, input.userId, client.clientId, audience),
  ])
  const requested = splitScopeString(input.scope)
  const scopes = effectiveScopes({ requested, api, permissions, granted: grant?.scope ?? [] })
  const decision = decide({
    scopes,
    prompt: input.prompt,
    api,
    client,
    redirectUri: input.redirectUri,
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
      redirectUri: input.redirectUri,
      status: decision.status,
      error: decision.status === 'denied' ? decision.error : null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + deps.ttlSeconds * 1000),
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

export interface Decision {
  readonly id: string
  readonly status: ConsentRequest['status']
  readonly user_id: string
  readonly client_id: string
  readonly audience: string | null
  readonly granted_scopes: string[]
  /** Space-joined, for the access token's `scope` claim. */
  readonly scope: string
  readonly error?: string
  /** With `token_dialect: access_token_authz`: every permission the user holds on the API. */
  readonly permissions?: string[]
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
  const api = request.audience
    ? ((await store.resourceServers.find(tenant.id, request.audience)) ?? null)
    : null
  const permissions =
    api && (api.enforcePolicies || api.tokenDialect === 'access_token_authz')
      ? await store.permissions.namesFor(tenant.id, request.userId, api.identifier)
      : undefined
  const defined = stillDefined(request.grantedScopes ?? [], api)
  const granted =
    api?.enforcePolicies && permissions
      ? defined.filter((scope) => isStandardScope(scope) || permissions.has(scope))
      : defined
  return {
    id: request.id,
    status: request.status,
    user_id: request.userId,
    client_id: request.clientId,
    audience: request.audience,
    granted_scopes: granted,
    scope: granted.join(' '),
    ...(request.error ? { error: request.error } : {}),
    ...(api?.tokenDialect === 'access_token_authz' && permissions
      ? {
          permissions: api.scopes
            .map((scope) => scope.value)
            .filter((value) => permissions.has(value)),
        }
      : {}),
  }
}

export type AnswerAction = 'accept' | 'deny'

export interface OpenOptions {
  /** Return URL prefixes for this request instead of the tenant's (the demo returns to itself). */
  readonly allowedReturnUrls?: readonly string[]
}

/** What the consent page shows: the request and what it is about (DESIGN §3.2). */
export interface PromptData {
  readonly request: ConsentRequest
  readonly client: Client
  readonly api: ResourceServer | null
  /** The scopes the page asks about, still defined by the API, in prompt order. */
  readonly scopes: readonly string[]
  /** How many other scopes the user already granted this client (incremental consent). */
  readonly alreadyGranted: number
}

/**
 * The browser flow of a consent request, built once with the app (STYLE "one service per flow"):
 * the AS opens a request, the page loads it, the user answers, the AS reads the decision. Every
 * status rule lives here; the routes parse input, call one method and render.
 */
export interface ConsentFlow {
  /** `POST /api/v2/consent-requests` (DESIGN §3.1). */
  open(
    tenant: Tenant,
    input: CreateConsentRequestInput,
    options?: OpenOptions,
  ): Promise<ConsentRequest>
  /** The request an id from a URL names, or a 404 `inexistent_consent_request`. */
  find(tenant: Tenant, rawId: string | undefined): Promise<ConsentRequest>
  /** What the page needs, or 409 (answered), 410 (expired), 404 (the client is gone). */
  prompt(tenant: Tenant, request: ConsentRequest): Promise<PromptData>
  /** Records the answer; returns where the browser goes next (DESIGN §3.2). */
  answer(tenant: Tenant, request: ConsentRequest, action: AnswerAction): Promise<URL>
  /** What the AS puts in the token (DESIGN §3.4). */
  decision(tenant: Tenant, request: ConsentRequest): Promise<Decision>
  /** The page a browser is sent to for `request`. */
  consentUrl(tenant: Tenant, request: ConsentRequest): string
}

export interface ConsentFlowDeps extends ConsentRequestDeps {
  readonly publicUrl: URL
  readonly metrics: Pick<Metrics, 'answers' | 'promptsShown' | 'requestsCreated'>
}

const withoutReturnUrls = (tenant: Tenant): Tenant => {
  const { allowed_return_urls: _ignored, ...settings } = tenant.settings
  return { ...tenant, settings }
}

export function createConsentFlow(deps: ConsentFlowDeps): ConsentFlow {
  const { store } = deps
  const apiOf = async (tenant: Tenant, request: ConsentRequest) =>
    request.audience
      ? ((await store.resourceServers.find(tenant.id, request.audience)) ?? null)
      : null

  return {
    async open(tenant, input, options = {}) {
      const request = await createConsentRequest(
        options.allowedReturnUrls
          ? { ...deps, defaultReturnUrls: options.allowedReturnUrls }
          : deps,
        options.allowedReturnUrls ? withoutReturnUrls(tenant) : tenant,
        input,
      )
      deps.metrics.requestsCreated.inc({ status: request.status })
      return request
    },

    async find(tenant, rawId) {
      const id = consentIdSchema.safeParse(rawId)
      const request = id.success ? await store.consentRequests.get(tenant.id, id.data) : undefined
      if (!request)
        throw new AppError(404, 'inexistent_consent_request', 'Consent request not found')
      return request
    },

    async prompt(tenant, request) {
      if (request.status !== 'pending')
        throw new AppError(409, 'already_answered', 'Consent request already answered')
      if (deps.now() >= request.expiresAt)
        throw new AppError(410, 'expired', 'Consent request expired')
      const [client, api] = await Promise.all([
        store.clients.get(tenant.id, request.clientId),
        apiOf(tenant, request),
      ])
      if (!client)
        throw new AppError(404, 'inexistent_client', 'The client of this request no longer exists')
      const scopes = stillDefined(request.promptScopes, api)
      const asked = new Set(scopes)
      const alreadyGranted = stillDefined(request.effectiveScopes, api).filter(
        (scope) => !asked.has(scope) && scope !== 'openid',
      ).length
      deps.metrics.promptsShown.inc({ mode: promptModeFor(tenant.settings.flags) })
      return { request, client, api, scopes, alreadyGranted }
    },

    async answer(tenant, request, action) {
      // Deleting a client deletes its requests; this catches one opened while that ran (§3.2).
      if (!(await store.clients.get(tenant.id, request.clientId)))
        throw new AppError(404, 'inexistent_client', 'The client of this request no longer exists')
      const at = deps.now()
      const answer =
        action === 'accept'
          ? {
              action,
              at,
              scopes: stillDefined(request.effectiveScopes, await apiOf(tenant, request)),
            }
          : { action, at, error: DECLINED_ERROR }
      const answered = await store.consentRequests.answer(tenant.id, request.id, answer)
      deps.metrics.answers.inc({
        outcome: answered.outcome === 'answered' ? answered.request.status : answered.outcome,
      })
      if (answered.outcome === 'already_answered')
        throw new AppError(409, 'already_answered', 'Consent request already answered')
      if (answered.outcome === 'expired')
        throw new AppError(410, 'expired', 'Consent request expired')
      if (answered.outcome === 'not_found')
        throw new AppError(404, 'inexistent_consent_request', 'Consent request not found')
      const back = new URL(request.returnTo)
      back.searchParams.set('consent_request', request.id)
      if (request.state !== null) back.searchParams.set('state', request.state)
      return back
    },

    decision: (tenant, request) => readDecision(store, tenant, request),

    consentUrl: (tenant, request) =>
      new URL(`consent/${request.id}`, tenantBaseUrl(deps.publicUrl, tenant)).href,
  }
}
