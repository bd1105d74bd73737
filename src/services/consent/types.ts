import type { PromptLine } from '../../consent/index.js'
import type { Client, ConsentRequest, ResourceServer, Tenant } from '../../entities.js'
import type { Metrics } from '../../metrics.js'
import type { Decision, UndecidedStatus } from './decision.js'
import type { ConsentRequestDeps, CreateConsentRequestInput } from './open.js'
import type { ReceiptService } from './receipts.js'
import type { DetailTexts, Rendition } from './renditions.js'

// What the consent flow offers and takes (DESIGN §3): its service, and the data each step returns.

export type AnswerAction = 'accept' | 'deny'

export interface OpenOptions {
  /** Return URL prefixes for this request instead of the tenant's (the demo returns to itself). */
  readonly allowedReturnUrls?: readonly string[]
}

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
  /** Indexes of the RFC 9396 entries that read otherwise since the page answered (§3.9). */
  readonly changedDetails: ReadonlySet<number>
  /** Why an answer was refused and the page shown again; `null` on an ordinary view. */
  readonly notice: PageNotice | null
}

/** The browser's answer, as its form posted it. */
export interface AnswerInput {
  readonly action: AnswerAction
  /** The `scopes` values of a granular form (DESIGN §3.5). */
  readonly checked: readonly string[]
  /** The `authorization_details` values of a granular form: indexes of entries (DESIGN §3.9). */
  readonly checkedDetails: readonly string[]
  /** The `rendition` field: the id of the page the answer was made on. */
  readonly rendition: string | undefined
  /** The `duration` radio's value (DESIGN §3.5.1): seconds, or `until_removed`. */
  readonly duration?: string | undefined
}

/**
 * Where an answer leads: back to the AS with the verifier, or — when it was made on a page that
 * is stale or no longer true — the prompt as it now reads, to answer again (DESIGN §3.2.2).
 */
export type AnswerResult =
  | { readonly kind: 'answered'; readonly next: URL }
  | { readonly kind: 'stale'; readonly prompt: PromptData }

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
  /**
   * The request an id from a URL names, or a 404 `inexistent_consent_request`; with `latest`, as
   * the database holds it now (a verify, the status an AS reads), not a copy that may lag behind
   * another instance's write.
   */
  find(
    tenant: Tenant,
    rawId: string | undefined,
    read?: { readonly latest?: boolean },
  ): Promise<ConsentRequest>
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
  /** Each line's claims as the user reads them in `locale` (DESIGN §3.9), for the shown page. */
  readonly claimText: (lines: readonly PromptLine[], locale: string) => string[][]
  /** The request's RFC 9396 entries as the user reads them, for the page's record (§3.9). */
  readonly detailTexts: DetailTexts
  readonly metrics: Pick<Metrics, 'answers' | 'promptsShown' | 'requestsCreated'>
}
