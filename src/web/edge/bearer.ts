import { timingSafeEqual } from 'node:crypto'
import { sha256 } from '../../digest.js'

/** An `Authorization: Bearer` credential: the b64token syntax of RFC 6750 §2.1. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i

/** The token of an `Authorization: Bearer …` header; `undefined` when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  return BEARER.exec((header ?? '').trim())?.[1]
}

const digest = (text: string) => sha256(text, 'buffer')

/**
 * Whether a presented value is `secret`, compared in constant time: both sides are hashed
 * first, so neither the content nor the length of the secret shows in the time taken.
 */
export function secretMatcher(secret: string): (presented: string) => boolean {
  const expected = digest(secret)
  return (presented) => timingSafeEqual(digest(presented), expected)
}
