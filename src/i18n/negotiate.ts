/**
 * Parses an `Accept-Language` header (RFC 9110 §12.5.4) into tags, most preferred first.
 * Malformed entries are skipped; `*` carries no preference of its own.
 */
export function parseAcceptLanguage(header: string | undefined | null): string[] {
  if (!header) return []
  const entries: { tag: string; q: number; index: number }[] = []
  header.split(',').forEach((part, index) => {
    const [rawTag, ...params] = part.trim().split(';')
    const tag = rawTag?.trim() ?? ''
    if (tag === '' || tag === '*' || !/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return
    let q = 1
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(param)
      if (match?.[1]) q = Number(match[1])
    }
    if (q > 0) entries.push({ tag, q, index })
  })
  return entries.sort((a, b) => b.q - a.q || a.index - b.index).map((entry) => entry.tag)
}

/** Splits OIDC `ui_locales` (space-separated BCP 47 tags, OpenID Connect Core §3.1.2.1). */
export function parseUiLocales(value: string | undefined | null): string[] {
  return (value ?? '').split(/\s+/).filter((tag) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag))
}

/**
 * Tags that name a language under another name: ISO 639 withdrew `iw` and `in` (old Java and
 * Android still send them), and `no` (macrolanguage) and `nn` (Nynorsk) are read by people whose
 * written standard we ship as Bokmål, `nb`, the closest text there is.
 */
const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
  iw: 'he',
  in: 'id',
  ji: 'yi',
  no: 'nb',
  nn: 'nb',
}

/** Regions where Chinese is written in Traditional characters (CLDR `zh_Hant` parent locales). */
const TRADITIONAL_REGIONS: ReadonlySet<string> = new Set(['tw', 'hk', 'mo'])

interface Tag {
  readonly language: string
  readonly script: string | undefined
  readonly region: string | undefined
}

function parseTag(tag: string): Tag {
  const [first = '', ...rest] = tag.toLowerCase().split('-')
  const script = rest.find((part) => /^[a-z]{4}$/.test(part))
  const region = rest.find((part) => /^([a-z]{2}|\d{3})$/.test(part))
  return { language: LANGUAGE_ALIASES[first] ?? first, script, region }
}

/**
 * The supported locales a preference may fall back to, best first, following CLDR's parent
 * locales rather than the bare language subtag:
 * - Chinese by script: `zh-Hant`, or a region that writes Traditional (`TW`, `HK`, `MO`) → the
 *   Traditional locale only, never Simplified (a Hong Kong reader sent Simplified text sees the
 *   wrong writing system, not a variant); anything else `zh` → Simplified, never Traditional.
 * - Portuguese: every region but Brazil inherits from `pt-PT` in CLDR (`pt_AO`, `pt_MZ`, … have
 *   parent `pt_PT`), so they get `pt-PT` first, then `pt-BR`. A bare `pt` is the one call to make:
 *   CLDR's root `pt` is Brazilian, but a browser set to Brazilian Portuguese sends `pt-BR` (Chrome
 *   and Firefox both do), so a bare `pt` with nothing Brazilian anywhere in the list is read as
 *   European Portuguese, as the issue asks; with `pt-BR` anywhere in the list, it is Brazilian.
 * - Any other language: a supported locale of the same language (`es-MX`, `es-419` → `es`).
 */
function candidates(
  wanted: Tag,
  supported: readonly string[],
  brazilian: boolean,
): readonly string[] {
  const sameLanguage = supported.filter((tag) => parseTag(tag).language === wanted.language)
  if (wanted.language === 'zh') {
    const traditional =
      wanted.script === 'hant' ||
      (wanted.script === undefined && TRADITIONAL_REGIONS.has(wanted.region ?? ''))
    return sameLanguage.filter((tag) => {
      const { script, region } = parseTag(tag)
      const tagTraditional =
        script === 'hant' || (script === undefined && TRADITIONAL_REGIONS.has(region ?? ''))
      return tagTraditional === traditional
    })
  }
  if (wanted.language === 'pt') {
    const european = wanted.region === undefined ? !brazilian : wanted.region !== 'br'
    const isBrazilian = (tag: string) => parseTag(tag).region === 'br'
    const brazil = sameLanguage.filter(isBrazilian)
    const others = sameLanguage.filter((tag) => !isBrazilian(tag))
    return european ? [...others, ...brazil] : [...brazil, ...others]
  }
  return sameLanguage
}

/**
 * Picks the supported locale that best fits each preference in turn: the same tag, then the
 * locale CLDR's parent chain leads to (see `candidates`). `supported` is what the tenant
 * enabled, so a disabled locale is skipped, and a Traditional-Chinese preference with no
 * Traditional locale enabled moves on to the next preference. Undefined when none fits.
 */
export function matchLocale(
  preferences: readonly string[],
  supported: readonly string[],
): string | undefined {
  const brazilian = preferences.some((tag) => parseTag(tag).region === 'br')
  for (const preference of preferences) {
    const wanted = preference.toLowerCase()
    const exact = supported.find((tag) => tag.toLowerCase() === wanted)
    if (exact) return exact
    const fallback = candidates(parseTag(preference), supported, brazilian)[0]
    if (fallback) return fallback
  }
  return undefined
}

/**
 * The page's locale (DESIGN §3.2): the request's `ui_locales`, then the browser's
 * `Accept-Language`, then the tenant's default, then `en`.
 */
export function negotiateLocale(
  sources: {
    uiLocales?: string | null
    acceptLanguage?: string | null
    tenantDefault?: string | null
  },
  supported: readonly string[],
): string {
  return (
    matchLocale(parseUiLocales(sources.uiLocales), supported) ??
    matchLocale(parseAcceptLanguage(sources.acceptLanguage), supported) ??
    matchLocale(sources.tenantDefault ? [sources.tenantDefault] : [], supported) ??
    'en'
  )
}
