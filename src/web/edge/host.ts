/**
 * A host name the URL parser would return as it is, lower-cased: ASCII labels, the last starting
 * with a letter (so never an IPv4 address in another notation), and an optional port.
 */
const PLAIN_HOST = /^((?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z][A-Za-z0-9-]{0,62}\.?)(?::(\d{1,5}))?$/

/** The host name a request was sent to, without port, lower-cased; `''` when absent or malformed. */
export function requestHostname(hostHeader: string | undefined): string {
  if (!hostHeader) return ''
  // The common case needs no URL parser; anything else (IPv6, IDN, IPv4, odd bytes) gets it.
  const plain = PLAIN_HOST.exec(hostHeader)
  if (plain && !hostHeader.toLowerCase().includes('xn--') && Number(plain[2] ?? 0) <= 65535)
    return (plain[1] as string).toLowerCase()
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase()
  } catch {
    return ''
  }
}
