import type {
  ChosenDuration,
  ConsentRequest,
  NewEvent,
  Receipt,
  ShownPage,
  StatCount,
  Webhook,
  WebhookEventType,
  WebhookStatus,
} from '../entities.js'

/** What a write carries beside its change, committed in the same transaction (DESIGN §3.6, §3.8). */
export interface SideEffects {
  readonly receipt?: Receipt
  /** Added to the daily counts (`day` is taken from the change's time). */
  readonly stats?: readonly Omit<StatCount, 'day'>[]
  /** Fanned out to every endpoint of the tenant subscribed to the event's type. */
  readonly events?: readonly NewEvent[]
  /**
   * The tenant's webhook endpoints, when the caller holds them (the configuration cache, current
   * as of the request's `sync`); without them the store reads them in the change's transaction.
   */
  readonly endpoints?: readonly Pick<Webhook, 'id' | 'events'>[]
}

/** What a PATCH of a webhook endpoint may change (DESIGN §3.8). */
export interface WebhookChanges {
  readonly url?: string
  readonly events?: readonly WebhookEventType[]
  readonly status?: WebhookStatus
}

/** How one delivery attempt went, and when to try again (`null`: no more attempts). */
export interface AttemptOutcome {
  readonly status: number | null
  readonly error: string | null
  readonly delivered: boolean
  readonly nextAttemptAt: Date | null
}

export type ConsentAnswer = (
  | {
      readonly action: 'accept'
      readonly at: Date
      readonly scopes: readonly string[]
      /** Asked but left unticked (granular consent, DESIGN §3.5). */
      readonly declined?: readonly string[]
      /** The duration picked, when the page offered a choice (DESIGN §3.5.1). */
      readonly duration?: ChosenDuration
      /** The indexes of the request's RFC 9396 entries approved (DESIGN §3.9). */
      readonly approvedDetails?: readonly number[]
    }
  /** `error` is what the request's decision then says (the caller's OAuth error code). */
  | { readonly action: 'deny'; readonly at: Date; readonly error: string }
) & {
  /** SHA-256 of the verifier the answer hands to the browser (DESIGN §3.4). */
  readonly verifierHash: string
  /**
   * The page it was given on (DESIGN §3.2.2): the answer is written only while this is still the
   * request's latest render; its receipt quotes it (§3.6).
   */
  readonly shown: ShownPage
}

export type AnswerOutcome =
  | { readonly outcome: 'answered'; readonly request: ConsentRequest }
  /** `stale`: still pending, but another page was rendered since the one answered. */
  | { readonly outcome: 'not_found' | 'already_answered' | 'expired' | 'stale' }

export type VerifyOutcome =
  /** This call marked the request verified (and wrote the grant and the effects it was given). */
  | { readonly outcome: 'verified' }
  /** Verified before, or not answered: nothing was written; the request as it stands. */
  | { readonly outcome: 'unchanged'; readonly request: ConsentRequest }
  | { readonly outcome: 'not_found' }
