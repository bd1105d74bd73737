/**
 * How long a grant lasts when the user chooses (DESIGN §3.5.1): seconds, or `null` for "until I
 * remove it".
 */
export type DurationChoice = number | null

/** Every lifetime is at least a minute: a shorter one would be over before the token is used. */
export const MIN_LIFETIME_SECONDS = 60

/** The form value of "until I remove it"; the others are their seconds. */
export const UNTIL_REMOVED = 'until_removed'

/** What a duration reads as on the form (`name="duration"`). */
export const durationValue = (choice: DurationChoice): string =>
  choice === null ? UNTIL_REMOVED : String(choice)

/**
 * The durations a page offers, shortest first: the client's choices, else the tenant's, each
 * capped by the lifetime that applies (a choice longer than it, or "until removed" under a
 * lifetime, becomes the lifetime itself, so the user never picks more than the tenant allows and
 * the choice they read is the one they get). Fewer than two left: nothing to choose, none offered.
 */
export function offeredDurations(
  client: readonly DurationChoice[] | null | undefined,
  tenant: readonly DurationChoice[] | null | undefined,
  lifetimeSeconds: number | null,
): DurationChoice[] {
  const choices = client ?? tenant ?? []
  const capped = choices.map((choice) =>
    lifetimeSeconds === null
      ? choice
      : Math.min(choice ?? Number.POSITIVE_INFINITY, lifetimeSeconds),
  )
  const unique = [...new Set(capped)].sort((a, b) => (a ?? Infinity) - (b ?? Infinity))
  return unique.length < 2 ? [] : unique
}

/** Whether two pages offered the same durations (none and an empty list alike). */
export function sameDurations(
  a: readonly DurationChoice[] | undefined,
  b: readonly DurationChoice[] | undefined,
): boolean {
  const [x = [], y = []] = [a, b]
  return x.length === y.length && x.every((choice, index) => choice === y[index])
}

/**
 * The duration a posted form value names, if the page offered it; `undefined` for anything else
 * (a value the page did not show, a longer one, a spelling the form never sends).
 */
export function chosenDuration(
  value: string | undefined,
  offered: readonly DurationChoice[],
): DurationChoice | undefined {
  if (value === undefined) return undefined
  return offered.find((choice) => durationValue(choice) === value)
}

/**
 * How long a scope counts, in seconds: the shorter of the lifetime that applies now (it applies
 * to grants that exist, DESIGN §3.5.1) and the duration the user chose; `null`: until removed.
 */
export function effectiveLimit(
  lifetimeSeconds: number | null,
  chosen: number | null | undefined,
): number | null {
  if (chosen == null) return lifetimeSeconds
  return lifetimeSeconds === null ? chosen : Math.min(lifetimeSeconds, chosen)
}

/** At most this many choices: a page of radio buttons, not a list to scroll. */
export const MAX_DURATION_CHOICES = 8

/** The longest lifetime Assent takes, as for `consent_lifetime`: ten years. */
export const MAX_LIFETIME_SECONDS = 10 * 366 * 86_400

/** Why a list of duration choices cannot be used, or `null` when it can. */
export function durationChoicesError(choices: readonly DurationChoice[]): string | null {
  if (choices.length === 0) return 'must hold at least one duration, or be null'
  if (choices.length > MAX_DURATION_CHOICES)
    return `must hold at most ${MAX_DURATION_CHOICES} durations`
  for (const choice of choices)
    if (
      choice !== null &&
      (!Number.isInteger(choice) || choice < MIN_LIFETIME_SECONDS || choice > MAX_LIFETIME_SECONDS)
    )
      return `must hold whole seconds from ${MIN_LIFETIME_SECONDS} to ${MAX_LIFETIME_SECONDS}, or null for until removed`
  return null
}

/**
 * A list typed in the console (`3600, 86400, until_removed`): the same values the form and the
 * API use; empty: no list. `undefined` when a part is neither.
 */
export function parseDurationChoices(text: string): DurationChoice[] | null | undefined {
  const parts = text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
  if (parts.length === 0) return null
  const choices: DurationChoice[] = []
  for (const part of parts) {
    if (part === UNTIL_REMOVED) choices.push(null)
    else if (/^\d{1,10}$/.test(part)) choices.push(Number(part))
    else return undefined
  }
  return choices
}
