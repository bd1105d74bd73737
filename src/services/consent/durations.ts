import { chosenDuration, consentLifetime, offeredDurations } from '../../consent/index.js'
import type { ChosenDuration, Client, ShownPage, Tenant } from '../../entities.js'
import { AppError } from '../../errors.js'

/** The durations a client's prompt offers (DESIGN §3.5.1), capped by its lifetime. */
export const durationsOf = (tenant: Tenant, client: Client) =>
  offeredDurations(
    client.consentDurationChoices,
    tenant.settings.consent_duration_choices,
    consentLifetime(client, tenant.settings),
  )

/**
 * The duration an accept chose, judged against the page it was made on: one the page offered, or
 * none when it offered none; anything else (a value never shown, one longer than the lifetime)
 * is a forged form, refused.
 */
export function durationAnswered(
  shown: ShownPage,
  value: string | undefined,
): ChosenDuration | undefined {
  const offered = shown.durations ?? []
  if (offered.length === 0 && value === undefined) return undefined
  const seconds = chosenDuration(value, offered)
  if (seconds === undefined)
    throw new AppError(400, 'invalid_body', 'The form must carry one of the durations it offered')
  return { seconds }
}
