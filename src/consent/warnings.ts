import { isStandardScope, parseScope, RESERVED_SCOPE_NAMES } from './scope.js'
import { describeScope, resourceLabel } from './scope-lines.js'
import type { Api } from './types.js'

/** What will read badly in a prompt, for the admin deciding on the tenant flag (DESIGN §5). */
export type PromptWarning =
  /** With descriptions on, these show their raw value (no description for this locale or at all). */
  | { readonly kind: 'no_description'; readonly scopes: readonly string[] }
  /** With descriptions on, these show the default description: none is written for this locale. */
  | { readonly kind: 'untranslated_description'; readonly scopes: readonly string[] }
  /** Grouped, these have no `action:resource` form and show their raw value. */
  | { readonly kind: 'plain_scope'; readonly scopes: readonly string[] }
  /** Asked for, but the API does not define them: dropped from every prompt. */
  | { readonly kind: 'undefined_scope'; readonly scopes: readonly string[] }
  /** Asked for, but reserved names (DESIGN §1.5) that no API can define: dropped. */
  | { readonly kind: 'reserved_scope'; readonly scopes: readonly string[] }
  /** `offline_access` asked for on an API that does not allow offline access: dropped. */
  | { readonly kind: 'offline_not_allowed'; readonly scopes: readonly string[] }
  /** The client has no logo that can be shown: the prompt shows its initial. */
  | { readonly kind: 'client_without_logo'; readonly scopes: readonly string[] }
  /**
   * Grouped, this resource has no label for the locale (DESIGN §4.2): its line keeps the admin's
   * words inside translated grammar. One per resource; `scopes` are the scopes on it.
   */
  | {
      readonly kind: 'no_resource_label'
      readonly scopes: readonly string[]
      readonly resource: string
    }

export interface WarningInput {
  readonly requested: readonly string[]
  readonly effective: readonly string[]
  readonly api: Api | null
  readonly locale: string
  readonly clientHasLogo: boolean
}

export function promptWarnings(input: WarningInput): PromptWarning[] {
  const { api } = input
  const defined = new Map((api?.scopes ?? []).map((scope) => [scope.value, scope]))
  const apiScopes = input.effective.filter((value) => !isStandardScope(value))
  const warnings: PromptWarning[] = []
  const add = (kind: Exclude<PromptWarning['kind'], 'no_resource_label'>, scopes: string[]) => {
    if (scopes.length > 0) warnings.push({ kind, scopes })
  }

  add(
    'no_description',
    apiScopes.filter((value) => {
      const scope = defined.get(value)
      return scope !== undefined && describeScope(scope, input.locale) === value
    }),
  )
  const language = input.locale.toLowerCase().split('-')[0]
  add(
    'untranslated_description',
    apiScopes.filter((value) => {
      const scope = defined.get(value)
      if (!scope || language === 'en' || describeScope(scope, input.locale) === value) return false
      return !Object.keys(scope.descriptions ?? {}).some(
        (tag) => tag.toLowerCase().split('-')[0] === language,
      )
    }),
  )
  add(
    'plain_scope',
    apiScopes.filter((value) => parseScope(value).kind === 'plain'),
  )
  const dropped = input.requested.filter((value) => !input.effective.includes(value))
  add(
    'reserved_scope',
    dropped.filter((value) => RESERVED_SCOPE_NAMES.has(value) && !isStandardScope(value)),
  )
  add(
    'offline_not_allowed',
    dropped.filter((value) => value === 'offline_access'),
  )
  add(
    'undefined_scope',
    dropped.filter((value) => !RESERVED_SCOPE_NAMES.has(value) && !defined.has(value)),
  )
  if (!input.clientHasLogo) warnings.push({ kind: 'client_without_logo', scopes: [] })
  // English pages read the admin's words as they are, which are English words already.
  if (language !== 'en') warnings.push(...unlabelledResources(apiScopes, api, input.locale))
  return warnings
}

function unlabelledResources(
  apiScopes: readonly string[],
  api: Api | null,
  locale: string,
): PromptWarning[] {
  const byResource = new Map<string, string[]>()
  for (const value of apiScopes) {
    const parsed = parseScope(value)
    if (parsed.kind === 'plain') continue
    if (resourceLabel(api?.consentResources, parsed.resource, locale)) continue
    const scopes = byResource.get(parsed.resource) ?? []
    scopes.push(value)
    byResource.set(parsed.resource, scopes)
  }
  return [...byResource].map(([resource, scopes]) => ({
    kind: 'no_resource_label',
    resource,
    scopes,
  }))
}

/**
 * Per resource the API's scopes name (`read:messages` → `messages`), in API order, the locales
 * whose grouped lines have no label of the API's own (DESIGN §4.2), by the rule the prompt uses
 * (`resourceLabel`: the exact tag, else the same language). English is never missing: its lines
 * read the admin's words as they are.
 */
export function missingResourceLabels(
  api: Pick<Api, 'scopes' | 'consentResources'>,
  locales: readonly string[],
): { readonly resource: string; readonly missing: readonly string[] }[] {
  const resources = new Set<string>()
  for (const scope of api.scopes) {
    const parsed = parseScope(scope.value)
    if (parsed.kind === 'action') resources.add(parsed.resource)
  }
  return [...resources].map((resource) => ({
    resource,
    missing: locales.filter(
      (locale) =>
        locale.toLowerCase().split('-')[0] !== 'en' &&
        !resourceLabel(api.consentResources, resource, locale),
    ),
  }))
}
