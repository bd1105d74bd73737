/**
 * Pseudo-locales for layout tests, made from `en` at test time and never shipped: every string
 * of the page in a form that shows what real translations will do to the layout.
 * - `en-XA` (accented): each letter accented, and the string about 40 % longer, the growth
 *   German or Finnish bring, padded with breakable words so a line may wrap as real text does.
 * - `ar-XB` (right to left): each Latin letter swapped for a Hebrew one, so every string is
 *   strong right-to-left text of the English length, with `dir` set to `rtl`.
 * `{{placeholders}}` stay as they are; i18next fills them in as usual.
 */

const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ...'aàbƀcçdđeéfƒgĝhĥiîjĵkķlļmɱnñoöpþqǫrŕsšţtuûvṽwŵxẋyýzž',
    ...'AÅBƁCÇDĐEÉFƑGĜHĤIÎJĴKĶLĻMṀNÑOÖPÞQǪRŔSŠTŢUÛVṼWŴXẊYÝZŽ',
  ]
    .join('')
    .match(/../gu)
    ?.map((pair) => [...pair] as [string, string]) ?? [],
)

const HEBREW = 'אבגדהוזחטיכלמנסעפצקרשתךםןף'

const PADDING = ['ŀőŕêɱ', 'îþšûɱ', 'ðőļőŕ', 'šîţ', 'åɱêţ', 'çőñšêç']

/** Applies `letters` to the text outside `{{…}}` and `$t(…)`. */
function outsidePlaceholders(text: string, letters: (part: string) => string): string {
  return text
    .split(/(\{\{\w+\}\}|\$t\([^)]*\))/)
    .map((part, i) => (i % 2 === 1 ? part : letters(part)))
    .join('')
}

function accented(text: string): string {
  const shown = outsidePlaceholders(text, (part) =>
    [...part].map((char) => ACCENTED[char] ?? char).join(''),
  )
  // About 40 % more characters, as words.
  const extra: string[] = []
  let added = 0
  for (let i = 0; added < Math.ceil(text.length * 0.4); i++) {
    const word = PADDING[i % PADDING.length] ?? ''
    extra.push(word)
    added += word.length + 1
  }
  return text.trim() === '' ? text : `${shown} ${extra.join(' ')}`
}

function rightToLeft(text: string): string {
  return outsidePlaceholders(text, (part) =>
    part.replace(/[a-z]/gi, (char) => HEBREW[char.toLowerCase().charCodeAt(0) - 97] ?? char),
  )
}

function mapStrings(tree: Record<string, unknown>, change: (text: string) => string) {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(tree)) {
    out[key] =
      typeof value === 'string'
        ? change(value)
        : value !== null && typeof value === 'object'
          ? mapStrings(value as Record<string, unknown>, change)
          : value
  }
  return out
}

/** `en-XA` and `ar-XB` made from the English strings. */
export function pseudoLocales(
  en: Record<string, unknown>,
): Record<'en-XA' | 'ar-XB', Record<string, unknown>> {
  const meta = (dir: string, language: string) => ({ dir, language })
  return {
    'en-XA': { ...mapStrings(en, accented), meta: meta('ltr', 'Ëñĝļîšĥ (ƥšêûđő)') },
    'ar-XB': { ...mapStrings(en, rightToLeft), meta: meta('rtl', 'עםסודו (RTL)') },
  }
}
