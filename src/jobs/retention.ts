import type { Logger } from '../logger.js'
import type { Store } from '../store/port.js'

/** When the composition root runs the purge: once shortly after start, then every ten minutes. */
export const PURGE_SCHEDULE = { firstAfterMs: 30_000, everyMs: 10 * 60_000 } as const

export interface RetentionDeps {
  readonly store: Pick<Store, 'exclusive' | 'consentRequests' | 'adminSessions'>
  readonly now: () => Date
  readonly log: Logger
  /** How long an answered or expired consent request is kept (`ASSENT_REQUEST_RETENTION_SECONDS`). */
  readonly retentionSeconds: number
}

export interface Purged {
  readonly requests: number
  readonly adminSessions: number
}

/**
 * One purge (DESIGN §3.4): consent requests answered, or expired, more than the retention ago,
 * and admin sessions that have expired. Instances sharing a store take turns (`exclusive`), and
 * each delete is conditional on the time alone, so a second purge finds nothing left to do.
 */
export function purgeExpired(deps: RetentionDeps): Promise<Purged> {
  return deps.store.exclusive('purge', async () => {
    const now = deps.now()
    const before = new Date(now.getTime() - deps.retentionSeconds * 1000)
    const requests = await deps.store.consentRequests.purge(before)
    const adminSessions = await deps.store.adminSessions.purgeExpired(now)
    if (requests > 0 || adminSessions > 0) deps.log.info('purged', { requests, adminSessions })
    return { requests, adminSessions }
  })
}

export interface RetentionJob {
  /** Starts a purge unless one is running or the job has stopped; never rejects. */
  run(): Promise<void>
  /** Starts no more purges; resolves once the one running, if any, has ended. */
  stop(): Promise<void>
}

/** The purge as a background job: one at a time; a failure is logged and tried again next time. */
export function createRetentionJob(deps: RetentionDeps): RetentionJob {
  let running: Promise<void> | undefined
  let stopped = false
  return {
    run() {
      if (stopped) return Promise.resolve()
      running ??= purgeExpired(deps)
        .then(
          () => undefined,
          (error: unknown) => {
            deps.log.error('purge failed', {
              error:
                error instanceof Error
                  ? { name: error.name, message: error.message }
                  : String(error),
            })
          },
        )
        .finally(() => {
          running = undefined
        })
      return running
    },
    async stop() {
      stopped = true
      await running
    },
  }
}
