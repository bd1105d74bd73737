import {
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import type { Context } from 'hono'
import { LRUCache } from 'lru-cache'
import { limits } from '../../config/env.js'
import { AppError } from '../../errors.js'
import { randomToken } from '../../ids.js'
import type { AppEnv } from '../context.js'
import { PAGE_COOKIES, type PageCookie, pageCookies } from './cookies.js'

export const CSRF_FIELD = 'csrf'

/** A browser cookie that a form token is bound to. */
export type CsrfCookie = PageCookie

/** The consent page's cookie (DESIGN §6: `SameSite=Lax`). */
export const CONSENT_CSRF_COOKIE: CsrfCookie = PAGE_COOKIES.consent

const MAX_LENGTH = 128
/** What this service sets (`randomToken`: base64url), up to `MAX_LENGTH`; anything else is not ours. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{1,128}$/

/**
 * Double-submit CSRF tokens for every form, consent page and admin pages alike: the form carries
 * HMAC(key, purpose ‖ cookie), where the purpose is what the form is about (a consent request id,
 * `admin`) and the cookie is this browser's. The key lives in the store, so every instance that
 * shares the store checks every other instance's tokens.
 */
/** A browser's cookie value, and the `Set-Cookie` that gives it one when it had none. */
export interface BrowserCookie {
  readonly value: string
  readonly setCookie: string | undefined
}

export interface Csrf {
  /** This browser's value of `cookie`, set now (`c.header`) when it has none (or a malformed one). */
  browserCookie(c: Context<AppEnv>, cookie: CsrfCookie): string
  /** As `browserCookie`, leaving the `Set-Cookie` to the caller. */
  readCookie(c: Context<AppEnv>, cookie: CsrfCookie): BrowserCookie
  /** The value of `cookie` this request carries, read as `browserCookie` reads it. */
  sentCookie(c: Context<AppEnv>, cookie: CsrfCookie): string | undefined
  token(purpose: string, cookieValue: string): Promise<string>
  verify(
    purpose: string,
    cookieValue: string | undefined,
    token: string | undefined,
  ): Promise<boolean>
  /** Throws 403 `invalid_csrf` unless `token` is this browser's token for `purpose`. */
  check(purpose: string, cookieValue: string | undefined, token: string | undefined): Promise<void>
}

/**
 * The shared secret the tokens are made with: the one every instance reads, made with `create` by
 * whichever asks first (the store's keys, handed in by app/deps).
 */
export type CsrfKeyLoader = (create: () => string) => Promise<string>

export function createCsrf(loadSecret: CsrfKeyLoader, options: { secure: boolean }): Csrf {
  const cookies = pageCookies(options)
  let key: Promise<KeyObject> | undefined
  // A key object, made once: given raw bytes, Node 24's `createHmac` takes 8 µs to wrap them on
  // every call, against 1.3 µs with the object (Node 20 costs the same either way).
  const loadKey = () => {
    key ??= loadSecret(() => randomBytes(32).toString('base64url'))
      .then((secret) => createSecretKey(Buffer.from(secret, 'base64url')))
      .catch((error: unknown) => {
        key = undefined
        throw error
      })
    return key
  }
  // Once loaded, the key is used as it is: a token needs no wait on every page.
  let loaded: KeyObject | undefined
  // A page's token is asked for again when its form comes back, and on every reload: kept for
  // the pages open lately, as the text the page carries. Keyed by purpose and cookie, which the
  // token is a function of; the key never changes while the process runs.
  const tokens = new LRUCache<string, string>({ max: limits.cache.csrfTokens })
  const tokenWith = (secret: KeyObject, purpose: string, cookieValue: string) => {
    const key = `${purpose}\u0000${cookieValue}`
    let token = tokens.get(key)
    if (token === undefined) {
      // Straight to text: a digest as a Buffer first is a backing store of its own.
      token = createHmac('sha256', secret).update(key).digest('base64url')
      tokens.set(key, token)
    }
    return token
  }
  /** `use` with the key: a settled promise once it is loaded, so a page waits on nothing else. */
  const withKey = <T>(use: (secret: KeyObject) => T): Promise<T> =>
    loaded
      ? Promise.resolve(use(loaded))
      : loadKey().then((secret) => {
          loaded = secret
          return use(secret)
        })
  // The token as the page carries it: compared as text, so only that exact text is accepted (a
  // decoded comparison would also take the other spellings of its last character's spare bits).
  const expectedToken = (purpose: string, cookieValue: string) =>
    withKey((secret) => Buffer.from(tokenWith(secret, purpose, cookieValue)))

  const csrf: Csrf = {
    browserCookie(c, cookie) {
      const { value, setCookie } = csrf.readCookie(c, cookie)
      if (setCookie) c.header('Set-Cookie', setCookie, { append: true })
      return value
    },
    sentCookie: (c, cookie) => cookies.read(c.req.header('cookie'), cookie, COOKIE_VALUE),
    readCookie(c, cookie) {
      const value = csrf.sentCookie(c, cookie)
      if (value) return { value, setCookie: undefined }
      const fresh = randomToken(32)
      return { value: fresh, setCookie: cookies.set(cookie, fresh) }
    },
    token: (purpose, cookieValue) => withKey((secret) => tokenWith(secret, purpose, cookieValue)),
    async verify(purpose, cookieValue, token) {
      if (!cookieValue || !token || cookieValue.length > MAX_LENGTH || token.length > MAX_LENGTH)
        return false
      const expected = await expectedToken(purpose, cookieValue)
      const given = Buffer.from(token)
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
    async check(purpose, cookieValue, token) {
      if (!(await csrf.verify(purpose, cookieValue, token)))
        throw new AppError(403, 'invalid_csrf', 'The form token does not match')
    },
  }
  return csrf
}
