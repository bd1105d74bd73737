import type { EffectiveScopes } from './effective-scopes.js'
import { isLoopbackUrl } from './loopback.js'
import type { Api } from './types.js'

/** Whether a consent request needs a page, or is decided as it is opened (DESIGN §3.3). */
export type PromptOutcome =
  /** `ask`: the scopes the page asks about. */
  | { readonly status: 'pending'; readonly ask: readonly string[] }
  | { readonly status: 'accepted'; readonly granted: readonly string[] }
  | { readonly status: 'denied'; readonly error: 'consent_required' }

/**
 * What a request the user declined on the page reports: "the resource owner … denied the
 * request" (RFC 6749 §4.1.2.1).
 */
export const DECLINED_ERROR = 'access_denied'

export interface DecideInput {
  readonly scopes: EffectiveScopes
  /** The OIDC `prompt` parameter: space-separated values (OpenID Connect Core §3.1.2.1). */
  readonly prompt: string | undefined
  readonly api: Api | null
  readonly client: { readonly isFirstParty: boolean }
  readonly redirectUri: string
  /** A device sign-in (DESIGN §3.10): always asked, whatever was granted before. */
  readonly device?: boolean
  /**
   * The request carries RFC 9396 entries (DESIGN §3.9): they are transactional, never granted
   * before, so the page is always shown for them, though it asks only the new scopes.
   */
  readonly details?: boolean
}

/**
 * Whether the user must see a page (DESIGN §3.3). No page when nothing new is asked, or when a
 * first-party client may skip consent on this API and is not redirecting to loopback (any local
 * app could claim a loopback redirect). `prompt=consent` always shows the page; `prompt=none`
 * with a page needed is refused with `consent_required` (OpenID Connect Core §3.1.2.6).
 * A device sign-in always needs the page: the code on it is the user's only defence against a
 * sign-in someone else started (RFC 8628 §5.4), so neither a grant nor first-party status skips it.
 */
export function decide(input: DecideInput): PromptOutcome {
  const prompt = new Set((input.prompt ?? '').split(' ').filter(Boolean))
  const { scopes, api, client } = input
  const skipFirstParty =
    client.isFirstParty &&
    api?.skipConsentForVerifiableFirstPartyClients === true &&
    !isLoopbackUrl(input.redirectUri)
  const askAll = prompt.has('consent') || input.device === true
  const needsPage =
    askAll || input.details === true || (scopes.toPrompt.length > 0 && !skipFirstParty)

  if (!needsPage) return { status: 'accepted', granted: scopes.effective }
  if (prompt.has('none')) return { status: 'denied', error: 'consent_required' }
  // A forced prompt asks about everything again, so the user can see what the app holds.
  return { status: 'pending', ask: askAll ? scopes.effective : scopes.toPrompt }
}
