import { describe, expect, it } from 'vitest'
import {
  chosenDuration,
  countingGrant,
  durationChoicesError,
  grantExpiry,
  offeredDurations,
  parseDurationChoices,
  sameDurations,
} from '../../src/consent/index.js'

/* How long a grant lasts when the user chooses (DESIGN §3.5.1). */

const HOUR = 3600
const DAY = 86_400
const at = new Date('2026-11-24T10:00:00Z')
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000)

describe('offeredDurations', () => {
  it("takes the client's choices before the tenant's, shortest first, and none for one", () => {
    expect(offeredDurations([null, DAY, HOUR], [HOUR, DAY], null)).toEqual([HOUR, DAY, null])
    expect(offeredDurations(null, [DAY, HOUR], null)).toEqual([HOUR, DAY])
    expect(offeredDurations(undefined, undefined, null)).toEqual([])
    expect(offeredDurations([HOUR], [HOUR, DAY], null)).toEqual([])
  })

  it('caps every choice by the lifetime, "until removed" included, and drops what then repeats', () => {
    expect(offeredDurations([HOUR, 30 * DAY, null], null, 7 * DAY)).toEqual([HOUR, 7 * DAY])
    expect(offeredDurations([DAY, null], null, HOUR)).toEqual([])
  })
})

describe('sameDurations', () => {
  it('compares the choices in order; none is an empty list', () => {
    expect(sameDurations([HOUR, null], [HOUR, null])).toBe(true)
    expect(sameDurations(undefined, [])).toBe(true)
    expect(sameDurations([HOUR, null], [HOUR, DAY])).toBe(false)
    expect(sameDurations([HOUR], [HOUR, null])).toBe(false)
  })
})

describe('chosenDuration', () => {
  const offered = [HOUR, null]
  it('reads only the values the page offered, as the form spells them', () => {
    expect(chosenDuration('3600', offered)).toBe(HOUR)
    expect(chosenDuration('until_removed', offered)).toBeNull()
    for (const forged of ['7200', '03600', '3600.0', ' 3600', 'null', '', 'constructor'])
      expect(chosenDuration(forged, offered), forged).toBeUndefined()
    expect(chosenDuration(undefined, offered)).toBeUndefined()
    expect(chosenDuration('until_removed', [HOUR, DAY])).toBeUndefined()
  })
})

describe('a grant with a duration chosen', () => {
  const details = {
    'read:messages': { version: 1, at, duration: HOUR },
    'write:messages': { version: 1, at },
  }
  const input = {
    scopes: ['read:messages', 'write:messages'],
    details,
    grantedAt: at,
    api: null,
    lifetimeSeconds: null,
  }

  it('counts each scope for its own duration, capped by the lifetime', () => {
    expect(countingGrant({ ...input, now: later(HOUR - 1) }).counted).toEqual([
      'read:messages',
      'write:messages',
    ])
    expect(countingGrant({ ...input, now: later(HOUR) }).counted).toEqual(['write:messages'])
    // A lifetime shorter than the choice wins.
    expect(countingGrant({ ...input, lifetimeSeconds: 60, now: later(60) }).counted).toEqual([])
  })

  it('ends when its first scope runs out', () => {
    expect(grantExpiry(input.scopes, details, at, null)).toEqual(later(HOUR))
    expect(grantExpiry(input.scopes, details, at, 60)).toEqual(later(60))
    expect(grantExpiry(['write:messages'], details, at, null)).toBeNull()
  })
})

describe('choices as the API and the console take them', () => {
  it('refuses none, too many, fractions and durations under a minute', () => {
    expect(durationChoicesError([HOUR, null])).toBeNull()
    expect(durationChoicesError([])).toMatch(/at least one/)
    expect(durationChoicesError(Array.from({ length: 9 }, (_, i) => (i + 1) * HOUR))).toMatch(
      /at most 8/,
    )
    expect(durationChoicesError([59])).toMatch(/from 60/)
    expect(durationChoicesError([90.5])).toMatch(/whole seconds/)
  })

  it('parses the console field: seconds and until_removed, commas or spaces; empty is none', () => {
    expect(parseDurationChoices('3600, 86400,until_removed')).toEqual([HOUR, DAY, null])
    expect(parseDurationChoices('  ')).toBeNull()
    expect(parseDurationChoices('1h')).toBeUndefined()
    expect(parseDurationChoices('-60')).toBeUndefined()
  })
})
