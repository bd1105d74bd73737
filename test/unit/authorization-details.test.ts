import { describe, expect, it } from 'vitest'
import {
  type AuthorizationDetail,
  type DetailType,
  fieldAt,
  icuTemplate,
} from '../../src/consent/index.js'
import { detailFieldTexts, detailText, templateError } from '../../src/i18n/details.js'
import type { RichText } from '../../src/i18n/rich-text.js'

const payment: DetailType = {
  type: 'payment_initiation',
  consentTemplates: {
    en: 'Pay {instructedAmount} to {creditorName}',
    fr: 'Payer {instructedAmount} à {creditorName}',
    de: '{instructedAmount} an {creditorName} zahlen',
  },
}
const entry: AuthorizationDetail = {
  type: 'payment_initiation',
  instructedAmount: { currency: 'EUR', amount: '123.50' },
  creditorName: 'Merchant A',
}
const words = (text: RichText) => text.map((segment) => segment.text).join('')

describe('authorization_details in words (DESIGN §3.9)', () => {
  it('falls back to the type’s words when a field is not of the kind the template formats', () => {
    const due: DetailType = { type: 'due', consentTemplates: { en: 'Due {when, date}' } }
    for (const when of ['soon', { at: 1 }, true])
      expect(detailText({ type: 'due', when }, due, 'en')).toMatchObject({ templated: false })
    expect(detailText({ type: 'due', when: 0 }, due, 'en')).toMatchObject({ templated: true })
  })

  it('reads "Pay €123.50 to Merchant A" in English and 123,50 € in French and German', () => {
    expect(words(detailText(entry, payment, 'en').text)).toBe('Pay €123.50 to Merchant A')
    expect(words(detailText(entry, payment, 'fr').text)).toBe('Payer 123,50\u00a0€ à Merchant A')
    expect(words(detailText(entry, payment, 'de').text)).toBe('123,50\u00a0€ an Merchant A zahlen')
  })

  it('keeps the entry’s words apart from the template’s, to be isolated', () => {
    expect(detailText(entry, payment, 'en').text).toEqual([
      { text: 'Pay ', isolate: false },
      { text: '€123.50', isolate: true },
      { text: ' to ', isolate: false },
      { text: 'Merchant A', isolate: true },
    ])
  })

  it('names fields by dotted path, formats dates and lists, and lets plural pick', () => {
    const type: DetailType = {
      type: 'account_information',
      consentTemplates: {
        en: 'Read {account.iban} until {until}: {actions} ({n, plural, one {# account} other {# accounts}})',
      },
    }
    const text = detailText(
      {
        type: 'account_information',
        account: { iban: 'DE02100100109307118603' },
        until: '2026-03-01',
        actions: ['balances', 'transactions'],
        n: 2,
      },
      type,
      'en',
    )
    expect(text.templated).toBe(true)
    expect(words(text.text)).toBe(
      'Read DE02100100109307118603 until March 1, 2026: balances and transactions (2 accounts)',
    )
  })

  it('falls back to the type in words when there is no template for the language or a field is missing', () => {
    expect(detailText(entry, payment, 'ja')).toEqual({
      text: [{ text: 'payment initiation', isolate: true }],
      templated: false,
    })
    expect(detailText({ type: 'payment_initiation' }, payment, 'en').templated).toBe(false)
  })

  it('lists the fields readably, never as JSON', () => {
    expect(detailFieldTexts(entry, 'fr')).toEqual([
      { path: 'instructedAmount', value: '123,50\u00a0€' },
      { path: 'creditorName', value: 'Merchant A' },
    ])
    expect(
      detailFieldTexts({ type: 't', creditor: { name: 'A', iban: 'X' }, ok: true }, 'en'),
    ).toEqual([
      { path: 'creditor.name', value: 'A' },
      { path: 'creditor.iban', value: 'X' },
      { path: 'ok', value: 'true' },
    ])
  })

  it('refuses a template that does not parse, and treats markup as text', () => {
    expect(templateError('Pay {amount')).not.toBeNull()
    expect(templateError('Pay {a.b} <b>now</b>')).toBeNull()
    const bold: DetailType = { type: 'x', consentTemplates: { en: '<b>{name}</b>' } }
    expect(words(detailText({ type: 'x', name: 'N' }, bold, 'en').text)).toBe('<b>N</b>')
  })

  it('reads own fields only: no path reaches the prototype', () => {
    expect(fieldAt({ a: 1 }, ['constructor'])).toBeUndefined()
    expect(fieldAt({ a: { b: 2 } }, ['a', 'b'])).toBe(2)
    expect(icuTemplate('{a.b, plural, other {#}} {c}')).toBe('{a\u00b7b, plural, other {#}} {c}')
  })

  // What the user approves is the entry as written: no digit of it rounded away, no day moved.
  it('shows every digit of a number or an amount, as the entry writes it', () => {
    const values = (fields: Record<string, unknown>) =>
      detailFieldTexts({ type: 'rate', ...fields }, 'en').map((field) => field.value)
    expect(values({ fee: 0.0004, cap: 1.0004, tiny: 1e-7 })).toEqual([
      '0.0004',
      '1.0004',
      '0.0000001',
    ])
    expect(
      values({
        a: { currency: 'EUR', amount: '1.999' },
        b: { currency: 'JPY', amount: '1000.4' },
        c: { currency: 'EUR', amount: '123.5' },
      }),
    ).toEqual(['€1.999', '¥1,000.4', '€123.50'])
  })

  it('shows a date that does not exist as the text written, never as another day', () => {
    const values = detailFieldTexts(
      {
        type: 'due',
        a: '2026-02-30',
        b: '2026-01-01T24:00:00Z',
        c: '2026-01-01T10:61Z',
        d: '2026-02-28',
      },
      'en',
    ).map((field) => field.value)
    expect(values).toEqual([
      '2026-02-30',
      '2026-01-01T24:00:00Z',
      '2026-01-01T10:61Z',
      'February 28, 2026',
    ])
  })
})
