import { describe, expect, it } from 'vitest'
import { paths } from '../../src/config/paths.js'
import {
  canonicalRendition,
  type DetailType,
  decide,
  detailsChangedSince,
  effectiveScopes,
  nestingDepth,
  pickDetails,
  type RenditionInput,
  renditionContent,
} from '../../src/consent/index.js'
import { detailViews, fieldWords, wordsOf } from '../../src/i18n/details.js'
import { createI18n, loadLocaleResources } from '../../src/i18n/i18n.js'
import { api } from '../support/domain.js'
import { PAYMENT } from '../support/payment.js'

/* RFC 9396 entries on the page, in its record and in the decision to show it (DESIGN §3.9). */

const i18n = createI18n(loadLocaleResources(paths.locales))
const payment: DetailType = {
  type: 'payment_initiation',
  consentTemplates: {
    en: 'Pay {instructedAmount} to {creditorName}',
    de: '{instructedAmount} an {creditorName} zahlen',
  },
}

describe('an entry on the page', () => {
  it('reads its template in the page’s language, its fields under it by name and value', () => {
    const [view] = detailViews([PAYMENT], [payment], i18n.translator('de'))
    expect(wordsOf(view?.text ?? [])).toBe('123,50\u00a0€ an Merchant A zahlen')
    expect(view?.fields.map((f) => [wordsOf(f.label), wordsOf(f.value)])).toEqual([
      ['instructed amount', '123,50\u00a0€'],
      ['creditor name', 'Merchant A'],
    ])
  })

  it('without a template says its type in a translated sentence, RFC 9396’s own fields named in that language', () => {
    const [view] = detailViews(
      [
        {
          type: 'payment_initiation',
          locations: ['https://pay.example'],
          recurring: false,
          note: null,
        },
      ],
      [payment],
      i18n.translator('fr'),
    )
    expect(view?.templated).toBe(false)
    expect(wordsOf(view?.text ?? [])).toBe('Type de demande\u202f: payment initiation')
    expect(view?.fields.map((f) => [wordsOf(f.label), wordsOf(f.value)])).toEqual([
      ['Emplacements', 'https://pay.example'],
      ['recurring', 'non'],
      ['note', '—'],
    ])
    // Someone else's words stay isolated: the type and every value.
    expect(view?.text.find((segment) => segment.isolate)?.text).toBe('payment initiation')
  })

  it('lists nested objects by path, and names fields in words', () => {
    const [view] = detailViews(
      [{ type: 'x', creditorAccount: { iban: 'DE02', bank_name: 'B' } }],
      [],
      i18n.translator('en'),
    )
    expect(view?.fields.map((f) => wordsOf(f.label))).toEqual([
      'creditor account › iban',
      'creditor account › bank name',
    ])
    expect(fieldWords('instructedAmount')).toBe('instructed amount')
    expect(fieldWords('remittance_information-unstructured')).toBe(
      'remittance information unstructured',
    )
    expect(fieldWords('__')).toBe('__')
  })

  // An AS may read an empty list or object as "no limit": the user sees the field, not nothing.
  it('shows a field whose value is an empty object or list, as it shows null', () => {
    const [view] = detailViews(
      [{ type: 'x', accounts: {}, actions: [], limit: null, nested: { ok: 1, none: {} } }],
      [],
      i18n.translator('en'),
    )
    expect(view?.fields.map((f) => [wordsOf(f.label), wordsOf(f.value)])).toEqual([
      ['accounts', '—'],
      ['Actions', '—'],
      ['limit', '—'],
      ['nested › ok', '1'],
      ['nested › none', '—'],
    ])
  })
})

describe('nestingDepth', () => {
  it('counts objects and arrays, and stops past the limit without recursion', () => {
    expect(nestingDepth({ a: { b: [1] } }, 10)).toBe(3)
    expect(nestingDepth('text', 10)).toBe(0)
    let deep: unknown = []
    for (let i = 0; i < 200_000; i++) deep = [deep]
    expect(nestingDepth(deep, 10)).toBe(11)
  })
})

describe('the record of a page with entries (DESIGN §3.2.2)', () => {
  const base: RenditionInput = {
    mode: 'grouped',
    locale: 'en',
    scopes: ['read:messages'],
    api: null,
    lines: [],
    texts: [],
    claims: [],
    granular: false,
    required: new Set(),
    changed: new Set(),
    device: null,
    details: [],
  }
  const shown = { index: 0, type: 'payment_initiation', text: 'Pay €1.00 to A', fields: [] }

  it('keeps a page without entries as it was, and records the entries of one with them', () => {
    const plain = renditionContent(base)
    expect(plain).not.toHaveProperty('details')
    expect(canonicalRendition(plain)).not.toContain('details')
    const withDetails = renditionContent({ ...base, details: [shown], granular: true })
    expect(withDetails.details).toEqual([{ ...shown, kind: 'optional' }])
    expect(canonicalRendition(withDetails)).not.toBe(canonicalRendition(plain))
    expect(renditionContent({ ...base, details: [shown] }).details?.[0]?.kind).toBe('all')
  })

  it('tells when an entry reads otherwise now', () => {
    const before = renditionContent({ ...base, details: [shown] })
    const same = renditionContent({ ...base, details: [{ ...shown }] })
    const reworded = renditionContent({ ...base, details: [{ ...shown, text: 'Send €1.00 to A' }] })
    const refielded = renditionContent({
      ...base,
      details: [{ ...shown, fields: [['creditor name', 'B']] }],
    })
    expect(detailsChangedSince(before, same)).toEqual(new Set())
    expect(detailsChangedSince(before, reworded)).toEqual(new Set([0]))
    expect(detailsChangedSince(before, refielded)).toEqual(new Set([0]))
    expect(detailsChangedSince(before, renditionContent(base))).toEqual(new Set([0]))
    const two = renditionContent({ ...base, details: [shown, { ...shown, index: 1 }] })
    const second = renditionContent({
      ...base,
      details: [shown, { ...shown, index: 1, text: 'Pay €2.00 to A' }],
    })
    expect(detailsChangedSince(two, second)).toEqual(new Set([1]))
  })
})

describe('a request with entries always needs the page (DESIGN §3.9, §3.3)', () => {
  const skipping = api(['read:messages'], { skipConsentForVerifiableFirstPartyClients: true })
  const scopes = effectiveScopes({
    requested: ['openid', 'read:messages'],
    api: skipping,
    permissions: new Set(),
    granted: ['openid', 'read:messages'],
  })
  const outcome = (prompt: string | undefined, firstParty: boolean) =>
    decide({
      scopes,
      prompt,
      api: skipping,
      client: { isFirstParty: firstParty },
      redirectUri: 'https://app.example/cb',
      details: true,
    })

  it('asks, for the entries only, though every scope is granted or the client may skip', () => {
    expect(outcome(undefined, false)).toEqual({ status: 'pending', ask: [] })
    expect(outcome(undefined, true)).toEqual({ status: 'pending', ask: [] })
  })

  it('with prompt=none, is refused with consent_required', () => {
    expect(outcome('none', false)).toEqual({ status: 'denied', error: 'consent_required' })
  })
})

describe('pickDetails (DESIGN §3.9, §3.5)', () => {
  const boxes = [
    { index: 0, kind: 'optional' as const },
    { index: 1, kind: 'optional' as const },
  ]

  it('approves the checked boxes, in request order, and every entry shown without one', () => {
    expect(pickDetails(boxes, ['1', '0'])).toEqual([0, 1])
    expect(pickDetails(boxes, ['1'])).toEqual([1])
    expect(pickDetails(boxes, [])).toEqual([])
    expect(pickDetails([{ index: 0, kind: 'all' }], [])).toEqual([0])
  })

  it('refuses a value that is no box the page showed', () => {
    expect(pickDetails(boxes, ['2'])).toBeNull()
    expect(pickDetails(boxes, ['01'])).toBeNull()
    expect(pickDetails([{ index: 0, kind: 'all' }], ['0'])).toBeNull()
  })
})
