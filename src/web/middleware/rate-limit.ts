import type { Context, MiddlewareHandler } from 'hono'
import ipaddr from 'ipaddr.js'
import type pg from 'pg'
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from 'rate-limiter-flexible'
import { AppError } from '../../errors.js'
import type { Metrics } from '../../metrics.js'
import type { AppEnv } from '../context.js'
import { clientAddressOf } from '../edge/client-address.js'

/** A limit of `perMinute` hits per key and minute; 0 turns it off. */
export interface RateLimiter {
  /** Counts a hit; resolves to 0 when allowed, else the milliseconds until the next is. */
  take(key: string): Promise<number>
}

export interface RateLimitOptions {
  readonly name: string
  readonly perMinute: number
  /**
   * PostgreSQL pool: the counters live in the database, shared by every instance (DESIGN §6), so
   * N instances do not allow N times the limit. Absent (SQLite, one process): in memory.
   */
  readonly pool?: pg.Pool | undefined
}

/**
 * A fixed one-minute window per key (`rate-limiter-flexible`). In memory, a key lives only for
 * its window, so the counters are bounded by the keys seen in one minute. With PostgreSQL, a
 * database that does not answer falls back to a per-instance memory limiter rather than
 * refusing or waving everyone through.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  if (options.perMinute <= 0) return { take: async () => 0 }
  const shape = { keyPrefix: `assent_${options.name}`, points: options.perMinute, duration: 60 }
  const memory = new RateLimiterMemory(shape)
  const limiter: RateLimiterAbstract = options.pool
    ? new RateLimiterPostgres({
        ...shape,
        storeClient: options.pool,
        storeType: 'pool',
        tableName: 'rate_limits',
        // Made by the migrations (2026-11-27-0012), never by the limiter as it starts.
        tableCreated: true,
        insuranceLimiter: memory,
      })
    : memory
  return {
    async take(key) {
      try {
        await limiter.consume(key)
        return 0
      } catch (refused) {
        if (refused instanceof RateLimiterRes) return Math.max(1, refused.msBeforeNext)
        throw refused
      }
    },
  }
}

/**
 * The key of a client address: IPv4 as it is (an IPv4-mapped IPv6 address as its IPv4), IPv6 by
 * its /64, which one subscriber usually holds whole — keyed per address, one host could spread a
 * flood over 2^64 keys. Parsed by `ipaddr.js`, so every spelling of one /64 (leading zeros, case,
 * `::`, a zone) is one key. Anything that is not an address (`unknown`) is its own key.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address
  const parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv4') return parsed.toString()
  const ipv6 = parsed as ipaddr.IPv6
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().toString()
  return `${new ipaddr.IPv6([...ipv6.parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`
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
