/**
 * Invisible characters refused in text shown to people (DESIGN §6): every format character
 * (category Cf: the bidi embeddings, overrides, isolates and marks, U+061C, U+FEFF, soft hyphens,
 * tag characters…) and the line and paragraph separators, which end a bidi paragraph. A stored
 * U+202E shows "moc.elgoog" as "google.com" (UAX #9; Unicode TR #36; CVE-2021-42574). ZWNJ and
 * ZWJ (U+200C, U+200D) stay: Persian, Indic scripts and emoji sequences need them.
 */
const HIDDEN_CHARACTER = /(?![\u200C\u200D])[\p{Cf}\p{Zl}\p{Zp}]/u

/** The first hidden character of `text` as `U+XXXX`, or `undefined` when there is none. */
export function hiddenCharacter(text: string): string | undefined {
  const found = HIDDEN_CHARACTER.exec(text)?.[0]
  if (found === undefined) return undefined
  return `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}
