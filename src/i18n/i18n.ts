import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import i18next from 'i18next'
import { LRUCache } from 'lru-cache'
import { limits } from '../config/env.js'
import { concat, ours, type RichText, theirs } from './rich-text.js'

export const NAMESPACE = 'consent'

export type Direction = 'ltr' | 'rtl'

/** Text for one locale: translated strings and the locale's list formatting. */
export interface Translator {
  readonly locale: string
  readonly dir: Direction
  t(key: string, values?: Record<string, unknown>): string
  /**
   * The string of `key` as rich text. A string value is words someone else wrote (a client name,
   * the user), kept apart to be shown isolated; rich text keeps its segments; a number (`count`)
   * is formatted into the translation.
   */
  rich(key: string, values?: Readonly<Record<string, string | number | RichText>>): RichText
  /** Joins with the locale's conjunction: "read and write", "lire et écrire", "قراءة وكتابة". */
  list(items: readonly RichText[]): RichText
}

export interface I18n {
  /** Every locale with a translation file, `en` first. */
  readonly locales: readonly string[]
  /** The locale's translator; English for a locale without a translation file. */
  translator(locale: string): Translator
  /** How many translators are built and kept: at most `limits.translators`. */
  readonly cachedTranslators: number
}

/** Reads `locales/<lng>/consent.json` once, at start. */
export function loadLocaleResources(dir: string): Record<string, Record<string, unknown>> {
  const resources: Record<string, Record<string, unknown>> = {}
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const file = join(dir, entry.name, `${NAMESPACE}.json`)
    resources[entry.name] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  }
  return resources
}

/**
 * Where a rich value goes while i18next fills the string: private-use characters, which no
 * translation file holds, around the value's index.
 */
const slot = (index: number) => `\uE000${index}\uE001`
const SLOT = /\uE000(\d+)\uE001/

export function createI18n(resources: Record<string, Record<string, unknown>>): I18n {
  // Locale codes are ASCII: compared by code unit, without loading the collator's data.
  const locales = Object.keys(resources).sort((a, b) =>
    a === 'en' ? -1 : b === 'en' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  )
  const instance = i18next.createInstance()
  void instance.init({
    initAsync: false,
    resources: Object.fromEntries(
      locales.map((lng) => [lng, { [NAMESPACE]: resources[lng] ?? {} }]),
    ),
    ns: [NAMESPACE],
    defaultNS: NAMESPACE,
    supportedLngs: locales,
    // `pt-BR` and `zh-CN` are looked up as they are written, never cut down to `pt` or `zh`.
    load: 'currentOnly',
    lng: 'en',
    fallbackLng: 'en',
    nsSeparator: false,
    // Eta escapes everything a view prints; escaping here too would show `&amp;` to users.
    interpolation: { escapeValue: false },
    returnNull: false,
  })

  if (!locales.includes('en')) throw new Error('the en locale is missing')

  const make = (locale: string): Translator => {
    const numbers = new Intl.NumberFormat(locale)
    const t = (key: string, values?: Record<string, unknown>) => {
      const count = values?.count
      if (typeof count !== 'number')
        return instance.t(key, { ...values, lng: locale, ns: NAMESPACE }) as string
      // `count` picks the plural form; the text shows it in the locale's digits and grouping
      // (fa `۱٬۲۰۰`, de `1.200`): i18next fills placeholders from `replace` when it is given.
      return instance.t(key, {
        lng: locale,
        ns: NAMESPACE,
        count,
        replace: { ...values, count: numbers.format(count) },
      }) as string
    }
    // A string of this locale with only {{value}} placeholders compiles to its parts once, so a
    // page fills it by plain substitution; plurals, nesting and fallbacks stay with i18next.
    const compiled = new Map<string, string[] | null>()
    const compile = (key: string): string[] | null => {
      let parts = compiled.get(key)
      if (parts === undefined) {
        const raw = instance.getResource(locale, NAMESPACE, key) as unknown
        parts = typeof raw === 'string' && !raw.includes('$t(') ? raw.split(/\{\{(\w+)\}\}/) : null
        // Only keys of this locale's file are kept, so the map never outgrows the file.
        if (raw !== undefined) compiled.set(key, parts)
      }
      return parts
    }
    const translate = (key: string, values?: Record<string, unknown>) => {
      const parts = values && 'count' in values ? null : compile(key)
      if (!parts) return t(key, values)
      let text = ''
      for (let i = 0; i < parts.length; i++)
        text += i % 2 === 0 ? parts[i] : String(values?.[parts[i] ?? ''] ?? '')
      return text
    }
    const conjunction = new Intl.ListFormat(locale, { type: 'conjunction' })
    return {
      locale,
      dir: t('meta.dir') === 'rtl' ? 'rtl' : 'ltr',
      t: translate,
      rich(key, values = {}) {
        const inserted: RichText[] = []
        const filled: Record<string, unknown> = {}
        for (const [name, value] of Object.entries(values)) {
          if (typeof value === 'number') {
            filled[name] = value
          } else {
            filled[name] = slot(inserted.length)
            inserted.push(typeof value === 'string' ? theirs(value) : value)
          }
        }
        // split() with a capture group: our words at even indexes, slot numbers at odd ones.
        const pieces = translate(key, filled).split(SLOT)
        return concat(
          pieces.map((piece, i) => (i % 2 === 0 ? ours(piece) : (inserted[Number(piece)] ?? []))),
        )
      },
      list(items) {
        const parts = conjunction.formatToParts(items.map((_, i) => String(i)))
        return concat(
          parts.map((part) =>
            part.type === 'element' ? (items[Number(part.value)] ?? []) : ours(part.value),
          ),
        )
      },
    }
  }
  // Keyed by locales that have a file, never by what a request asked for, and bounded besides.
  // Each is made when its locale is first served: its number and list formats load ICU's data
  // for that locale, about 3 MB of the process for all 31 if made up front.
  const translators = new LRUCache<string, Translator>({
    max: limits.translators,
    memoMethod: make,
  })

  return {
    locales,
    translator: (locale) => translators.memo(locales.includes(locale) ? locale : 'en'),
    get cachedTranslators() {
      return translators.size
    },
  }
}
