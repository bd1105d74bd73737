import { hash, timingSafeEqual } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { limits } from '../config.js'
import {
  DECLINED_ERROR,
  type PromptLine,
  type PromptMode,
  pickScopes,
  promptLines,
  promptModeFor,
  scopeVersion,
  stillDefined,
} from '../consent/index.js'
import type { Client, ConsentRequest, ResourceServer, Tenant } from '../entities.js'
import { AppError } from '../errors.js'
import { randomToken } from '../ids.js'
import type { Metrics } from '../metrics.js'
import { copyWith } from '../objects.js'
import { answerEvidence } from './consent-evidence.js'
import { type Decision, readDecision } from './decision.js'
import {
  type ConsentRequestDeps,
  type CreateConsentRequestInput,
  consentIdSchema,
  createConsentRequest,
  tenantBaseUrl,
} from './open-request.js'
import type { ReceiptService } from './receipts.js'

export type { Decision } from './decision.js'
export { type CreateConsentRequestInput, consentIdSchema } from './open-request.js'

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

/** What `GET /api/v2/consent-requests/{id}` shows: the decision only once it counts (§3.4). */
export type RequestView =
  | Decision
  | { readonly id: string; readonly status: ConsentRequest['status']; readonly expires_at: string }

/**
 * The browser flow of a consent request, built once with the app (STYLE "one service per flow"):
 * the AS opens a request, the page loads it in the browser it is bound to, the user answers, the
 * AS redeems the answer's verifier. Every status rule lives here; routes parse, call, render.
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
  /**
   * What the page needs, for the browser holding `browser` (its cookie): binds the request to it
   * on the first view; 403 `bound_elsewhere` for any other browser; 409, 410, 404 (client gone).
   */
  prompt(tenant: Tenant, request: ConsentRequest, browser: string): Promise<PromptData>
  /**
   * Records the answer from the bound browser; returns where it goes next, with the verifier.
   * `checked`: the `scopes` values of a granular form (DESIGN §3.5).
   */
  answer(
    tenant: Tenant,
    request: ConsentRequest,
    action: AnswerAction,
    browser: string | undefined,
    checked?: readonly string[],
    /** The page's language: its receipt quotes the lines in it. */
    locale?: string,
  ): Promise<URL>
  /** `POST …/verify` (DESIGN §3.4): redeems the verifier; the first time, writes the grant. */
  verify(tenant: Tenant, rawId: string, verifier: string | undefined): Promise<Decision>
  /** `GET /api/v2/consent-requests/{id}`. */
  view(tenant: Tenant, request: ConsentRequest): Promise<RequestView>
  /** The page a browser is sent to for `request`. */
  consentUrl(tenant: Tenant, request: ConsentRequest): string
}

export interface ConsentFlowDeps extends ConsentRequestDeps {
  readonly publicUrl: URL
  readonly receipts: ReceiptService
  /** The lines as the user reads them in `locale`, for the receipt (DESIGN §3.6). */
  readonly lineText: (lines: readonly PromptLine[], locale: string) => string[]
  readonly metrics: Pick<Metrics, 'answers' | 'promptsShown' | 'requestsCreated'>
}

// One call (`crypto.hash`), not a Hash object per value: this runs on every page and answer.
const sha256 = (text: string) => hash('sha256', text, 'base64url')

/** Equal hashes, compared in constant time. */
function sameHash(stored: string | null, given: string): boolean {
  if (stored === null) return false
  const a = Buffer.from(stored)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The binding of one request to one browser: its cookie, hashed with the request id. */
const bindingOf = (requestId: string, browser: string) => sha256(`${requestId}\u0000${browser}`)

const boundElsewhere = () =>
  new AppError(403, 'bound_elsewhere', 'This consent request was opened in another browser')
const alreadyAnswered = () =>
  new AppError(409, 'already_answered', 'Consent request already answered')
const expired = () => new AppError(410, 'expired', 'Consent request expired')
const notFound = () => new AppError(404, 'inexistent_consent_request', 'Consent request not found')
const invalidVerifier = () =>
  new AppError(403, 'invalid_verifier', 'The consent verifier does not match this request')

const withoutReturnUrls = (tenant: Tenant): Tenant => {
  const { allowed_return_urls: _ignored, ...settings } = tenant.settings
  return { ...tenant, settings }
}

/** Whether the AS may read the decision: redeemed, or decided when it was opened (§3.3). */
const decisionVisible = (request: ConsentRequest) =>
  request.verifiedAt !== null || (request.status !== 'pending' && request.verifierHash === null)

export function createConsentFlow(deps: ConsentFlowDeps): ConsentFlow {
  const { store } = deps
  const apiOf = async (tenant: Tenant, request: ConsentRequest) =>
    request.audience
      ? ((await store.resourceServers.find(tenant.id, request.audience)) ?? null)
      : null

  /**
   * Binds a request nobody has seen yet to this browser, on its first view (counted once, for the
   * console's insights); 403 when another browser's first view won the race.
   */
  async function bindFirstView(tenant: Tenant, request: ConsentRequest, binding: string) {
    const bound = await store.consentRequests.bind(tenant.id, request.id, binding)
    if (!bound) throw notFound()
    if (!sameHash(bound.bindingHash, binding)) throw boundElsewhere()
    const shown = { clientId: request.clientId, metric: 'shown', scope: '', count: 1 } as const
    await store.stats.add(tenant.id, [shown], deps.now())
    return bound
  }

  // The words of a prompt are the same for everyone shown the same scopes of the same API in the
  // same language: worked out once per configuration (the store's epoch), not at every answer.
  const shownLines = new LRUCache<string, readonly string[]>({ max: limits.shownLines })
  function linesShown(
    tenant: Tenant,
    api: ResourceServer | null,
    mode: PromptMode,
    asked: readonly string[],
    locale: string,
  ): readonly string[] {
    const key = JSON.stringify([
      tenant.id,
      store.configEpoch(),
      api?.id ?? null,
      mode,
      locale,
      asked,
    ])
    let lines = shownLines.get(key)
    if (!lines) {
      lines = deps.lineText(promptLines(mode, asked, api, locale), locale)
      shownLines.set(key, lines)
    }
    return lines
  }

  async function find(tenant: Tenant, rawId: string | undefined) {
    const id = consentIdSchema.safeParse(rawId)
    const request = id.success ? await store.consentRequests.get(tenant.id, id.data) : undefined
    if (!request) throw notFound()
    return request
  }

  /**
   * What an accept grants: everything asked, or under granular consent the required scopes and
   * the checked lines (the lines rebuilt as the page showed them), plus what was granted before.
   */
  function accepted(
    tenant: Tenant,
    request: ConsentRequest,
    api: ResourceServer | null,
    checked: readonly string[],
  ) {
    const effective = stillDefined(request.effectiveScopes, api)
    if (!request.granular) return { scopes: effective, declined: [] }
    const asked = stillDefined(request.promptScopes, api)
    const mode = promptModeFor(tenant.settings.flags)
    const picked = pickScopes({
      asked,
      lines: promptLines(mode, asked, api, 'en'),
      required: new Set(request.requiredScopes),
      checked,
    })
    const declined = new Set(picked.declined)
    return { scopes: effective.filter((scope) => !declined.has(scope)), declined: picked.declined }
  }

  /** The client of a request, or 404: a request whose client was deleted is gone (§3.2). */
  async function clientOf(tenant: Tenant, request: ConsentRequest) {
    const client = await store.clients.get(tenant.id, request.clientId)
    if (!client)
      throw new AppError(404, 'inexistent_client', 'The client of this request no longer exists')
    return client
  }

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

    find,

    async prompt(tenant, request, browser) {
      // Another browser learns nothing, not even whether the request was answered.
      const binding = bindingOf(request.id, browser)
      if (request.bindingHash !== null && !sameHash(request.bindingHash, binding))
        throw boundElsewhere()
      if (request.status !== 'pending') throw alreadyAnswered()
      if (deps.now() >= request.expiresAt) throw expired()
      // One after the other: both come from the configuration cache on all but the first page
      // after a change, and two awaits cost less than Promise.all's array and combinator.
      const client = await clientOf(tenant, request)
      const api = await apiOf(tenant, request)
      // Bound to this browser already (checked above), or bound to it now.
      const bound =
        request.bindingHash === null ? await bindFirstView(tenant, request, binding) : request
      const scopes = stillDefined(bound.promptScopes, api)
      let alreadyGranted = 0
      // Nothing granted before (the usual prompt): the two lists are one array, nothing to count.
      if (bound.effectiveScopes !== bound.promptScopes) {
        const asked = new Set(scopes)
        for (const scope of stillDefined(bound.effectiveScopes, api))
          if (scope !== 'openid' && !asked.has(scope)) alreadyGranted += 1
      }
      deps.metrics.promptsShown.inc({ mode: promptModeFor(tenant.settings.flags) })
      return { request: bound, client, api, scopes, alreadyGranted }
    },

    async answer(tenant, request, action, browser, checked = [], locale = 'en') {
      await clientOf(tenant, request)
      // Only the browser the page was opened in answers (DESIGN §3.2); an unbound request was
      // never shown, so nobody can have read what they would be answering.
      if (request.bindingHash === null || !browser) throw boundElsewhere()
      if (!sameHash(request.bindingHash, bindingOf(request.id, browser))) throw boundElsewhere()
      const at = deps.now()
      const verifier = randomToken(32)
      const verifierHash = sha256(verifier)
      const api = await apiOf(tenant, request)
      // What the page showed, in its words, for the receipt written when the AS verifies.
      const mode = promptModeFor(tenant.settings.flags)
      const asked = stillDefined(request.promptScopes, api)
      const shown = {
        locale,
        mode,
        lines: linesShown(tenant, api, mode, asked, locale),
        at: request.answeredAt ?? at,
      }
      const answer =
        action === 'accept'
          ? { action, at, verifierHash, shown, ...accepted(tenant, request, api, checked) }
          : { action, at, verifierHash, shown, error: DECLINED_ERROR }
      const answered = await store.consentRequests.answer(tenant.id, request.id, answer)
      deps.metrics.answers.inc({
        outcome: answered.outcome === 'answered' ? answered.request.status : answered.outcome,
      })
      if (answered.outcome === 'already_answered') throw alreadyAnswered()
      if (answered.outcome === 'expired') throw expired()
      if (answered.outcome === 'not_found') throw notFound()
      const back = new URL(request.returnTo)
      back.searchParams.set('consent_request', request.id)
      back.searchParams.set('consent_verifier', verifier)
      if (request.state !== null) back.searchParams.set('state', request.state)
      return back
    },

    async verify(tenant, rawId, verifier) {
      const request = await find(tenant, rawId)
      if (request.status === 'pending') {
        if (deps.now() >= request.expiresAt) throw expired()
        throw new AppError(409, 'not_answered', 'The consent request has not been answered yet')
      }
      if (!verifier || !sameHash(request.verifierHash, sha256(verifier))) throw invalidVerifier()
      // What the token gets now: still defined, and within the user's permissions today.
      const decision = await readDecision(store, tenant, request)
      if (request.verifiedAt === null) {
        // The AS redeems the answer as the browser comes back: a verifier not redeemed within
        // the request's lifetime after the answer is stale.
        const answeredAt = request.answeredAt?.getTime() ?? request.createdAt.getTime()
        if (deps.now().getTime() >= answeredAt + deps.ttlSeconds * 1000) throw expired()
        const scopes = request.status === 'accepted' ? decision.granted_scopes : null
        // The grant keeps the version of each scope the user was shown (DESIGN §3.5.1).
        const api = await apiOf(tenant, request)
        const versions = Object.fromEntries(
          (scopes ?? []).map((scope) => [scope, scopeVersion(api, scope)]),
        )
        const at = deps.now()
        const client = await store.clients.get(tenant.id, request.clientId)
        const effects = await answerEvidence(
          deps.receipts,
          { tenant, request, client, decision },
          at,
        )
        const outcome = await store.consentRequests.verify(
          tenant.id,
          request.id,
          at,
          scopes,
          versions,
          effects,
        )
        if (outcome.outcome === 'not_found') throw notFound()
        // The verify that wrote names its receipt; of two racing, the other reads the winner's.
        if (outcome.outcome === 'verified')
          return effects.receipt ? copyWith(decision, { receipt_id: effects.receipt.id }) : decision
        return readDecision(store, tenant, outcome.request)
      }
      return decision
    },

    async view(tenant, request) {
      if (decisionVisible(request)) return readDecision(store, tenant, request)
      return { id: request.id, status: request.status, expires_at: request.expiresAt.toISOString() }
    },

    consentUrl: (tenant, request) =>
      new URL(`consent/${request.id}`, tenantBaseUrl(deps.publicUrl, tenant)).href,
  }
}
