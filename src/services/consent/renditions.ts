import { LRUCache } from 'lru-cache'
import { limits } from '../../config/env.js'
import {
  type AuthorizationDetail,
  canonicalRendition,
  type DetailType,
  type DurationChoice,
  durationValue,
  type PromptLine,
  promptLines,
  promptModeFor,
  renditionContent,
  type ShownDetail,
  standaloneScopes,
} from '../../consent/index.js'
import type { ConsentRequest, ResourceServer, ShownPage, Tenant } from '../../entities.js'
import { copyWith } from '../../objects.js'
import type { Store } from '../../store/port.js'
import { digest } from './binding.js'

/** One render of the prompt: what it shows, and the id its form carries (DESIGN §3.2.2). */
export type Rendition = Omit<ShownPage, 'at'>

/** A request's RFC 9396 entries as the user reads them in `locale` (DESIGN §3.9). */
export type DetailTexts = (
  entries: readonly AuthorizationDetail[],
  types: readonly DetailType[] | undefined,
  locale: string,
) => Omit<ShownDetail, 'kind'>[]

/** Each part after its length: unambiguous whatever characters a part holds. */
function lengthPrefixed(parts: readonly string[]): string {
  let key = ''
  for (const part of parts) key += `${part.length}:${part}`
  return key
}

/**
 * The renders of prompts (DESIGN §3.2.2): the lines, kinds, marks and versions a page shows, with
 * an id derived from them, kept per configuration (the store's epoch).
 */
export function createRenditions(deps: {
  readonly store: Pick<Store, 'configEpoch'>
  readonly lineText: (lines: readonly PromptLine[], locale: string) => string[]
  readonly claimText: (lines: readonly PromptLine[], locale: string) => string[][]
  readonly detailTexts: DetailTexts
}) {
  const { store } = deps
  const renditions = new LRUCache<string, Rendition>({ max: limits.shownLines })
  // A prompt's render is the same for everyone shown the same scopes of the same API in the same
  // language with the same marks: worked out once per configuration (the store's epoch).
  return function renditionOf(
    tenant: Tenant,
    api: ResourceServer | null,
    request: ConsentRequest,
    scopes: readonly string[],
    locale: string,
    changed: ReadonlySet<string>,
    durations: readonly DurationChoice[],
  ): Rendition {
    const mode = promptModeFor(tenant.settings.flags)
    const key = lengthPrefixed([
      tenant.id,
      String(store.configEpoch()),
      api?.id ?? '',
      mode,
      locale,
      scopes.join(' '),
      request.granular ? 'granular' : '',
      request.requiredScopes.join(' '),
      [...changed].join(' '),
      request.device ? `${request.device.userCode} ${request.device.name ?? ''}` : '',
      durations.map(durationValue).join(' '),
    ])
    // Entries are the request's own: so is its render, worked out each time and never kept, so
    // such requests cannot push the shared renders out of the cache.
    let rendition = request.authorizationDetails ? undefined : renditions.get(key)
    if (!rendition) {
      const required = new Set(request.requiredScopes)
      const alone = standaloneScopes(request.granular, scopes, required)
      const lines = promptLines(mode, scopes, api, locale, alone)
      const content = renditionContent({
        mode,
        locale,
        scopes,
        api,
        lines,
        texts: deps.lineText(lines, locale),
        claims: deps.claimText(lines, locale),
        granular: request.granular,
        required,
        changed,
        device: request.device,
        durations,
        details: request.authorizationDetails
          ? deps.detailTexts(request.authorizationDetails, api?.authorizationDetails, locale)
          : [],
      })
      rendition = copyWith(content, { rendition: digest(canonicalRendition(content)).slice(0, 22) })
      if (!request.authorizationDetails) renditions.set(key, rendition)
    }
    return rendition
  }
}
