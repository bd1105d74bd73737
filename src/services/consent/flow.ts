import {
  changedSince,
  DECLINED_ERROR,
  detailsChangedSince,
  sameDurations,
  stillDefined,
} from '../../consent/index.js'
import type { Client, ConsentRequest, ResourceServer, ShownPage, Tenant } from '../../entities.js'
import { AppError } from '../../errors.js'
import { randomToken } from '../../ids.js'
import { copyWith } from '../../objects.js'
import { accepted, approvedDetails } from './accepted.js'
import {
  alreadyAnswered,
  bindingOf,
  boundElsewhere,
  digest,
  expired,
  invalidVerifier,
  notFound,
  sameHash,
} from './binding.js'
import { decisionVisible, grantedAsShown, readDecision, undecidedStatus } from './decision.js'
import { durationAnswered, durationsOf } from './durations.js'
import { answerEvidence } from './evidence.js'
import { consentIdSchema, createConsentRequest, tenantBaseUrl } from './open.js'
import { createRenditions } from './renditions.js'
import type { AnswerResult, ConsentFlow, ConsentFlowDeps, PageNotice, PromptData } from './types.js'

export type { Decision, UndecidedStatus } from './decision.js'
export { type CreateConsentRequestInput, consentIdSchema } from './open.js'

export type {
  AnswerAction,
  AnswerInput,
  AnswerResult,
  ConsentFlow,
  ConsentFlowDeps,
  OpenOptions,
  PageNotice,
  PromptData,
  RequestView,
} from './types.js'

const NO_ENTRIES: ReadonlySet<number> = new Set()
const NOTHING_MOVED: ReadonlySet<string> = new Set()

/** How a read that depends on the request's latest state asks for it (the store's `get`). */
const LATEST = { latest: true } as const

/**
 * Whether an answer to `request` made on the page `rendition` would be refused, or shown the
 * prompt again, for what writes change: its binding, its status, the page last rendered.
 */
const refusedAsKept = (request: ConsentRequest, rendition: string | undefined) =>
  request.bindingHash === null ||
  request.status !== 'pending' ||
  request.shown?.rendition !== rendition

const withoutReturnUrls = (tenant: Tenant): Tenant => {
  const { allowed_return_urls: _ignored, ...settings } = tenant.settings
  return { ...tenant, settings }
}

export function createConsentFlow(deps: ConsentFlowDeps): ConsentFlow {
  const { store } = deps
  const renditionOf = createRenditions(deps)
  const apiOf = async (tenant: Tenant, request: ConsentRequest) =>
    request.audience
      ? ((await store.resourceServers.find(tenant.id, request.audience)) ?? null)
      : null

  /**
   * Binds a request nobody has seen yet to this browser, on its first view, with that view as the
   * page shown (counted once, by the store, for the console's insights); 403 when another
   * browser's first view won the race.
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
    return bound
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
    changedDetails: ReadonlySet<number> = NO_ENTRIES,
  ): Promise<PromptData> {
    const scopes = stillDefined(request.promptScopes, api)
    const rendition = renditionOf(
      tenant,
      api,
      request,
      scopes,
      locale,
      changed,
      durationsOf(tenant, client),
    )
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
    return {
      request: shown,
      client,
      api,
      scopes,
      alreadyGranted,
      rendition,
      changed,
      changedDetails,
      notice,
    }
  }

  async function find(
    tenant: Tenant,
    rawId: string | undefined,
    read?: { readonly latest?: boolean },
  ) {
    const id = consentIdSchema.safeParse(rawId)
    const request = id.success
      ? await store.consentRequests.get(tenant.id, id.data, read)
      : undefined
    if (!request) throw notFound()
    return request
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

    async answer(tenant, given, input, browser, locale) {
      // `given` may be a copy kept in memory, which a write on another instance can leave behind
      // (DESIGN §7): what its state would refuse is judged again on the request as it stands. The
      // rest is decided by the answer's conditional write, on the row itself.
      const request = refusedAsKept(given, input.rendition)
        ? await find(tenant, given.id, LATEST)
        : given
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
      const again = (
        notice: PageNotice,
        changed: ReadonlySet<string>,
        changedDetails: ReadonlySet<number> = NO_ENTRIES,
      ) => {
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
          changedDetails,
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
        durationsOf(tenant, client),
      )
      // The same id is the same content (a digest of all of it): nothing to compare line by line.
      const same = now.rendition === latest.rendition
      const moved = same ? NOTHING_MOVED : changedSince(latest, now)
      const movedDetails = same ? NO_ENTRIES : detailsChangedSince(latest, now)
      if (moved.size > 0 || movedDetails.size > 0)
        return again('changed', new Set([...reasked, ...moved]), movedDetails)
      // A decline approves nothing, whatever boxes came with it.
      const approved =
        input.action === 'accept' ? approvedDetails(latest, input.checkedDetails) : []
      // The durations offered changed since (DESIGN §3.5.1): the lines mean what they said, but
      // an accept chose among others; the page as it now reads is shown again. A decline stands.
      if (input.action === 'accept' && !sameDurations(latest.durations, now.durations))
        return again('updated', reasked)
      // Checked before anything is recorded: a forged duration leaves the request pending.
      const duration =
        input.action === 'accept' ? durationAnswered(latest, input.duration) : undefined
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
              ...(duration ? { duration } : {}),
              ...(latest.details ? { approvedDetails: approved } : {}),
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
        const current = await store.consentRequests.get(tenant.id, request.id, LATEST)
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
      // Answered on another instance a moment ago, perhaps: never a copy still pending here.
      const request = await find(tenant, rawId, LATEST)
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
