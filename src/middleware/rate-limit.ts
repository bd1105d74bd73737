import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app/types.js'
import { AppError } from '../errors.js'
import type { Metrics } from '../metrics.js'

/**
 * A token bucket per key: `perMinute` tokens refill evenly, up to `burst`. Per instance and in
 * memory; `perMinute` 0 turns the limit off.
 */
export function createRateLimiter(options: {
  perMinute: number
  burst: number
  now: () => number
}) {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const rate = options.perMinute / 60_000
  return {
    /** Takes a token; returns 0 when allowed, else the milliseconds until one is back. */
    take(key: string): number {
      if (options.perMinute <= 0) return 0
      const now = options.now()
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: now }
      bucket.tokens = Math.min(options.burst, bucket.tokens + (now - bucket.at) * rate)
      bucket.at = now
      if (buckets.size > 100_000) buckets.clear()
      buckets.set(key, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.ceil((1 - bucket.tokens) / rate)
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>

/** Takes a token for `key`, or refuses with 429 and `Retry-After` (counted under `name`). */
export function enforceLimit(
  name: string,
  limiter: RateLimiter,
  key: string,
  metrics: Metrics,
): void {
  const wait = limiter.take(key)
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
    enforceLimit(name, limiter, keyOf(c), metrics)
    await next()
  }
}
