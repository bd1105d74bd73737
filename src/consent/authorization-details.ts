/**
 * RFC 9396 Rich Authorization Requests in plain words (DESIGN §3.9): the detail types an API
 * declares, the entries a request carries, and how a template names an entry's fields.
 */

import { hiddenCharacter } from './visible-text.js'

/** A detail type an API accepts: Auth0's `{ type }`, with a schema and words per locale. */
export interface DetailType {
  readonly type: string
  /** A JSON Schema every entry of this type must satisfy; absent: any object of the type. */
  readonly schema?: Readonly<Record<string, unknown>>
  /** BCP 47 tag → ICU MessageFormat template; its arguments are fields by dotted path. */
  readonly consentTemplates: Readonly<Record<string, string>>
}

/** One entry of a request's `authorization_details` (RFC 9396 §2): a JSON object with `type`. */
export type AuthorizationDetail = Readonly<Record<string, unknown>> & { readonly type: string }

/** At most this many entries, and this many bytes of them as JSON, on one request (§3.9). */
export const DETAIL_LIMITS = {
  entries: 10,
  bytes: 16 * 1024,
  /** Objects and arrays within an entry, the entry itself counted: enough for RFC 9396's examples. */
  depth: 10,
  typesPerApi: 50,
  typeLength: 200,
  templateLength: 1000,
} as const

/**
 * ICU argument names cannot hold a dot (it is pattern syntax), so a dotted path is written with
 * U+00B7 MIDDLE DOT between its parts, which an argument name may hold and no path is likely to.
 */
const PATH_SEPARATOR = '\u00B7'

// `{` + a name of two or more dotted parts, then the end of the name (`}`, `,` or a space).
const DOTTED_ARGUMENT = /\{(\s*)([\p{L}\p{N}_$-]+(?:\.[\p{L}\p{N}_$-]+)+)(?=\s*[,}])/gu

/** The template as an ICU parser reads it: every dotted argument renamed (see PATH_SEPARATOR). */
export function icuTemplate(template: string): string {
  return template.replace(
    DOTTED_ARGUMENT,
    (_match, space: string, path: string) => `{${space}${path.replaceAll('.', PATH_SEPARATOR)}`,
  )
}

/** The field path an argument of `icuTemplate`'s output names. */
export const argumentPath = (name: string): readonly string[] => name.split(PATH_SEPARATOR)

/** The value at `path` in an entry: own properties only, so `__proto__` or `constructor` is no field. */
export function fieldAt(entry: unknown, path: readonly string[]): unknown {
  let value: unknown = entry
  for (const part of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** How a field's value is formatted in the page's locale (through `Intl`, DESIGN §3.9). */
export type FieldValue =
  | { readonly kind: 'money'; readonly currency: string; readonly amount: number }
  | { readonly kind: 'date'; readonly date: Date; readonly time: boolean }
  | { readonly kind: 'list'; readonly items: readonly FieldValue[] }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly text: string }
  /** An object that is not money: shown as its fields, never as JSON. */
  | { readonly kind: 'fields'; readonly fields: readonly DetailField[] }

export interface DetailField {
  /** The dotted path, as the entry's author named it. */
  readonly path: string
  readonly value: FieldValue
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
// The hour, minute and second in range: `Date` takes 24:00 as the next day's midnight.
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/
const CURRENCY = /^[A-Z]{3}$/
const AMOUNT = /^-?\d{1,15}(\.\d{1,6})?$/

/** An object `{ currency, amount }` (RFC 9396 §A's `instructedAmount`): money. */
function moneyOf(value: object): FieldValue | null {
  const { currency, amount } = value as { currency?: unknown; amount?: unknown }
  const keys = Object.keys(value)
  if (keys.length !== 2 || typeof currency !== 'string' || !CURRENCY.test(currency)) return null
  const text = typeof amount === 'number' ? String(amount) : amount
  if (typeof text !== 'string' || !AMOUNT.test(text)) return null
  return { kind: 'money', currency, amount: Number(text) }
}

/**
 * Whether `YYYY-MM-DD` is a day of the calendar: `Date` reads February 30 as March 2, and a page
 * must not show another day than the entry's.
 */
function realDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day
}

/** What a JSON value is, for formatting: money, a date, a list, a number, text or fields. */
export function fieldValue(value: unknown): FieldValue {
  if (typeof value === 'number') return { kind: 'number', value }
  if (typeof value === 'string') {
    const time = ISO_DATE_TIME.test(value)
    if (time || ISO_DATE.test(value)) {
      const date = new Date(time ? value : `${value}T00:00:00Z`)
      if (!Number.isNaN(date.getTime()) && realDay(value.slice(0, 10)))
        return { kind: 'date', date, time }
    }
    return { kind: 'text', text: value }
  }
  if (Array.isArray(value)) return { kind: 'list', items: value.map(fieldValue) }
  if (typeof value === 'object' && value !== null)
    return moneyOf(value) ?? { kind: 'fields', fields: detailFields(value) }
  // true, false, null: their JSON words.
  return { kind: 'text', text: String(value) }
}

/** An entry's fields, in the order written, for the readable list under its line. */
export function detailFields(entry: object, omit: readonly string[] = []): DetailField[] {
  return Object.keys(entry)
    .filter((key) => !omit.includes(key))
    .map((key) => ({ path: key, value: fieldValue((entry as Record<string, unknown>)[key]) }))
}

/**
 * How deeply `value` nests objects and arrays, counted without recursion and without looking
 * further than `limit + 1` levels, so an entry nested a million deep costs no stack.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number]
    if (typeof item !== 'object' || item === null) continue
    deepest = Math.max(deepest, depth)
    if (depth > limit) return deepest
    for (const child of Object.values(item)) stack.push([child, depth + 1])
  }
  return deepest
}

/** A hidden character in an entry: where (a dotted path; a field name's is its parent's) and which. */
export interface HiddenInEntry {
  readonly path: string
  readonly character: string
  /** In a field's name rather than in its text. */
  readonly inName: boolean
}

/**
 * The first invisible format character (see `hiddenCharacter`) in an entry's text or field
 * names: every one of them is shown on the page (DESIGN §6), where a bidi override would make
 * "DE89\u202E3704" read as another account than the one approved. Walked without recursion; call
 * it on entries whose depth is already bounded.
 */
export function hiddenInEntry(entry: unknown): HiddenInEntry | undefined {
  const stack: [unknown, string][] = [[entry, '']]
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string]
    if (typeof value === 'string') {
      const character = hiddenCharacter(value)
      if (character) return { path, character, inName: false }
    } else if (typeof value === 'object' && value !== null) {
      const names = Object.keys(value)
      for (const name of names) {
        const character = hiddenCharacter(name)
        if (character) return { path, character, inName: true }
      }
      // Pushed last to first, so the first field is looked at first.
      for (const name of names.reverse())
        stack.push([(value as Record<string, unknown>)[name], `${path}.${name}`])
    }
  }
  return undefined
}

/** The template for `locale`: the same tag, then the same language; none, then no template. */
export function detailTemplate(type: DetailType, locale: string): string | undefined {
  const wanted = locale.toLowerCase()
  const language = wanted.split('-')[0]
  const tags = Object.keys(type.consentTemplates)
  const tag =
    tags.find((candidate) => candidate.toLowerCase() === wanted) ??
    tags.find((candidate) => candidate.toLowerCase().split('-')[0] === language)
  return tag === undefined ? undefined : type.consentTemplates[tag]
}

/** The declared type of an entry, if the API declares it. */
export function declaredType(
  types: readonly DetailType[] | undefined,
  entry: { readonly type: string },
): DetailType | undefined {
  return types?.find((candidate) => candidate.type === entry.type)
}
