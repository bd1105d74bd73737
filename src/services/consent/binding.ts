import { timingSafeEqual } from 'node:crypto'
import { sha256 } from '../../digest.js'
import { AppError } from '../../errors.js'

// How a consent request is tied to the browser it was opened in (DESIGN §3.2), and the errors
// the flow answers with.

export const digest = (text: string) => sha256(text, 'base64url')

/** Equal hashes, compared in constant time. */
export function sameHash(stored: string | null, given: string): boolean {
  if (stored === null) return false
  const a = Buffer.from(stored)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The binding of one request to one browser: its cookie, hashed with the request id. */
export const bindingOf = (requestId: string, browser: string) =>
  digest(`${requestId}\u0000${browser}`)

export const boundElsewhere = () =>
  new AppError(403, 'bound_elsewhere', 'This consent request was opened in another browser')
export const alreadyAnswered = () =>
  new AppError(409, 'already_answered', 'Consent request already answered')
export const expired = () => new AppError(410, 'expired', 'Consent request expired')
export const notFound = () =>
  new AppError(404, 'inexistent_consent_request', 'Consent request not found')
export const invalidVerifier = () =>
  new AppError(403, 'invalid_verifier', 'The consent verifier does not match this request')
