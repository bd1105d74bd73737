import type { Context, MiddlewareHandler } from 'hono'
import { AppError } from '../../errors.js'
import type { Metrics } from '../../metrics.js'
import type { AppEnv } from '../context.js'
import { clientAddressOf } from '../edge/client-address.js'

/**
 * A limit of hits per key and minute. Where its counters live (this process, or the database the
 * instances share) is decided where it is built, from the store (`src/store/rate-limits.ts`).
 */
export interface RateLimiter {
  /** Counts a hit; resolves to 0 when allowed, else the milliseconds until the next is. */
  take(key: string): Promise<number>
}

/**
 * The key of a client address: IPv4 as it is, IPv6 by its /64, which one subscriber usually
 * holds whole — keyed per address, one host could spread a flood over 2^64 keys.
 */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1]) return mapped[1]
  const [head = '', tail = ''] = address.toLowerCase().split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = address.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left
  return `${groups.slice(0, 4).join(':')}::/64`
}

/** The rate-limit key of the request's client address. */
export const byAddress = (c: Context<AppEnv>): string => addressKey(clientAddressOf(c))

/** Takes a hit for `key`, or refuses with 429 and `Retry-After` (counted under `name`). */
export async function enforceLimit(
  name: string,
  limiter: RateLimiter,
  key: string,
  metrics: Metrics,
): Promise<void> {
  const wait = await limiter.take(key)
  if (wait <= 0) return
  metrics.rateLimited.inc({ limit: name })
  throw new AppError(429, 'too_many_requests', 'Too many requests, try again later', {
    'Retry-After': String(Math.ceil(wait / 1000)),
  })
}

/** `enforceLimit` as middleware, keyed by something of the request. */
export function rateLimit(
  name: string,
  limiter: RateLimiter,
  keyOf: (c: Context<AppEnv>) => string,
  metrics: Metrics,
): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    await enforceLimit(name, limiter, keyOf(c), metrics)
    await next()
  }
}
