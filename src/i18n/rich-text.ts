/**
 * Text of a page as segments: the translation's own words, and words someone else wrote (a
 * client's or tenant's name, the user, the redirect host, an admin's scope words) that a view
 * shows inside `<bdi>` (DESIGN §6), in every locale. Segments are data, so Eta still escapes
 * every one of them; no view ever prints user text unescaped.
 */
export interface Segment {
  readonly text: string
  /** Written by someone else: shown isolated from the words around it. */
  readonly isolate: boolean
}

export type RichText = readonly Segment[]

/** The translation's own words. */
export const ours = (text: string): RichText => (text === '' ? [] : [{ text, isolate: false }])

/** Words someone else wrote, shown isolated. */
export const theirs = (text: string): RichText => [{ text, isolate: true }]

/** The pieces in order, neighbouring words of our own joined into one segment. */
export function concat(pieces: readonly RichText[]): RichText {
  const out: Segment[] = []
  for (const piece of pieces) {
    for (const segment of piece) {
      const last = out[out.length - 1]
      if (!segment.isolate && last && !last.isolate)
        out[out.length - 1] = { text: last.text + segment.text, isolate: false }
      else if (segment.text !== '') out.push(segment)
    }
  }
  return out
}

/**
 * Wraps text someone else wrote in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (UAX #9 §2.7),
 * the plain-text twin of `<bdi>`, for the places markup cannot reach: `<title>`, attribute
 * values, `<option>` labels. Once applied only on right-to-left pages, it is now applied in every
 * locale, like `<bdi>`: a Hebrew client name in an English title keeps the words after it in
 * place, and a stored override that predates the check on names ends at the PDI.
 */
export const isolate = (text: string): string => `\u2068${text}\u2069`

/** Rich text where only plain text can go: their words isolated with `isolate`. */
export function plainText(rich: RichText): string {
  return rich.map((segment) => (segment.isolate ? isolate(segment.text) : segment.text)).join('')
}
