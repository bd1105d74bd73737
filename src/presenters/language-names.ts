/**
 * The admin pages are English: a locale named in English ("German" for `de`, "Portuguese
 * (Brazil)" for `pt-BR`). Made on first use: its data is 5 MB of the process that the consent
 * page never needs.
 */
let englishNames: Intl.DisplayNames | undefined

export function englishName(locale: string): string {
  englishNames ??= new Intl.DisplayNames('en', { type: 'language' })
  try {
    return englishNames.of(locale) ?? locale
  } catch {
    // Not a tag Intl reads: shown as it is.
    return locale
  }
}
