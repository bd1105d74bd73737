/**
 * `assent/client`: what an authorization server needs to call Assent (DESIGN §3), typed, with
 * nothing beyond the global `fetch`. It imports nothing from the rest of Assent, so it can be
 * shipped and loaded on its own.
 *
 * ```ts
 * const assent = new AssentClient({ url: 'https://consent.example.com', token })
 * const opened = await assent.createConsentRequest({ client_id, user_id, scope, redirect_uri, return_to, state })
 * // … the browser answers and comes back to return_to …
 * const { consent_request, consent_verifier } = readConsentReturn(returnUrl)
 * const decision = await assent.verify(consent_request, consent_verifier)
 * ```
 */

/** What the creation of a request says: a page to show, or decided at once (DESIGN §3.1, §3.3). */
export type ConsentStatus = 'pending' | 'accepted' | 'denied'

/** An outcome: only a verify (or a decision at creation) has one. */
export type DecisionStatus = 'accepted' | 'denied'

/**
 * A request's status while no decision can be read (DESIGN §3.4): `pending` until the browser
 * answers, `answered` until the verifier is redeemed (nothing about the outcome yet), `expired`
 * once it can no longer be answered or redeemed.
 */
export type UndecidedStatus = 'pending' | 'answered' | 'expired'

/** `POST /api/v2/consent-requests` (DESIGN §3.1). */
export interface CreateConsentRequestInput {
  client_id: string
  user_id: string
  user_name?: string
  user_email?: string
  /** The API (resource server identifier) the scopes belong to. */
  audience?: string
  /** Space-separated, as in the authorization request. */
  scope: string
  /** Required, but with `flow: "device"`, which has no redirect. */
  redirect_uri?: string
  /** Where Assent sends the browser back; must start with an allowed return URL. */
  return_to: string
  state?: string
  prompt?: string
  ui_locales?: string
  /** Let the user untick optional lines (granular consent), whatever the tenant flag says. */
  granular?: boolean
  /** Space-separated subset of `scope` the user cannot untick; `openid` always is. */
  required_scopes?: string
  /** The AS's "Not you?" URL, shown as a link; allowed as `return_to` is. */
  switch_account_url?: string
  /** A device sign-in (RFC 8628): always asked, with `user_code` shown to compare. */
  flow?: 'device'
  /** Up to 32 letters, digits and dashes, exactly as the device shows it; required with `flow`. */
  user_code?: string
  device?: { name?: string }
  /**
   * RFC 9396 entries (DESIGN §3.9): at most 10 and 16 KiB, each of a `type` the audience declares
   * and accepted by its schema, else 400 `invalid_authorization_details`. Always shown on a page.
   */
  authorization_details?: AuthorizationDetail[]
}

/** One RFC 9396 `authorization_details` entry: a JSON object with a `type`. */
export interface AuthorizationDetail {
  type: string
  [field: string]: unknown
}

export interface CreatedConsentRequest {
  id: string
  /** `pending`: send the browser to `consent_url`; otherwise decided at once (DESIGN §3.3). */
  status: ConsentStatus
  consent_url: string
  effective_scopes: string[]
  dropped_scopes: string[]
  granted_scopes: string[]
  expires_at: string
  /** `consent_required` when `prompt=none` would need a page. */
  error?: string
}

/** The decision (DESIGN §3.4): what goes into the token. */
export interface ConsentDecision {
  id: string
  status: DecisionStatus
  user_id: string
  client_id: string
  audience: string | null
  granted_scopes: string[]
  /** The space-joined `scope` claim for the token. */
  scope: string
  /** The scopes the user left unchecked (granular consent, DESIGN §3.5). */
  declined_scopes?: string[]
  /** `access_denied`, or `consent_required` for `prompt=none`. */
  error?: string
  /** With an `_authz` token dialect: every permission the user holds on the API. */
  permissions?: string[]
  receipt_id?: string
  /**
   * How long the user chose to allow it, in seconds; `null`: until they remove it. Present when
   * the page offered a choice (DESIGN §3.5.1).
   */
  duration?: number | null
  /**
   * The RFC 9396 entries the user approved, exactly as requested (`[]`: none); present when the
   * request carried entries. Put these, and only these, in the token.
   */
  authorization_details?: AuthorizationDetail[]
}

/** A request whose decision is not out yet (not answered, or its verifier not redeemed). */
export interface UndecidedConsentRequest {
  id: string
  status: UndecidedStatus
  expires_at: string
}

/** What `GET /consent-requests/{id}` reads: tell the two apart by `status`. */
export type ConsentRequestView = ConsentDecision | UndecidedConsentRequest

/** `POST /api/v2/grants` (DESIGN §4.2.1): a consent the user gave elsewhere, e.g. in Auth0. */
export interface ImportGrantInput {
  user_id: string
  /** camelCase, as Auth0's grants spell it. */
  clientID: string
  audience: string
  scope: string[]
}

export interface ImportedGrant {
  id: string
  clientID: string
  user_id: string
  audience: string
  /** Every scope the grant holds now. */
  scope: string[]
  expires_at?: string
  /** The `import` receipt; absent when the grant already held every scope. */
  receipt_id?: string
}

/** `POST /api/v2/users/{id}/portal-sessions` (DESIGN §3.7). */
export interface CreatePortalSessionInput {
  return_to?: string
  ui_locales?: string
}

export interface PortalSession {
  /** A single-use link to the user's connected apps. */
  url: string
  expires_at: string
}

/** What Assent appends to `return_to` when the browser comes back (DESIGN §3.2). */
export interface ConsentReturn {
  consent_request: string
  consent_verifier: string
  state: string | null
}

/** Assent's error body (DESIGN §4.1). */
export interface AssentErrorBody {
  statusCode: number
  error: string
  message: string
  errorCode: string
}

/** Any answer from Assent that is not a success, with its §4.1 body. */
export class AssentError extends Error implements AssentErrorBody {
  override readonly name = 'AssentError'
  readonly statusCode: number
  readonly error: string
  readonly errorCode: string

  constructor(body: AssentErrorBody) {
    super(body.message)
    this.statusCode = body.statusCode
    this.error = body.error
    this.errorCode = body.errorCode
  }

  /** The §4.1 body, as Assent sent it. */
  toJSON(): AssentErrorBody {
    return {
      statusCode: this.statusCode,
      error: this.error,
      message: this.message,
      errorCode: this.errorCode,
    }
  }
}

export interface AssentClientOptions {
  /** Where Assent is, e.g. `https://consent.example.com` (the tenant is chosen by its host). */
  url: string
  /** A management token: `create:consent_requests read:consent_requests`, and
   * `create:portal_sessions` for portal links, `create:grants` to import grants. */
  token: string
  /** Gives up on a call after this long (default 10 s). */
  timeoutMs?: number
  /** Another `fetch`, e.g. one with a proxy or a test double. */
  fetch?: typeof fetch
}

function isErrorBody(value: unknown): value is AssentErrorBody {
  if (typeof value !== 'object' || value === null) return false
  const body = value as Record<string, unknown>
  return (
    typeof body.statusCode === 'number' &&
    typeof body.error === 'string' &&
    typeof body.message === 'string' &&
    typeof body.errorCode === 'string'
  )
}

/** Reads `consent_request`, `consent_verifier` and `state` from the URL the browser came back to. */
export function readConsentReturn(url: string | URL): ConsentReturn {
  const params = new URL(url).searchParams
  return {
    consent_request: params.get('consent_request') ?? '',
    consent_verifier: params.get('consent_verifier') ?? '',
    state: params.get('state'),
  }
}

/** An authorization server's client for Assent's consent API. */
export class AssentClient {
  readonly #base: string
  readonly #token: string
  readonly #timeoutMs: number
  readonly #fetch: typeof fetch

  constructor(options: AssentClientOptions) {
    this.#base = `${options.url.replace(/\/+$/, '')}/api/v2`
    this.#token = options.token
    this.#timeoutMs = options.timeoutMs ?? 10_000
    this.#fetch = options.fetch ?? globalThis.fetch
  }

  /** Opens a consent request; it may come back decided already (DESIGN §3.1, §3.3). */
  createConsentRequest(input: CreateConsentRequestInput): Promise<CreatedConsentRequest> {
    return this.#call('POST', '/consent-requests', input)
  }

  /**
   * Redeems the verifier the browser brought back and returns the decision; the first call
   * writes the grant, a repeat returns the same decision (DESIGN §3.4).
   */
  verify(id: string, consentVerifier: string): Promise<ConsentDecision> {
    return this.#call('POST', `/consent-requests/${encodeURIComponent(id)}/verify`, {
      consent_verifier: consentVerifier,
    })
  }

  /** Reads a request: its decision once verified or decided at creation, else its status. */
  getConsentRequest(id: string): Promise<ConsentRequestView> {
    return this.#call('GET', `/consent-requests/${encodeURIComponent(id)}`)
  }

  /**
   * Imports a user's consent from elsewhere (needs `create:grants`): the next request for those
   * scopes needs no prompt (DESIGN §4.2.1).
   */
  importGrant(input: ImportGrantInput): Promise<ImportedGrant> {
    return this.#call('POST', '/grants', input)
  }

  /** A single-use link for the user to see and revoke their grants (DESIGN §3.7). */
  createPortalSession(
    userId: string,
    input: CreatePortalSessionInput = {},
  ): Promise<PortalSession> {
    return this.#call('POST', `/users/${encodeURIComponent(userId)}/portal-sessions`, input)
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.#fetch(`${this.#base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.#timeoutMs),
    })
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    if (res.ok && parsed !== undefined) return parsed as T
    if (isErrorBody(parsed)) throw new AssentError(parsed)
    // Not Assent's answer (a proxy's error page, say): keep the status, say what came back.
    throw new AssentError({
      statusCode: res.status,
      error: res.statusText || 'Unexpected response',
      message: `${method} ${path}: unexpected ${res.status} response${text ? `: ${text.slice(0, 200)}` : ''}`,
      errorCode: 'unexpected_response',
    })
  }
}
