import type pg from 'pg'
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from 'rate-limiter-flexible'

export interface RateLimitOptions {
  readonly name: string
  readonly perMinute: number
  /**
   * PostgreSQL pool: the counters live in the database, shared by every instance (DESIGN §6), so
   * N instances do not allow N times the limit. Absent (SQLite, one process): in memory.
   */
  readonly pool?: pg.Pool | undefined
}

/** What a limiter does: counts a hit; resolves to 0 when allowed, else the ms until the next is. */
export interface HitCounter {
  take(key: string): Promise<number>
}

/**
 * A limit of `perMinute` hits per key and minute (0 turns it off): a fixed one-minute window per
 * key (`rate-limiter-flexible`). In memory, a key lives only for its window, so the counters are
 * bounded by the keys seen in one minute. With PostgreSQL, a database that does not answer falls
 * back to a per-instance memory limiter rather than refusing or waving everyone through. The
 * web layer takes it as its `RateLimiter`.
 */
export function createRateLimiter(options: RateLimitOptions): HitCounter {
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
