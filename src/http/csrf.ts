import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { randomToken } from '../ids.js'
import type { Store } from '../store/port.js'

export const CSRF_COOKIE = 'assent_csrf'
export const CSRF_FIELD = 'csrf'

/**
 * Double-submit CSRF tokens bound to one consent request and one browser: the form carries
 * HMAC(key, request id ‖ cookie). The key lives in the store, so every instance that shares the
 * store checks every other instance's tokens.
 */
export interface Csrf {
  newCookieValue(): string
  token(requestId: string, cookieValue: string): Promise<string>
  verify(
    requestId: string,
    cookieValue: string | undefined,
    token: string | undefined,
  ): Promise<boolean>
}

export function createCsrf(store: Store): Csrf {
  let key: Promise<Buffer> | undefined
  const loadKey = () => {
    key ??= store.keys
      .getOrCreate('csrf', () => randomBytes(32).toString('base64url'))
      .then((secret) => Buffer.from(secret, 'base64url'))
      .catch((error: unknown) => {
        key = undefined
        throw error
      })
    return key
  }
  const mac = async (requestId: string, cookieValue: string) =>
    createHmac('sha256', await loadKey())
      .update(`${requestId}\u0000${cookieValue}`)
      .digest()

  return {
    newCookieValue: () => randomToken(32),
    token: async (requestId, cookieValue) =>
      (await mac(requestId, cookieValue)).toString('base64url'),
    async verify(requestId, cookieValue, token) {
      if (!cookieValue || !token || cookieValue.length > 128 || token.length > 128) return false
      const expected = await mac(requestId, cookieValue)
      const given = Buffer.from(token, 'base64url')
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}
