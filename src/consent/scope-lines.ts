import { flagOn, type TenantFlags } from './flags.js'
import { isStandardScope, parseScope } from './scope.js'
import type { Api, ApiScope, ResourceLabel, ResourceLabels } from './types.js'

/** Actions that have a translation (DESIGN §1.3); any other action is shown as written. */
export const KNOWN_ACTIONS = [
  'read',
  'create',
  'write',
  'update',
  'delete',
  'manage',
  'list',
  'view',
  'edit',
  'share',
  'send',
  'upload',
  'download',
] as const

const knownActions: ReadonlySet<string> = new Set(KNOWN_ACTIONS)

export type ActionLabel =
  | { readonly kind: 'known'; readonly key: `actions.${string}` }
  | { readonly kind: 'raw'; readonly text: string }

/**
 * One line of a prompt, as translation keys and values; the view layer turns it into text.
 * Every line names the scopes it stands for, so a prompt can be checked against what it asks.
 */
export type PromptLine =
  | {
      readonly kind: 'standard'
      readonly scopes: readonly string[]
      readonly key: `standard.${string}`
    }
  | {
      readonly kind: 'resource'
      readonly scopes: readonly string[]
      /** `line.labelled` when the API labels this resource in the page's locale (DESIGN §4.2). */
      readonly key: 'line.resource' | 'line.labelled'
      /** `{{Resource}}`: the heading, e.g. `Calendar events`. */
      readonly heading: string
      /** `{{resource}}`: the same words in lower case, e.g. `calendar events`. */
      readonly resource: string
      /** `{{heading}}` and `{{noun}}` of `line.labelled`: the API's words in the page's locale. */
      readonly label?: ResourceLabel
      /** `{{actions}}`: joined with the locale's conjunction. */
      readonly actions: readonly ActionLabel[]
    }
  /** Text the admin wrote (a description) or a raw scope value: shown as it is, escaped. */
  | { readonly kind: 'text'; readonly scopes: readonly string[]; readonly text: string }

export type PromptMode = 'grouped' | 'descriptions'

/** The tenant flag decides the mode of every prompt of the tenant (DESIGN §1.4). */
export function promptModeFor(flags: TenantFlags): PromptMode {
  return flagOn(flags, 'use_scope_descriptions_for_consent') ? 'descriptions' : 'grouped'
}

/** `openid` asks for nothing the user can weigh (DESIGN §1.3), so it has no line of its own. */
function standardLine(scope: string): PromptLine | null {
  if (scope === 'openid') return null
  return { kind: 'standard', scopes: [scope], key: `standard.${scope}` }
}

function words(resource: string): string {
  return resource.replace(/[_\-:]+/g, ' ').trim()
}

/**
 * Resources whose words read the same as another resource's (`calendar_events`,
 * `calendar-events`, `Calendar_Events`): two different permissions must never read as one line
 * of text, so these keep their raw name on the prompt.
 */
export function ambiguousResources(scopes: Iterable<string>): ReadonlySet<string> {
  const byWords = new Map<string, Set<string>>()
  for (const value of scopes) {
    if (isStandardScope(value)) continue
    const parsed = parseScope(value)
    if (parsed.kind === 'plain') continue
    const key = words(parsed.resource).toLocaleLowerCase('en')
    const resources = byWords.get(key) ?? new Set<string>()
    resources.add(parsed.resource)
    byWords.set(key, resources)
  }
  const ambiguous = new Set<string>()
  for (const resources of byWords.values())
    if (resources.size > 1) for (const resource of resources) ambiguous.add(resource)
  return ambiguous
}

/**
 * The API's label of `resource` for `locale` (DESIGN §4.2): the same tag, then the same language
 * (`pt-PT` for a `pt-BR` page). Chinese stops at the tag: a `zh-CN` label is in Simplified
 * characters, which a `zh-TW` page must not show (issue 16), so that page falls back instead.
 */
export function resourceLabel(
  labels: ResourceLabels | undefined,
  resource: string,
  locale: string,
): ResourceLabel | undefined {
  const byTag = labels?.[resource]
  if (!byTag) return undefined
  const wanted = locale.toLowerCase()
  const language = wanted.split('-')[0]
  const tags = Object.keys(byTag)
  const exact = tags.find((tag) => tag.toLowerCase() === wanted)
  const sameLanguage =
    language === 'zh' ? undefined : tags.find((tag) => tag.toLowerCase().split('-')[0] === language)
  const tag = exact ?? sameLanguage
  return tag === undefined ? undefined : byTag[tag]
}

/**
 * Grouped mode (DESIGN §1.3): API scopes that share a resource become one line, in the order
 * of the first scope of each resource; actions keep the API's order within a line.
 * `scopes` must already be in prompt order (see `effectiveScopes`). `known` are all the scopes
 * the API defines: a resource that would read like another one of them is shown as written
 * (see `ambiguousResources`), on every prompt, so its text does not change from one to the next.
 * A resource the API labels in `locale` reads in that language's words (`line.labelled`).
 * A scope in `alone` gets a line of its own, worded as the line of that single action (granular
 * consent, DESIGN §3.5); the other scopes of its resource still share theirs.
 */
export function groupedLines(
  scopes: readonly string[],
  known: readonly string[] = [],
  labels?: ResourceLabels,
  locale = 'en',
  alone: ReadonlySet<string> = new Set(),
): PromptLine[] {
  const lines: PromptLine[] = []
  const byResource = new Map<string, { scopes: string[]; actions: ActionLabel[] }>()
  const ambiguous = ambiguousResources([...known, ...scopes])

  for (const value of scopes) {
    if (isStandardScope(value)) {
      const line = standardLine(value)
      if (line) lines.push(line)
      continue
    }
    const parsed = parseScope(value)
    if (parsed.kind === 'plain') {
      lines.push({ kind: 'text', scopes: [value], text: value })
      continue
    }
    const label: ActionLabel = knownActions.has(parsed.action)
      ? { kind: 'known', key: `actions.${parsed.action}` }
      : { kind: 'raw', text: parsed.action }
    const group = alone.has(value) ? undefined : byResource.get(parsed.resource)
    if (group) {
      group.scopes.push(value)
      group.actions.push(label)
      continue
    }
    const spaced = words(parsed.resource)
    const raw = ambiguous.has(parsed.resource)
    const created = { scopes: [value], actions: [label] }
    if (!alone.has(value)) byResource.set(parsed.resource, created)
    const labelled = resourceLabel(labels, parsed.resource, locale)
    lines.push({
      kind: 'resource',
      key: labelled ? 'line.labelled' : 'line.resource',
      ...(labelled ? { label: labelled } : {}),
      // The arrays are shared with the map so later scopes of this resource land in this line.
      scopes: created.scopes,
      actions: created.actions,
      heading: raw ? parsed.resource : spaced.charAt(0).toLocaleUpperCase('en') + spaced.slice(1),
      resource: raw ? parsed.resource : spaced.toLocaleLowerCase('en'),
    })
  }
  return lines
}

/**
 * The description that best fits `locale` (DESIGN §1.4): an exact per-locale text, then one for
 * the same language, then `description`, then the scope's value.
 */
export function describeScope(scope: ApiScope, locale: string): string {
  const texts = scope.descriptions ?? {}
  const wanted = locale.toLowerCase()
  const language = wanted.split('-')[0]
  let sameLanguage: string | undefined
  for (const [tag, text] of Object.entries(texts)) {
    if (text.trim() === '') continue
    const candidate = tag.toLowerCase()
    if (candidate === wanted) return text
    if (sameLanguage === undefined && candidate.split('-')[0] === language) sameLanguage = text
  }
  if (sameLanguage !== undefined) return sameLanguage
  return scope.description.trim() === '' ? scope.value : scope.description
}

/**
 * Descriptions mode (DESIGN §1.4, tenant flag `use_scope_descriptions_for_consent`): one line
 * per scope, in prompt order, with the admin's text for the page's locale.
 */
export function descriptionLines(
  scopes: readonly string[],
  api: Api | null,
  locale: string,
): PromptLine[] {
  const defined = new Map((api?.scopes ?? []).map((scope) => [scope.value, scope]))
  const lines: PromptLine[] = []
  for (const value of scopes) {
    if (isStandardScope(value)) {
      const line = standardLine(value)
      if (line) lines.push(line)
      continue
    }
    const scope = defined.get(value)
    lines.push({
      kind: 'text',
      scopes: [value],
      text: scope ? describeScope(scope, locale) : value,
    })
  }
  return lines
}

/**
 * The lines of a prompt in the tenant's mode. `alone`: scopes that must not share a line (see
 * `standaloneScopes`); descriptions mode gives every scope its own line anyway.
 */
export function promptLines(
  mode: PromptMode,
  scopes: readonly string[],
  api: Api | null,
  locale: string,
  alone?: ReadonlySet<string>,
): PromptLine[] {
  return mode === 'descriptions'
    ? descriptionLines(scopes, api, locale)
    : groupedLines(
        scopes,
        (api?.scopes ?? []).map((scope) => scope.value),
        api?.consentResources,
        locale,
        alone,
      )
}
