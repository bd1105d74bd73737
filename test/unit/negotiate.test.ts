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
    [['pt-BR'], 'pt-BR'],
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

describe('matchLocale follows CLDR parent locales and scripts', () => {
  const shipped = [
    ...['en', 'ar', 'cs', 'da', 'de', 'el', 'es', 'fa', 'fi', 'fr', 'he', 'hi', 'hu', 'id'],
    ...['it', 'ja', 'ko', 'nb', 'nl', 'pl', 'pt-BR', 'pt-PT', 'ro', 'ru', 'sv', 'th', 'tr'],
    ...['uk', 'vi', 'zh-CN', 'zh-TW'],
  ]
  it.each([
    [['zh-TW'], 'zh-TW'],
    [['zh-HK'], 'zh-TW'],
    [['zh-MO'], 'zh-TW'],
    [['zh-Hant'], 'zh-TW'],
    [['zh-Hant-HK'], 'zh-TW'],
    [['zh-hant-cn'], 'zh-TW'],
    [['zh'], 'zh-CN'],
    [['zh-SG'], 'zh-CN'],
    [['zh-Hans'], 'zh-CN'],
    [['zh-Hans-TW'], 'zh-CN'],
    [['pt'], 'pt-PT'],
    [['pt-AO'], 'pt-PT'],
    [['pt-MZ'], 'pt-PT'],
    [['pt-PT'], 'pt-PT'],
    [['pt-BR'], 'pt-BR'],
    [['pt', 'pt-BR'], 'pt-BR'],
    [['pt', 'en'], 'pt-PT'],
    [['es-MX'], 'es'],
    [['es-419'], 'es'],
    [['no'], 'nb'],
    [['nn'], 'nb'],
    [['nb-NO'], 'nb'],
    [['iw'], 'he'],
    [['iw-IL'], 'he'],
    [['in'], 'id'],
  ])('%j → %s', (preferences, locale) => {
    expect(matchLocale(preferences, shipped)).toBe(locale)
  })

  it('never gives Simplified to a Traditional reader when zh-TW is disabled', () => {
    const enabled = shipped.filter((tag) => tag !== 'zh-TW')
    expect(matchLocale(['zh-HK'], enabled)).toBeUndefined()
    expect(matchLocale(['zh-TW', 'en'], enabled)).toBe('en')
  })

  it('never gives Traditional to a Simplified reader when zh-CN is disabled', () => {
    expect(matchLocale(['zh-CN', 'ja'], ['en', 'ja', 'zh-TW'])).toBe('ja')
  })

  it('skips a locale the tenant disabled, falling back within the language', () => {
    expect(matchLocale(['pt-PT'], ['en', 'pt-BR'])).toBe('pt-BR')
    expect(matchLocale(['de', 'fr'], ['en', 'fr'])).toBe('fr')
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
