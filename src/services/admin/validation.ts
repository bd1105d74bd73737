import {
  type DurationChoice,
  durationChoicesError,
  hiddenCharacter,
  isTokenDialect,
  isValidScopeValue,
  RESERVED_SCOPE_NAMES,
  SCOPE_LIMITS,
  TOKEN_DIALECTS,
} from '../../consent/index.js'
import type { ApiScope, TokenDialect } from '../../entities.js'
import { FieldError } from '../../errors.js'

/** Names shown to users (DESIGN §6): 1–`max` characters, no `<`, `>` or control characters. */
export function checkDisplayName(field: string, value: string, max: number): string {
  const trimmed = value.trim()
  if (trimmed.length === 0) throw new FieldError(field, 'is required')
  if (trimmed.length > max) throw new FieldError(field, `must be at most ${max} characters`)
  if (/[<>\p{Cc}]/u.test(trimmed))
    throw new FieldError(field, 'must not contain <, > or control characters')
  // The same refusal as the Management API's (DESIGN §6), so the console cannot store a spoof.
  const hidden = hiddenCharacter(trimmed)
  if (hidden)
    throw new FieldError(
      field,
      `must not contain ${hidden}: bidi controls and other invisible format characters are refused`,
    )
  return trimmed
}

/**
 * The durations a prompt may offer (DESIGN §3.5.1), checked by one rule for the Management API and
 * the console alike; `null` clears the list.
 */
export function checkDurationChoices(
  field: string,
  choices: readonly DurationChoice[] | null,
): readonly DurationChoice[] | null {
  if (choices === null) return null
  const error = durationChoicesError(choices)
  if (error) throw new FieldError(field, error)
  return [...choices]
}

/** A scope value an API may define (DESIGN §1.5). */
export function checkScopeValue(field: string, value: string): string {
  if (!isValidScopeValue(value)) {
    throw new FieldError(
      field,
      `must be 1–${SCOPE_LIMITS.valueMaxLength} characters without spaces or control characters`,
    )
  }
  if (RESERVED_SCOPE_NAMES.has(value)) throw new FieldError(field, 'is a reserved scope name')
  return value
}

/** Why a `token_dialect` is refused: one sentence, for the Management API and the console alike. */
export const TOKEN_DIALECT_RULE = `must be one of ${TOKEN_DIALECTS.join(', ')}`

/** An API's `token_dialect` (DESIGN §4). */
export function checkTokenDialect(field: string, value: string): TokenDialect {
  if (!isTokenDialect(value)) throw new FieldError(field, TOKEN_DIALECT_RULE)
  return value
}

export function checkDescription(field: string, value: string): string {
  if (value.length > SCOPE_LIMITS.descriptionMaxLength)
    throw new FieldError(field, `must be at most ${SCOPE_LIMITS.descriptionMaxLength} characters`)
  if (/\p{Cc}/u.test(value)) throw new FieldError(field, 'must not contain control characters')
  return value
}

const LOCALE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/

/** An API's whole scope list: each scope valid, no duplicates, at most 1000 (DESIGN §1.5). */
export function checkScopes(scopes: readonly ApiScope[]): ApiScope[] {
  if (scopes.length > SCOPE_LIMITS.scopesPerApi)
    throw new FieldError('scopes', `must hold at most ${SCOPE_LIMITS.scopesPerApi} scopes`)
  const seen = new Set<string>()
  return scopes.map((scope, index) => {
    checkScopeValue(`scopes[${index}].value`, scope.value)
    if (seen.has(scope.value))
      throw new FieldError(`scopes[${index}].value`, `duplicates scope ${scope.value}`)
    seen.add(scope.value)
    checkDescription(`scopes[${index}].description`, scope.description)
    for (const [locale, text] of Object.entries(scope.descriptions ?? {})) {
      if (!LOCALE_TAG.test(locale))
        throw new FieldError(`scopes[${index}].descriptions`, `has a bad language tag ${locale}`)
      checkDescription(`scopes[${index}].descriptions.${locale}`, text)
    }
    return scope
  })
}

/** An http(s) URL of at most 2000 characters; `''` clears the field (`null`). */
export function checkUrl(field: string, value: string): string | null {
  const trimmed = value.trim()
  if (trimmed === '') return null
  let parsed: URL | undefined
  try {
    parsed = new URL(trimmed)
  } catch {
    parsed = undefined
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || trimmed.length > 2000)
    throw new FieldError(field, 'must be an http(s) URL')
  return trimmed
}

/** Short free text: at most `max` characters, no control characters. */
export function checkText(field: string, value: string, max: number): string {
  if (value.length > max) throw new FieldError(field, `must be at most ${max} characters`)
  if (/\p{Cc}/u.test(value)) throw new FieldError(field, 'must not contain control characters')
  return value
}

/** How long a grant may count (DESIGN §3.5.1): a minute to ten years; `null` follows the default. */
export const CONSENT_LIFETIME = { min: 60, max: 10 * 366 * 86_400 } as const

export function checkLifetime(field: string, seconds: number | null): number | null {
  if (seconds === null) return null
  if (
    !Number.isInteger(seconds) ||
    seconds < CONSENT_LIFETIME.min ||
    seconds > CONSENT_LIFETIME.max
  )
    throw new FieldError(field, 'must be between a minute and ten years')
  return seconds
}
