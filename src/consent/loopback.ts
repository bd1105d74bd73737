/**
 * Whether a URL points at this machine: `localhost` (and its subdomains, RFC 6761 §6.3),
 * 127.0.0.0/8 or ::1. A redirect there cannot prove which application it reaches, so a
 * first-party client is still asked (DESIGN §3.3), and a logo served there is still shown.
 */
export function isLoopbackUrl(url: string | URL): boolean {
  let host: string
  try {
    host = (typeof url === 'string' ? new URL(url) : url).hostname.toLowerCase()
  } catch {
    return false
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === '[::1]') return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
