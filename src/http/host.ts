/** The host name a request was sent to, without port, lower-cased; `''` when absent or malformed. */
export function requestHostname(hostHeader: string | undefined): string {
  if (!hostHeader) return ''
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase()
  } catch {
    return ''
  }
}
