import type { AuthorizationDetail } from './consent/index.js'

// What Assent keeps as proof after the fact (DESIGN §3.6, §3.8): receipts and their keys, and the
// webhook endpoints, events and attempts that tell the AS.

/** `import`: a consent given elsewhere and brought over by an admin (DESIGN §4.2.1). */
export type ReceiptAction = 'accept' | 'deny' | 'revoke' | 'import'

/** What a consent receipt states, signed as a JWS (DESIGN §3.6). */
export interface ReceiptClaims {
  readonly receipt_id: string
  readonly tenant: string
  readonly user_id: string
  readonly client_id: string
  readonly client_name: string
  readonly audience: string | null
  readonly action: ReceiptAction
  /** Where an imported consent was given, e.g. `auth0`. */
  readonly source?: string
  /** `device` for a device sign-in (DESIGN §3.10), with the code the user compared. */
  readonly flow?: 'device'
  readonly user_code?: string
  readonly granted_scopes: readonly string[]
  readonly declined_scopes: readonly string[]
  readonly lines: readonly string[]
  /** The lines granted and declined, as shown (an accept or a deny on a page). */
  readonly granted_lines?: readonly string[]
  readonly declined_lines?: readonly string[]
  /** How long the user chose to allow it, in seconds; `null`: until removed (DESIGN §3.5.1). */
  readonly duration?: number | null
  /**
   * For each of `lines`, in order, the claims it opened to as worded on the page (DESIGN §3.9),
   * `[]` for a line that opened to none; absent when no line did.
   */
  readonly line_claims?: readonly (readonly string[])[]
  /**
   * The RFC 9396 entries approved (DESIGN §3.9): each one's line as shown, and the entry as the
   * AS sent it; `[]` when the request carried entries and none was approved.
   */
  readonly authorization_details?: readonly ApprovedDetail[]
  readonly locale: string | null
  readonly mode: string | null
  readonly shown_at: string | null
  readonly answered_at: string | null
  readonly recorded_at: string
}

/** An approved entry as a receipt quotes it: the words the user read, and what they stand for. */
export interface ApprovedDetail {
  readonly text: string
  readonly entry: AuthorizationDetail
}

export interface Receipt {
  readonly id: string
  readonly tenantId: string
  readonly userId: string
  readonly clientId: string
  readonly action: ReceiptAction
  readonly claims: ReceiptClaims
  readonly jws: string
  readonly recordedAt: Date
}

/** A tenant's receipt-signing key (ES256), kept in the store so every instance signs alike. */
export interface ReceiptKey {
  readonly kid: string
  readonly privateJwk: Readonly<Record<string, unknown>>
  readonly publicJwk: Readonly<Record<string, unknown>>
  readonly createdAt: Date
}

export type WebhookEventType =
  | 'consent.accepted'
  | 'consent.denied'
  | 'grant.revoked'
  | 'grant.deleted'

/**
 * `disabled` once every attempt has failed for a day (DESIGN §3.8): nothing is sent to it until
 * an admin enables it again; its events are kept meanwhile.
 */
export type WebhookStatus = 'enabled' | 'disabled'

export interface Webhook {
  readonly id: string
  readonly url: string
  readonly events: readonly WebhookEventType[]
  readonly secret: string
  readonly createdAt: Date
  readonly status: WebhookStatus
}

/** An event to deliver to every endpoint that subscribed to its type (DESIGN §3.8). */
export interface NewEvent {
  readonly id: string
  readonly type: WebhookEventType
  /** Whom it is about, so erasure finds it. */
  readonly userId: string | null
  readonly payload: Readonly<Record<string, unknown>>
}

/** One event for one endpoint, claimed for a delivery attempt. */
export interface OutboxItem {
  readonly id: string
  readonly tenantId: string
  readonly webhookId: string
  readonly messageId: string
  readonly type: WebhookEventType
  readonly userId: string | null
  readonly payload: string
  readonly createdAt: Date
  readonly attempts: number
  readonly url: string
  readonly secret: string
}

export interface WebhookDelivery {
  readonly id: string
  readonly messageId: string
  readonly type: WebhookEventType
  readonly attempt: number
  /** The HTTP status the endpoint answered; `null` when it could not be reached. */
  readonly status: number | null
  readonly error: string | null
  readonly at: Date
}
