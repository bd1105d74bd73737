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
 * Picks the supported locale that best fits each preference in turn: the same tag, then the same
 * language (`fr-CA` → `fr`, `pt` → `pt-BR`, `zh-Hans-CN` → `zh-CN`). Returns undefined when none fits.
 */
export function matchLocale(
  preferences: readonly string[],
  supported: readonly string[],
): string | undefined {
  for (const preference of preferences) {
    const wanted = preference.toLowerCase()
    const exact = supported.find((tag) => tag.toLowerCase() === wanted)
    if (exact) return exact
    const language = wanted.split('-')[0]
    const sameLanguage = supported.find((tag) => tag.toLowerCase().split('-')[0] === language)
    if (sameLanguage) return sameLanguage
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
