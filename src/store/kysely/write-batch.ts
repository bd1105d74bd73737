import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../schema.js'

/** Runs one write transaction of the request path. */
export type WriteBatch = <T>(run: (trx: Transaction<Database>) => Promise<T>) => Promise<T>

interface Job {
  run: (trx: Transaction<Database>) => Promise<unknown>
  resolve: (outcome: unknown) => void
  reject: (error: unknown) => void
}

/**
 * The group-commit writer. With `grouped`, writes that arrive together (in one turn of the event
 * loop) run in one transaction: one durable commit (one fsync on SQLite) for the batch, each
 * write acknowledged only once it is committed. Without it, each write is its own transaction.
 */
export function createWriteBatch(db: Kysely<Database>, grouped: boolean): WriteBatch {
  if (!grouped) return (run) => db.transaction().execute(run)

  const queue: Job[] = []

  function flush(): void {
    const jobs = queue.splice(0)
    db.transaction()
      .execute(async (trx) => {
        const outcomes: unknown[] = []
        for (const job of jobs) outcomes.push(await job.run(trx))
        return outcomes
      })
      .then(
        (outcomes) => {
          for (const [i, job] of jobs.entries()) job.resolve(outcomes[i])
        },
        // The batch rolled back whole: each write gets its own transaction, and its own fate.
        async () => {
          for (const job of jobs) {
            await db
              .transaction()
              .execute((trx) => job.run(trx))
              .then(job.resolve, job.reject)
          }
        },
      )
  }

  return <T>(run: (trx: Transaction<Database>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (outcome: unknown) => void, reject })
      if (queue.length === 1) setImmediate(flush)
    })
}
