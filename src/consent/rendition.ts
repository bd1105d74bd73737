import { scopeVersion } from './consent-memory.js'
import type { DeviceSignIn } from './device.js'
import type { DurationChoice } from './duration.js'
import { isRequiredLine } from './granular.js'
import type { PromptLine, PromptMode } from './scope-lines.js'
import type { Api } from './types.js'

/**
 * How a line stood on the page (DESIGN §3.2.2): part of an all-or-nothing answer, required (no box
 * to untick), or optional (a box, checked by default).
 */
export type ShownLineKind = 'all' | 'required' | 'optional'

/** One line as the user read it. */
export interface ShownLine {
  /** The words exactly as shown, in the page's language. */
  readonly text: string
  /** The scopes the line stands for. */
  readonly scopes: readonly string[]
  readonly kind: ShownLineKind
  /** Marked as changed: asked again after a change, or changed while the page was open. */
  readonly changed: boolean
  /** The claims the line opened to, in the words shown (DESIGN §3.9); absent: it opened to none. */
  readonly claims?: readonly string[]
}

/**
 * One RFC 9396 entry as the user read it (DESIGN §3.9): its line and the fields listed under it,
 * in the page's language, and whether it had a box to untick.
 */
export interface ShownDetail {
  /** Its index in the request's `authorization_details`, which its checkbox posts. */
  readonly index: number
  readonly type: string
  /** The line: the type's template filled in, or the type's words when it has none. */
  readonly text: string
  /** The fields under the line: label and value, as shown. */
  readonly fields: readonly (readonly [label: string, value: string])[]
  /** `all`: approved with the answer; `optional`: a box, checked by default (granular). */
  readonly kind: 'all' | 'optional'
}

/** What one render of a prompt showed: everything an answer on it stands for, but the time. */
export interface RenditionContent {
  readonly locale: string
  readonly mode: PromptMode
  readonly lines: readonly ShownLine[]
  /** The version of every scope on the page (DESIGN §3.5.1). */
  readonly versions: Readonly<Record<string, number>>
  /** A device sign-in: the code and device the user was asked to compare (DESIGN §3.10). */
  readonly device?: DeviceSignIn
  /** The durations the user could choose from (DESIGN §3.5.1): an answer picks one of these. */
  readonly durations?: readonly DurationChoice[]
  /** The request's RFC 9396 entries as shown (DESIGN §3.9); absent when it carries none. */
  readonly details?: readonly ShownDetail[]
}

export interface RenditionInput {
  readonly mode: PromptMode
  readonly locale: string
  /** The scopes the page asks about, in prompt order. */
  readonly scopes: readonly string[]
  readonly api: Api | null
  /** The lines as `promptLines` gives them for these scopes, mode and locale. */
  readonly lines: readonly PromptLine[]
  /** Each line's words, in the same order as `lines`. */
  readonly texts: readonly string[]
  /** Each line's claims in words (see `lineClaims`), in the same order as `lines`. */
  readonly claims: readonly (readonly string[])[]
  readonly granular: boolean
  readonly required: ReadonlySet<string>
  /** Scopes whose lines carry the "changed" mark. */
  readonly changed: ReadonlySet<string>
  readonly device: DeviceSignIn | null
  /** The durations offered; none or empty: the page offers no choice. */
  readonly durations?: readonly DurationChoice[]
  /** The request's entries in words, in request order; empty when it carries none. */
  readonly details: readonly Omit<ShownDetail, 'kind'>[]
}

/** The content of a render: the lines with their kind and marks, and the versions behind them. */
export function renditionContent(input: RenditionInput): RenditionContent {
  const versions: Record<string, number> = {}
  // Defined, not assigned: a scope named `__proto__` is a key like any other.
  for (const scope of input.scopes)
    Object.defineProperty(versions, scope, {
      value: scopeVersion(input.api, scope),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  return {
    locale: input.locale,
    mode: input.mode,
    lines: input.lines.map((line, index) => ({
      text: input.texts[index] ?? '',
      scopes: [...line.scopes],
      kind: !input.granular
        ? 'all'
        : isRequiredLine(line, input.required)
          ? 'required'
          : 'optional',
      changed: line.scopes.some((scope) => input.changed.has(scope)),
      ...((input.claims[index]?.length ?? 0) > 0
        ? { claims: [...(input.claims[index] ?? [])] }
        : {}),
    })),
    versions,
    ...(input.device
      ? { device: { userCode: input.device.userCode, name: input.device.name } }
      : {}),
    ...(input.durations && input.durations.length > 0 ? { durations: [...input.durations] } : {}),
    ...(input.details.length > 0
      ? {
          details: input.details.map((detail) => ({
            index: detail.index,
            type: detail.type,
            text: detail.text,
            fields: detail.fields,
            kind: input.granular ? ('optional' as const) : ('all' as const),
          })),
        }
      : {}),
  }
}

/** A rendition's entries as the text they are compared and identified by. */
const detailsPart = (content: RenditionContent) =>
  (content.details ?? []).map((detail) => [
    detail.index,
    detail.type,
    detail.text,
    detail.fields,
    detail.kind,
  ])

/**
 * The canonical text a rendition's id is derived from: the same content always gives the same
 * text, whatever the order its keys were built in.
 */
export function canonicalRendition(content: RenditionContent): string {
  const versions = Object.keys(content.versions)
    .sort()
    .map((scope) => [scope, content.versions[scope]])
  const parts: unknown[] = [
    content.locale,
    content.mode,
    // A line's claims join its part only when it has some: every other line keeps the id it had.
    content.lines.map((line) =>
      line.claims
        ? [line.text, line.scopes, line.kind, line.changed, line.claims]
        : [line.text, line.scopes, line.kind, line.changed],
    ),
    versions,
  ]
  // Only a device page has the part: every other page keeps the id it always had.
  if (content.device) parts.push(['device', content.device.userCode, content.device.name])
  // Likewise only a page that offered durations.
  if (content.durations) parts.push(['durations', content.durations])
  // Likewise only a page with RFC 9396 entries (DESIGN §3.9).
  if (content.details) parts.push(['details', detailsPart(content)])
  return JSON.stringify(parts)
}

/**
 * Which entries of the prompt as it reads now say something else than on the page the user
 * answered (DESIGN §3.2.2, §3.9), by index: a template or its words changed, or an entry's fields
 * read otherwise; an entry the page showed that is gone counts too. An approval is of the words
 * shown, so any of them refuses the answer. Empty when every entry reads as it did.
 */
export function detailsChangedSince(shown: RenditionContent, now: RenditionContent): Set<number> {
  const key = (detail: ShownDetail) =>
    JSON.stringify([detail.type, detail.text, detail.fields, detail.kind])
  const before = new Map((shown.details ?? []).map((detail) => [detail.index, key(detail)]))
  const changed = new Set<number>()
  for (const detail of now.details ?? []) {
    if (before.get(detail.index) !== key(detail)) changed.add(detail.index)
    before.delete(detail.index)
  }
  for (const index of before.keys()) changed.add(index)
  return changed
}

/** The version of `scope` a rendition showed, if it showed it. */
function shownVersion(content: RenditionContent, scope: string): number | undefined {
  return Object.hasOwn(content.versions, scope) ? content.versions[scope] : undefined
}

/**
 * Which scopes of the prompt as it reads now mean something else than on the page the user
 * answered (DESIGN §3.2.2): a scope whose version moved or that the page did not show, every
 * scope of a line whose words or grouping changed, and — when a scope the page showed is gone or
 * the mode changed — every scope of the lines that held it. Empty when the answer still stands.
 * The marks and kinds are not compared: a page marked "changed" means what the unmarked one does.
 */
export function changedSince(shown: RenditionContent, now: RenditionContent): Set<string> {
  const changed = new Set<string>()
  // A line's words are its text and the claims it opens to: either changed, the line changed.
  const words = (line: ShownLine) => JSON.stringify([line.text, line.claims ?? []])
  const before = new Map(shown.lines.map((line) => [line.scopes.join(' '), words(line)]))
  for (const line of now.lines) {
    const text = before.get(line.scopes.join(' '))
    if (text !== words(line) || shown.mode !== now.mode) {
      for (const scope of line.scopes) changed.add(scope)
      continue
    }
    for (const scope of line.scopes)
      if (shownVersion(shown, scope) !== shownVersion(now, scope)) changed.add(scope)
  }
  const nowScopes = new Set(now.lines.flatMap((line) => line.scopes))
  const gone = shown.lines.flatMap((line) => line.scopes).filter((scope) => !nowScopes.has(scope))
  if (gone.length > 0 && changed.size === 0) {
    // A scope the user saw is no longer asked for: nothing now reads differently, but the answer
    // was about more than is true now, so every line is shown again as changed.
    for (const scope of nowScopes) changed.add(scope)
    // Nothing left to mark (only the removed scope was asked): the answer is still refused.
    if (changed.size === 0) for (const scope of gone) changed.add(scope)
  }
  return changed
}
