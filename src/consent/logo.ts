/**
 * A logo URL is shown only over https, or http on loopback (DESIGN §6): `localhost` or
 * `127.0.0.1`, the loopback hosts the page's Content-Security-Policy can name.
 */
export function displayableLogo(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    if (parsed.protocol === 'https:') return parsed.href
    if (
      parsed.protocol === 'http:' &&
      (parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1')
    ) {
      return parsed.href
    }
  } catch {
    // not a URL: not shown
  }
  return null
}
