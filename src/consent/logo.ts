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

/**
 * A link to the app's pages shown on the prompt (DESIGN §3.10): the logo's rule, and no user name
 * or password in it — `https://bank.example@evil.example/` reads as the bank but opens another
 * host.
 */
export function displayableLink(url: string | null | undefined): string | null {
  const shown = displayableLogo(url)
  if (shown === null) return null
  const { username, password } = new URL(shown)
  return username === '' && password === '' ? shown : null
}
