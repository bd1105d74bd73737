import { hash } from 'node:crypto'

/**
 * SHA-256 of UTF-8 `text`: how a secret a browser or caller holds (a session cookie, a portal
 * link, a bearer token, a verifier) is kept or compared without keeping the secret itself. One
 * call (`crypto.hash`), not a Hash object per value: it runs on every page and answer.
 */
export function sha256(text: string, encoding: 'hex' | 'base64url'): string
export function sha256(text: string, encoding: 'buffer'): Buffer
export function sha256(text: string, encoding: 'hex' | 'base64url' | 'buffer'): string | Buffer {
  return hash('sha256', text, encoding)
}
