import { describe, expect, it } from 'vitest'
import { limits } from '../../src/config/env.js'
import type { ShownPage } from '../../src/entities.js'
import { sharedShownPages, toShown } from '../../src/store/kysely/shown-pages.js'
import { SHOWN } from '../support/shown.js'

/** A page as the store writes it: its fields, then its time, as ISO 8601 text. */
const stored = (page: ShownPage, at: string) => JSON.stringify({ ...page, at })

const page = (text: string): ShownPage => ({
  ...SHOWN,
  rendition: `r-${text}`,
  lines: [{ text, scopes: ['read:messages'], kind: 'all', changed: false }],
})

describe('pages read back with their requests (src/store/kysely/shown-pages.ts)', () => {
  it('share one content between requests that showed the same page, each with its own time', () => {
    const first = toShown(stored(page('shared'), '2026-11-24T10:00:00.000Z'))
    const second = toShown(stored(page('shared'), '2026-11-24T10:00:07.250Z'))
    expect(second.lines).toBe(first.lines)
    expect(second.versions).toBe(first.versions)
    expect(first.at).toEqual(new Date('2026-11-24T10:00:00.000Z'))
    expect(second.at).toEqual(new Date('2026-11-24T10:00:07.250Z'))
    // Read as it was written, whether parsed or shared.
    expect(second).toEqual({ ...page('shared'), at: new Date('2026-11-24T10:00:07.250Z') })
    expect(Object.keys(second)).toEqual(Object.keys(first))
  })

  it('do not share pages that differ anywhere but in their time', () => {
    const at = '2026-11-24T10:00:00.000Z'
    const one = toShown(stored(page('one'), at))
    const other = toShown(stored({ ...page('one'), locale: 'fr' }, at))
    expect(other.lines).not.toBe(one.lines)
    expect(other.locale).toBe('fr')
  })

  it('parse a page whose time is not its last member, and share nothing of it', () => {
    const { at: _, ...content } = page('time-first')
    const text = (at: string) => JSON.stringify({ at, ...content })
    const first = toShown(text('2026-11-24T10:00:00.000Z'))
    const second = toShown(text('2026-11-24T10:00:01.000Z'))
    expect(second.lines).not.toBe(first.lines)
    expect(second).toEqual({ ...page('time-first'), at: new Date('2026-11-24T10:00:01.000Z') })
  })

  it("never share a page with RFC 9396 entries: it is its request's alone", () => {
    const withEntries: ShownPage = {
      ...page('entries'),
      details: [{ index: 0, type: 'payment', text: 'Pay 10 EUR', fields: [], kind: 'all' }],
    }
    const first = toShown(stored(withEntries, '2026-11-24T10:00:00.000Z'))
    const second = toShown(stored(withEntries, '2026-11-24T10:00:01.000Z'))
    expect(second.lines).not.toBe(first.lines)
    expect(second.details).toEqual(withEntries.details)
  })

  it('a page stored before pages had ids is read as before, its lines from their words', () => {
    const old = toShown(JSON.stringify({ locale: 'en', mode: 'grouped', lines: ['Read'], at: 'x' }))
    expect(old.rendition).toBe('')
    expect(old.lines).toEqual([{ text: 'Read', scopes: [], kind: 'all', changed: false }])
    expect(old.versions).toEqual({})
  })

  it('keep no more pages than their bound, however many different pages are read', () => {
    for (let i = 0; i < limits.shownPages + 50; i++)
      toShown(stored(page(`bound-${i}`), '2026-11-24T10:00:00.000Z'))
    expect(sharedShownPages()).toBe(limits.shownPages)
    // The least recently read went first: the latest ones are still shared.
    const last = `bound-${limits.shownPages + 49}`
    const again = toShown(stored(page(last), '2026-11-24T10:00:03.000Z'))
    expect(again.lines).toBe(toShown(stored(page(last), '2026-11-24T10:00:04.000Z')).lines)
  })
})
