import { describe, expect, it } from 'vitest'
import { matchLocale, negotiateLocale, parseAcceptLanguage } from '../../src/i18n/negotiate.js'

const supported = ['en', 'fr', 'de', 'es', 'pt-BR', 'ja', 'zh-CN', 'ar']

describe('parseAcceptLanguage', () => {
  it('orders by q, then by position', () => {
    expect(parseAcceptLanguage('de;q=0.5, fr-CA, fr;q=0.9, *;q=0.1, en;q=0')).toEqual([
      'fr-CA',
      'fr',
      'de',
    ])
  })
  it('skips garbage', () => {
    expect(parseAcceptLanguage('<script>, ;;, ja')).toEqual(['ja'])
  })
})

describe('matchLocale', () => {
  it.each([
    [['fr-CA'], 'fr'],
    [['pt'], 'pt-BR'],
    [['pt-PT'], 'pt-BR'],
    [['zh-Hans-CN'], 'zh-CN'],
    [['ZH-cn'], 'zh-CN'],
    [['ar-EG'], 'ar'],
    [['nl', 'de'], 'de'],
    [['nl'], undefined],
  ])('%j → %s', (preferences, locale) => {
    expect(matchLocale(preferences, supported)).toBe(locale)
  })
})

describe('negotiateLocale (DESIGN §3.2): ui_locales → Accept-Language → tenant default → en', () => {
  it('prefers ui_locales', () => {
    expect(
      negotiateLocale(
        { uiLocales: 'nl fr-CA', acceptLanguage: 'de', tenantDefault: 'es' },
        supported,
      ),
    ).toBe('fr')
  })
  it('then Accept-Language', () => {
    expect(
      negotiateLocale(
        { uiLocales: 'nl', acceptLanguage: 'ja,en;q=0.5', tenantDefault: 'es' },
        supported,
      ),
    ).toBe('ja')
  })
  it('then the tenant default', () => {
    expect(
      negotiateLocale({ uiLocales: null, acceptLanguage: 'nl', tenantDefault: 'es' }, supported),
    ).toBe('es')
  })
  it('then en', () => {
    expect(negotiateLocale({}, supported)).toBe('en')
  })
})
