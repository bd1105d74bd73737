import { timingSafeEqual } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { limits } from '../../config/env.js'
import {
  canonicalRendition,
  changedSince,
  DECLINED_ERROR,
  type PromptLine,
  pickScopes,
  promptLines,
  promptModeFor,
  renditionContent,
  scopeVersion,
  standaloneScopes,
  stillDefined,
} from '../../consent/index.js'
import { sha256 } from '../../digest.js'
import type { Client, ConsentRequest, ResourceServer, ShownPage, Tenant } from '../../entities.js'
import { AppError } from '../../errors.js'
import { randomToken } from '../../ids.js'
import type { Metrics } from '../../metrics.js'
import { copyWith } from '../../objects.js'
import { type Decision, readDecision } from './decision.js'
import { answerEvidence } from './evidence.js'
import {
  type ConsentRequestDeps,
  type CreateConsentRequestInput,
  consentIdSchema,
  createConsentRequest,
  tenantBaseUrl,
} from './open.js'
import type { ReceiptService } from './receipts.js'

export type { Decision } from './decision.js'
export { type CreateConsentRequestInput, consentIdSchema } from './open.js'

export type AnswerAction = 'accept' | 'deny'

export interface OpenOptions {
  /** Return URL prefixes for this request instead of the tenant's (the demo returns to itself). */
  readonly allowedReturnUrls?: readonly string[]
}

/** One render of the prompt: what it shows, and the id its form carries (DESIGN §3.2.2). */
export type Rendition = Omit<ShownPage, 'at'>

/** Why a page is shown again in answer to a POST (DESIGN §3.2.2). */
export type PageNotice =
  /** Answered from a page that is not the latest rendered (an old tab), or with no page id. */
  | 'updated'
  /** What the page said changed meaning while it was open. */
  | 'changed'

/** What the consent page shows: the request and what it is about (DESIGN §3.2). */
export interface PromptData {
  readonly request: ConsentRequest
  readonly client: Client
  readonly api: ResourceServer | null
  /** The scopes the page asks about, still defined by the API, in prompt order. */
  readonly scopes: readonly string[]
  /** How many other scopes the user already granted this client (incremental consent). */
  readonly alreadyGranted: number
  /** The page as recorded: its lines, locale and id. */
  readonly rendition: Rendition
  /** Scopes whose lines carry the "changed" mark. */
  readonly changed: ReadonlySet<string>
  /** Why an answer was refused and the page shown again; `null` on an ordinary view. */
  readonly notice: PageNotice | null
}

/** The browser's answer, as its form posted it. */
export interface AnswerInput {
  readonly action: AnswerAction
  /** The `scopes` values of a granular form (DESIGN §3.5). */
  readonly checked: readonly string[]
  /** The `rendition` field: the id of the page the answer was made on. */
  readonly rendition: string | undefined
}

/**
 * Where an answer leads: back to the AS with the verifier, or — when it was made on a page that
 * is stale or no longer true — the prompt as it now reads, to answer again (DESIGN §3.2.2).
 */
export type AnswerResult =
  | { readonly kind: 'answered'; readonly next: URL }
  | { readonly kind: 'stale'; readonly prompt: PromptData }

/**
 * A request's status while the AS cannot read a decision yet (DESIGN §3.4): an answer is
 * `answered` until the AS redeems it, since only the verify turns it into an outcome; a request
 * never answered, or answered and never verified, in time is `expired`.
 */
export type UndecidedStatus = 'pending' | 'answered' | 'expired'

/** What `GET /api/v2/consent-requests/{id}` shows: the decision only once it counts (§3.4). */
export type RequestView =
  | Decision
  | { readonly id: string; readonly status: UndecidedStatus; readonly expires_at: string }

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
   * What the page needs, for the browser holding `browser` (its cookie), in `locale`: binds the
   * request to it on the first view, and records what the page shows as the latest rendition
   * (DESIGN §3.2.2); 403 `bound_elsewhere` for any other browser; 409, 410, 404 (client gone).
   */
  prompt(
    tenant: Tenant,
    request: ConsentRequest,
    browser: string,
    locale: string,
  ): Promise<PromptData>
  /**
   * Records the answer from the bound browser when it was made on the latest page and that page
   * still means what it said; returns where it goes next, with the verifier, or the page to show
   * again (DESIGN §3.2.2). `locale`: for a request with no page recorded yet.
   */
  answer(
    tenant: Tenant,
    request: ConsentRequest,
    input: AnswerInput,
    browser: string | undefined,
    locale: string,
  ): Promise<AnswerResult>
  /** `POST …/verify` (DESIGN §3.4): redeems the verifier; the first time, writes the grant. */
  verify(tenant: Tenant, rawId: string, verifier: string | undefined): Promise<Decision>
  /** `GET /api/v2/consent-requests/{id}`. */
  view(tenant: Tenant, request: ConsentRequest): Promise<RequestView>
  /** The page a browser is sent to for `request`. */
  consentUrl(tenant: Tenant, request: ConsentRequest): string
  /**
   * Changes whenever the configuration a page is built from may have changed (the store's
   * `configEpoch`): a page kept under another value is stale.
   */
  configEpoch(): string
}

export interface ConsentFlowDeps extends ConsentRequestDeps {
  readonly publicUrl: URL
  readonly receipts: ReceiptService
  /** The lines as the user reads them in `locale`, for the receipt (DESIGN §3.6). */
  readonly lineText: (lines: readonly PromptLine[], locale: string) => string[]
  readonly metrics: Pick<Metrics, 'answers' | 'promptsShown' | 'requestsCreated'>
}

const digest = (text: string) => sha256(text, 'base64url')

/** Equal hashes, compared in constant time. */
function sameHash(stored: string | null, given: string): boolean {
  if (stored === null) return false
  const a = Buffer.from(stored)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The binding of one request to one browser: its cookie, hashed with the request id. */
const bindingOf = (requestId: string, browser: string) => digest(`${requestId}\u0000${browser}`)

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

/** Each part after its length: unambiguous whatever characters a part holds. */
function lengthPrefixed(parts: readonly string[]): string {
  let key = ''
  for (const part of parts) key += `${part.length}:${part}`
  return key
}

/**
 * What a verify merges into the grant: the granted scopes the page showed, each at the version it
 * showed. A page recorded before pages kept their versions says nothing of them: the versions then
 * are today's, as they were when it was answered.
 */
function grantedAsShown(
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

export function createConsentFlow(deps: ConsentFlowDeps): ConsentFlow {
  const { store } = deps
  const apiOf = async (tenant: Tenant, request: ConsentRequest) =>
    request.audience
      ? ((await store.resourceServers.find(tenant.id, request.audience)) ?? null)
      : null

  /**
   * Binds a request nobody has seen yet to this browser, on its first view, with that view as the
   * page shown (counted once, for the console's insights); 403 when another browser's first view
   * won the race.
   */
  async function bindFirstView(
    tenant: Tenant,
    request: ConsentRequest,
    binding: string,
    shown: ShownPage,
  ) {
    const bound = await store.consentRequests.bind(tenant.id, request.id, binding, shown)
    if (!bound) throw notFound()
    if (!sameHash(bound.bindingHash, binding)) throw boundElsewhere()
    const counted = { clientId: request.clientId, metric: 'shown', scope: '', count: 1 } as const
    await store.stats.add(tenant.id, [counted], deps.now())
    return bound
  }

  // A prompt's render is the same for everyone shown the same scopes of the same API in the same
  // language with the same marks: worked out once per configuration (the store's epoch).
  const renditions = new LRUCache<string, Rendition>({ max: limits.shownLines })
  function renditionOf(
    tenant: Tenant,
    api: ResourceServer | null,
    request: ConsentRequest,
    scopes: readonly string[],
    locale: string,
    changed: ReadonlySet<string>,
  ): Rendition {
    const mode = promptModeFor(tenant.settings.flags)
    const key = lengthPrefixed([
      tenant.id,
      String(store.configEpoch()),
      api?.id ?? '',
      mode,
      locale,
      scopes.join(' '),
      request.granular ? 'granular' : '',
      request.requiredScopes.join(' '),
      [...changed].join(' '),
      request.device ? `${request.device.userCode} ${request.device.name ?? ''}` : '',
    ])
    let rendition = renditions.get(key)
    if (!rendition) {
      const required = new Set(request.requiredScopes)
      const alone = standaloneScopes(request.granular, scopes, required)
      const lines = promptLines(mode, scopes, api, locale, alone)
      const content = renditionContent({
        mode,
        locale,
        scopes,
        api,
        lines,
        texts: deps.lineText(lines, locale),
        granular: request.granular,
        required,
        changed,
        device: request.device,
      })
      rendition = copyWith(content, { rendition: digest(canonicalRendition(content)).slice(0, 22) })
      renditions.set(key, rendition)
    }
    return rendition
  }

  /**
   * The prompt for the bound browser as it reads now, recorded as the latest rendition unless it
   * is that already (a reload writes nothing).
   */
  async function render(
    tenant: Tenant,
    request: ConsentRequest,
    client: Client,
    api: ResourceServer | null,
    locale: string,
    changed: ReadonlySet<string>,
    notice: PageNotice | null,
    binding: string | null,
  ): Promise<PromptData> {
    const scopes = stillDefined(request.promptScopes, api)
    const rendition = renditionOf(tenant, api, request, scopes, locale, changed)
    let shown = request
    if (binding !== null) {
      // Bound to this browser already (checked by the caller), or bound to it now.
      shown = await bindFirstView(tenant, request, binding, copyWith(rendition, { at: deps.now() }))
    } else if (request.shown?.rendition !== rendition.rendition) {
      const recorded = await store.consentRequests.show(
        tenant.id,
        request.id,
        copyWith(rendition, { at: deps.now() }),
      )
      if (!recorded) throw notFound()
      // Answered in another tab meanwhile: that answer stands.
      if (recorded.status !== 'pending') throw alreadyAnswered()
      shown = recorded
    }
    let alreadyGranted = 0
    // Nothing granted before (the usual prompt): the two lists are one array, nothing to count.
    if (shown.effectiveScopes !== shown.promptScopes) {
      const asked = new Set(scopes)
      for (const scope of stillDefined(shown.effectiveScopes, api))
        if (scope !== 'openid' && !asked.has(scope)) alreadyGranted += 1
    }
    return { request: shown, client, api, scopes, alreadyGranted, rendition, changed, notice }
  }

  async function find(tenant: Tenant, rawId: string | undefined) {
    const id = consentIdSchema.safeParse(rawId)
    const request = id.success ? await store.consentRequests.get(tenant.id, id.data) : undefined
    if (!request) throw notFound()
    return request
  }

  /**
   * What an accept grants: everything asked, or under granular consent the required lines and
   * the checked lines of the page the user answered, plus what was granted before.
   */
  function accepted(
    request: ConsentRequest,
    api: ResourceServer | null,
    shown: ShownPage,
    checked: readonly string[],
  ) {
    const effective = stillDefined(request.effectiveScopes, api)
    if (!request.granular) return { scopes: effective, declined: [] }
    const picked = pickScopes({
      asked: stillDefined(request.promptScopes, api),
      lines: shown.lines,
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

    async prompt(tenant, request, browser, locale) {
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
      const changed = new Set(request.changedScopes)
      const unbound = request.bindingHash === null ? binding : null
      const data = await render(tenant, request, client, api, locale, changed, null, unbound)
      deps.metrics.promptsShown.inc({ mode: data.rendition.mode })
      return data
    },

    async answer(tenant, request, input, browser, locale) {
      const client = await clientOf(tenant, request)
      // Only the browser the page was opened in answers (DESIGN §3.2); an unbound request was
      // never shown, so nobody can have read what they would be answering.
      if (request.bindingHash === null || !browser) throw boundElsewhere()
      if (!sameHash(request.bindingHash, bindingOf(request.id, browser))) throw boundElsewhere()
      // Counted as the store would count them, had the answer reached it.
      if (request.status !== 'pending') {
        deps.metrics.answers.inc({ outcome: 'already_answered' })
        throw alreadyAnswered()
      }
      const at = deps.now()
      if (at >= request.expiresAt) {
        deps.metrics.answers.inc({ outcome: 'expired' })
        throw expired()
      }
      const api = await apiOf(tenant, request)
      const reasked = new Set(request.changedScopes)
      const latest = request.shown
      const again = (notice: PageNotice, changed: ReadonlySet<string>) => {
        deps.metrics.answers.inc({ outcome: 'stale' })
        return render(
          tenant,
          request,
          client,
          api,
          latest?.locale ?? locale,
          changed,
          notice,
          null,
        ).then((prompt): AnswerResult => ({ kind: 'stale', prompt }))
      }
      // Judged against the page it was made on (DESIGN §3.2.2): the latest one rendered …
      if (!latest || input.rendition !== latest.rendition) return again('updated', reasked)
      // … and still meaning what it said.
      const now = renditionOf(
        tenant,
        api,
        request,
        stillDefined(request.promptScopes, api),
        latest.locale,
        reasked,
      )
      const moved = changedSince(latest, now)
      if (moved.size > 0) return again('changed', new Set([...reasked, ...moved]))
      const verifier = randomToken(32)
      const verifierHash = digest(verifier)
      const answer =
        input.action === 'accept'
          ? {
              action: input.action,
              at,
              verifierHash,
              shown: latest,
              ...accepted(request, api, latest, input.checked),
            }
          : { action: input.action, at, verifierHash, shown: latest, error: DECLINED_ERROR }
      const answered = await store.consentRequests.answer(tenant.id, request.id, answer)
      deps.metrics.answers.inc({
        outcome: answered.outcome === 'answered' ? answered.request.status : answered.outcome,
      })
      if (answered.outcome === 'already_answered') throw alreadyAnswered()
      if (answered.outcome === 'expired') throw expired()
      if (answered.outcome === 'not_found') throw notFound()
      if (answered.outcome === 'stale') {
        // Another page was rendered between the check and the write: show the latest again.
        const current = await store.consentRequests.get(tenant.id, request.id)
        if (!current) throw notFound()
        if (current.status !== 'pending') throw alreadyAnswered()
        return render(
          tenant,
          current,
          client,
          api,
          current.shown?.locale ?? locale,
          reasked,
          'updated',
          null,
        ).then((prompt): AnswerResult => ({ kind: 'stale', prompt }))
      }
      const back = new URL(request.returnTo)
      back.searchParams.set('consent_request', request.id)
      back.searchParams.set('consent_verifier', verifier)
      if (request.state !== null) back.searchParams.set('state', request.state)
      return { kind: 'answered', next: back }
    },

    async verify(tenant, rawId, verifier) {
      const request = await find(tenant, rawId)
      if (request.status === 'pending') {
        if (deps.now() >= request.expiresAt) throw expired()
        throw new AppError(409, 'not_answered', 'The consent request has not been answered yet')
      }
      if (!verifier || !sameHash(request.verifierHash, digest(verifier))) throw invalidVerifier()
      // What the token gets now: still defined, and within the user's permissions today.
      const decision = await readDecision(store, tenant, request)
      if (request.verifiedAt === null) {
        // The AS redeems the answer as the browser comes back: a verifier not redeemed within
        // the request's lifetime after the answer is stale.
        const answeredAt = request.answeredAt?.getTime() ?? request.createdAt.getTime()
        if (deps.now().getTime() >= answeredAt + deps.ttlSeconds * 1000) throw expired()
        // The grant keeps the version of each scope the user was shown (DESIGN §3.5.1, §3.2.2),
        // whatever it is now, and only the scopes that were on the page: an earlier grant of
        // another scope keeps its own version and time.
        const api = await apiOf(tenant, request)
        const { scopes, versions } = grantedAsShown(
          request,
          request.status === 'accepted' ? decision.granted_scopes : null,
          api,
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
      return {
        id: request.id,
        status: undecidedStatus(request, deps.now(), deps.ttlSeconds),
        expires_at: request.expiresAt.toISOString(),
      }
    },

    consentUrl: (tenant, request) =>
      new URL(`consent/${request.id}`, tenantBaseUrl(deps.publicUrl, tenant)).href,

    configEpoch: () => store.configEpoch(),
  }
}
