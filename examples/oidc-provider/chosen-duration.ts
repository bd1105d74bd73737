/**
 * How long the user chose to allow the app on Assent's page (DESIGN §3.5.1), applied to
 * oidc-provider's Grant: the decision says `duration` (seconds, `null` for "until I remove it")
 * when the page offered a choice. The Grant then ends at that time, and with it every refresh
 * token issued under it, so the app's access lasts no longer than the user allowed.
 *
 * A Grant holds everything the user allowed one app; Assent counts each scope from its own
 * answer. The Grant ends at the earliest end any answer chose: never later than the user allowed.
 */
import type { ConsentDecision } from '../../src/client/index.js'

export function endWithChosenDuration(
  grant: { exp?: number | undefined },
  decision: Pick<ConsentDecision, 'duration'>,
  now: Date = new Date(),
): void {
  if (typeof decision.duration !== 'number') return
  const end = Math.floor(now.getTime() / 1000) + decision.duration
  if (grant.exp === undefined || end < grant.exp) grant.exp = end
}
