import { IntlMessageFormat } from 'intl-messageformat'
import { LRUCache } from 'lru-cache'
import {
  type AuthorizationDetail,
  argumentPath,
  type DetailField,
  type DetailType,
  declaredType,
  detailFields,
  detailTemplate,
  type FieldValue,
  fieldAt,
  fieldValue,
  icuTemplate,
} from '../consent/index.js'
import type { Translator } from './i18n.js'
import { concat, ours, type RichText, theirs } from './rich-text.js'

// The element types of `@formatjs/icu-messageformat-parser`'s AST that this module reads.
const LITERAL = 0
const ARGUMENT = 1
const SELECT = 5
const PLURAL = 6

interface AstElement {
  readonly type: number
  readonly value?: string
  readonly options?: Readonly<Record<string, { readonly value: readonly AstElement[] }>>
}

/** Markup in a template is text: an admin's `<b>` is shown as written, never as a tag. */
const OPTIONS = { ignoreTag: true } as const

function compile(template: string, locale: string): IntlMessageFormat {
  return new IntlMessageFormat(icuTemplate(template), locale, undefined, OPTIONS)
}

/**
 * Why a template cannot be used, or `null`: it must parse as ICU MessageFormat (DESIGN §3.9), so
 * a template that would fail on the page is refused when it is saved.
 */
export function templateError(template: string): string | null {
  try {
    compile(template, 'en')
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

// Templates are configuration: a bounded cache of their compiled form per locale.
const compiled = new LRUCache<string, IntlMessageFormat>({ max: 500 })
function formatterOf(template: string, locale: string): IntlMessageFormat {
  const key = `${locale}\u0000${template}`
  let format = compiled.get(key)
  if (!format) {
    format = compile(template, locale)
    compiled.set(key, format)
  }
  return format
}

/** Every argument of a template, and whether it picks (plural, select) or is shown as it is. */
function argumentsOf(elements: readonly AstElement[], into = new Map<string, boolean>()) {
  for (const element of elements) {
    if (element.type !== LITERAL && element.value !== undefined) {
      const shown = element.type === ARGUMENT
      into.set(element.value, (into.get(element.value) ?? true) && shown)
    }
    if (element.type === SELECT || element.type === PLURAL)
      for (const option of Object.values(element.options ?? {})) argumentsOf(option.value, into)
  }
  return into
}

/** A value in the page's locale, through `Intl` (DESIGN §3.9). */
export function formatValue(value: FieldValue, locale: string): string {
  switch (value.kind) {
    // Every digit the entry wrote (an amount has at most six decimals), none rounded away: the
    // currency's own digits are the least shown, `Intl`'s defaults the most.
    case 'money':
      return new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: value.currency,
        maximumFractionDigits: 6,
      }).format(value.amount)
    case 'date':
      // A date-time says its zone; a date alone is the calendar day written.
      return new Intl.DateTimeFormat(
        locale,
        value.time
          ? { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }
          : { dateStyle: 'long', timeZone: 'UTC' },
      ).format(value.date)
    case 'list':
      return new Intl.ListFormat(locale, { type: 'conjunction' }).format(
        value.items.map((item) => formatValue(item, locale)),
      )
    case 'number':
      return new Intl.NumberFormat(locale, { maximumSignificantDigits: 21 }).format(value.value)
    case 'text':
      return value.text
    case 'fields':
      return value.fields
        .map((field) => `${field.path}: ${formatValue(field.value, locale)}`)
        .join(', ')
  }
}

/** A marker the formatter hands back as a part, so an entry's words stay apart from the template's. */
interface Theirs {
  readonly theirs: string
}

/** One entry as a line: its template filled in the page's language, or its type's words. */
export interface DetailText {
  readonly text: RichText
  /** `false`: the type has no template for this language, so its plain words are shown. */
  readonly templated: boolean
}

/**
 * The words of one entry (DESIGN §3.9): the type's template for `locale`, its arguments the
 * entry's fields formatted through `Intl`, each kept apart as someone else's words; without a
 * template, or when a field it names is missing or cannot be formatted as the template says, the
 * type's name in words (the fields are listed
 * under the line either way, never as JSON).
 */
export function detailText(
  entry: AuthorizationDetail,
  type: DetailType | undefined,
  locale: string,
): DetailText {
  const fallback = { text: theirs(entry.type.replace(/[_\-:]+/g, ' ').trim()), templated: false }
  const template = type ? detailTemplate(type, locale) : undefined
  if (template === undefined) return fallback
  const format = formatterOf(template, locale)
  const values: Record<string, string | number | Theirs> = {}
  for (const [name, shown] of argumentsOf(format.getAst() as readonly AstElement[])) {
    const raw = fieldAt(entry, argumentPath(name))
    if (raw === undefined) return fallback
    const value = fieldValue(raw)
    // A field a plural or select picks on is passed as it is; a shown one is formatted.
    values[name] = shown
      ? { theirs: formatValue(value, locale) }
      : typeof raw === 'number' || typeof raw === 'string'
        ? raw
        : formatValue(value, locale)
  }
  let parts: ReturnType<typeof format.formatToParts<Theirs>>
  try {
    parts = format.formatToParts<Theirs>(values)
  } catch {
    // A field the entry's author wrote that the template's format cannot take (`{when, date}` on
    // "soon"): the type's words, as for a missing field, never a failed page.
    return fallback
  }
  return {
    text: concat(
      parts.map((part) =>
        typeof part.value === 'object' ? theirs(part.value.theirs) : ours(String(part.value)),
      ),
    ),
    templated: true,
  }
}

/** The fields of an entry as the page lists them under its line: path and value in words. */
export function detailFieldTexts(
  entry: AuthorizationDetail,
  locale: string,
): { readonly path: string; readonly value: string }[] {
  const flatten = (
    fields: readonly DetailField[],
    prefix: string,
  ): { path: string; value: string }[] =>
    fields.flatMap((field) =>
      field.value.kind === 'fields'
        ? flatten(field.value.fields, `${prefix}${field.path}.`)
        : [{ path: `${prefix}${field.path}`, value: formatValue(field.value, locale) }],
    )
  return flatten(detailFields(entry, ['type']), '')
}

/** RFC 9396 §2.2's common fields: the service has words for them in every language. */
const COMMON_FIELDS = new Set(['locations', 'actions', 'datatypes', 'identifier', 'privileges'])

/** A field name in words: `instructedAmount` and `instructed_amount` read "instructed amount". */
export function fieldWords(name: string): string {
  const words = name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase()
  return words === '' ? name : words
}

/** One field under an entry's line: its label (a path of names) and its value, in words. */
export interface DetailFieldView {
  readonly label: RichText
  readonly value: RichText
}

/** One entry as the page shows it: its line, whether a template wrote it, and its fields. */
export interface DetailView {
  readonly index: number
  readonly type: string
  readonly text: RichText
  readonly templated: boolean
  readonly fields: readonly DetailFieldView[]
}

/**
 * An entry's fields as a reader takes them in (DESIGN §3.9): every field but `type`, nested
 * objects by their path, each name in words (RFC 9396's common fields translated), each value
 * formatted through `Intl` in the page's language, `true` and `false` as its words — never JSON.
 */
export function detailFieldViews(entry: AuthorizationDetail, tr: Translator): DetailFieldView[] {
  const labelOf = (path: readonly string[]): RichText =>
    concat(
      path.flatMap((name, index) => [
        index > 0 ? ours(' › ') : [],
        index === 0 && COMMON_FIELDS.has(name)
          ? ours(tr.t(`details.field.${name}`))
          : theirs(fieldWords(name)),
      ]),
    )
  const valueText = (raw: unknown): RichText => {
    if (raw === true || raw === false) return ours(tr.t(raw ? 'details.yes' : 'details.no'))
    // Nothing in it is still a value the AS sent (and may read as "no limit"): shown, as null is.
    if (raw === null || (Array.isArray(raw) && raw.length === 0)) return ours('—')
    return theirs(formatValue(fieldValue(raw), tr.locale))
  }
  const walk = (value: object, path: readonly string[]): DetailFieldView[] =>
    Object.keys(value).flatMap((name) => {
      if (path.length === 0 && name === 'type') return []
      const raw = (value as Record<string, unknown>)[name]
      const here = [...path, name]
      const formatted = fieldValue(raw)
      // An object that is not money is listed as its own fields, one a row; an empty one is a
      // row of its own, so the field is never left off the page.
      if (formatted.kind === 'fields' && typeof raw === 'object' && raw !== null)
        return formatted.fields.length > 0
          ? walk(raw, here)
          : [{ label: labelOf(here), value: ours('—') }]
      return [{ label: labelOf(here), value: valueText(raw) }]
    })
  return walk(entry, [])
}

/**
 * A request's entries as the page shows them (DESIGN §3.9), in request order: the type's template
 * filled in the page's language, or — with no template for it — a translated line naming the type,
 * and the fields under it either way.
 */
export function detailViews(
  entries: readonly AuthorizationDetail[],
  types: readonly DetailType[] | undefined,
  tr: Translator,
): DetailView[] {
  return entries.map((entry, index) => {
    const line = detailText(entry, declaredType(types, entry), tr.locale)
    return {
      index,
      type: entry.type,
      text: line.templated ? line.text : tr.rich('details.untemplated', { type: line.text }),
      templated: line.templated,
      fields: detailFieldViews(entry, tr),
    }
  })
}

/** Rich text as the words a user read, without the isolates (for the record of the page). */
export const wordsOf = (text: RichText): string => text.map((segment) => segment.text).join('')
