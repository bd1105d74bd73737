import { describe, expect, it } from 'vitest'
import { paths } from '../../src/config/paths.js'
import { KNOWN_ACTIONS, STANDARD_SCOPES } from '../../src/consent/index.js'
import { createI18n, loadLocaleResources } from '../../src/i18n/i18n.js'

const resources = loadLocaleResources(paths.locales)
const REQUIRED = [
  'en',
  'fr',
  'de',
  'es',
  'pt-BR',
  'ja',
  'zh-CN',
  'ar',
  'it',
  'nl',
  'pl',
  'pt-PT',
  'ru',
  'uk',
  'cs',
  'sv',
  'da',
  'fi',
  'nb',
  'tr',
  'ko',
  'zh-TW',
  'he',
  'fa',
  'hi',
  'th',
  'vi',
  'id',
  'el',
  'hu',
  'ro',
]
const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa'])
/** Every folder under locales/: a new language is checked as soon as its folder exists. */
const PRESENT = Object.keys(resources).sort()

/** The script direction CLDR gives a language (`textInfo`, or `getTextInfo()` in newer V8). */
function directionOf(locale: string): string | undefined {
  const info = new Intl.Locale(locale) as Intl.Locale & {
    textInfo?: { direction?: string }
    getTextInfo?: () => { direction?: string }
  }
  return (info.getTextInfo?.() ?? info.textInfo)?.direction
}

/** Flattens a translation file to its keys, with plural suffixes folded into the base key. */
function keysOf(tree: Record<string, unknown>, prefix = ''): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>()
  for (const [name, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${name}` : name
    if (value !== null && typeof value === 'object') {
      for (const [key, forms] of keysOf(value as Record<string, unknown>, path))
        keys.set(key, forms)
      continue
    }
    const plural = /^(.*)_(zero|one|two|few|many|other)$/.exec(path)
    const base = plural?.[1] ?? path
    const forms = keys.get(base) ?? new Set<string>()
    if (plural?.[2]) forms.add(plural[2])
    keys.set(base, forms)
  }
  return keys
}

describe('translations', () => {
  it('has every required locale', () => {
    expect(PRESENT).toEqual(expect.arrayContaining(REQUIRED))
  })

  const english = keysOf(resources.en ?? {})

  it('covers every standard scope and known action in English', () => {
    for (const scope of STANDARD_SCOPES.filter((s) => s !== 'openid'))
      expect(english.has(`standard.${scope}`)).toBe(true)
    for (const action of KNOWN_ACTIONS) expect(english.has(`actions.${action}`)).toBe(true)
  })

  it.each(PRESENT)(
    '%s has exactly the keys of en, with every plural form its language needs',
    (locale) => {
      const keys = keysOf(resources[locale] ?? {})
      expect([...keys.keys()].sort()).toEqual([...english.keys()].sort())
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories
      for (const [key, forms] of keys) {
        if (english.get(key)?.size === 0) continue
        expect({ key, forms: [...forms].sort() }).toEqual({ key, forms: [...categories].sort() })
      }
    },
  )

  it.each(PRESENT)('%s keeps every {{placeholder}} of en, and adds none', (locale) => {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort()
    const flat = (tree: Record<string, unknown>, prefix = ''): [string, string][] =>
      Object.entries(tree).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null
          ? flat(v as Record<string, unknown>, `${prefix}${k}.`)
          : [[`${prefix}${k}`, String(v)]],
      )
    const en = new Map(
      flat(resources.en ?? {}).map(([k, v]) => [
        k.replace(/_(zero|one|two|few|many|other)$/, ''),
        v,
      ]),
    )
    for (const [key, text] of flat(resources[locale] ?? {})) {
      const base = key.replace(/_(zero|one|two|few|many|other)$/, '')
      // Languages may spell out small counts ("إذنين"), so {{count}} may be absent from a plural form.
      const wanted = placeholders(en.get(base) ?? '').filter(
        (p) => !(p === 'count' && base !== key),
      )
      for (const placeholder of wanted)
        expect({ key, text }).toEqual({ key, text: expect.stringContaining(`{{${placeholder}}}`) })
      const known = new Set(placeholders(en.get(base) ?? ''))
      const extra = placeholders(text).filter((p) => p !== undefined && !known.has(p))
      expect({ key, extra }).toEqual({ key, extra: [] })
    }
  })

  it('marks Arabic, Hebrew and Persian right-to-left, and every language as CLDR writes it', () => {
    const i18n = createI18n(resources)
    for (const locale of PRESENT)
      expect({ locale, dir: i18n.translator(locale).dir }).toEqual({
        locale,
        dir: RIGHT_TO_LEFT.has(locale) || directionOf(locale) === 'rtl' ? 'rtl' : 'ltr',
      })
  })

  it('uses each language’s plural rules', () => {
    const i18n = createI18n(resources)
    expect(i18n.translator('en').t('page.alreadyGranted', { count: 1 })).toBe(
      'You already allowed this app 1 other permission.',
    )
    expect(i18n.translator('en').t('page.alreadyGranted', { count: 2 })).toBe(
      'You already allowed this app 2 other permissions.',
    )
    expect(i18n.translator('ar').t('page.alreadyGranted', { count: 2 })).toBe(
      'سبق أن منحت هذا التطبيق إذنين آخرين.',
    )
    expect(i18n.translator('ar').t('page.alreadyGranted', { count: 5 })).toBe(
      'سبق أن منحت هذا التطبيق 5 أذونات أخرى.',
    )
    expect(i18n.translator('he').t('page.alreadyGranted', { count: 2 })).toBe(
      'כבר נתת לאפליקציה הזו שתי הרשאות נוספות.',
    )
    expect(i18n.translator('ro').t('page.alreadyGranted', { count: 5 })).toBe(
      'Ați acordat deja acestei aplicații alte 5 permisiuni.',
    )
    expect(i18n.translator('ro').t('page.alreadyGranted', { count: 21 })).toBe(
      'Ați acordat deja acestei aplicații alte 21 de permisiuni.',
    )
  })

  it('shows counts in the locale’s digits and grouping (Intl.NumberFormat)', () => {
    const i18n = createI18n(resources)
    expect(i18n.translator('en').t('page.alreadyGranted', { count: 1200 })).toBe(
      'You already allowed this app 1,200 other permissions.',
    )
    expect(i18n.translator('de').t('page.alreadyGranted', { count: 1200 })).toContain('1.200')
    expect(i18n.translator('fa').t('page.alreadyGranted', { count: 3 })).toContain('۳')
    // The plural form still follows the number, not its formatted text.
    expect(i18n.translator('ro').t('page.alreadyGranted', { count: 1200 })).toContain(
      '1.200 de permisiuni',
    )
  })

  it('writes a full-width colon after a heading in Chinese and Japanese, none in Korean', () => {
    for (const locale of ['ja', 'zh-CN', 'zh-TW']) {
      const file = resources[locale] as { line: object; standard: object }
      for (const text of [...Object.values(file.line), ...Object.values(file.standard)]) {
        expect(text).toContain('：')
        expect(text).not.toMatch(/[^:]:[^:]/)
      }
    }
    const ko = resources.ko as { line: object; standard: object }
    for (const text of [...Object.values(ko.line), ...Object.values(ko.standard)])
      expect(text).not.toContain('：')
  })

  it('puts a narrow no-break space before French colons, question and exclamation marks (DESIGN §1.3)', () => {
    const strings = JSON.stringify(resources.fr)
    expect(strings).not.toMatch(/[ \u00A0][:;?!]/)
    expect(strings).toContain('\u202F:')
  })
})
