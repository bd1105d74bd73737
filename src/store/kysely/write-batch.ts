import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../schema.js'
import { type EffectsLog, effectsLog } from './effects.js'

/**
 * Runs one write transaction of the request path; what the write's changes carry goes to `effects`,
 * written before the commit.
 */
export type WriteBatch = <T>(
  run: (trx: Transaction<Database>, effects: EffectsLog) => Promise<T>,
) => Promise<T>

type Run = (trx: Transaction<Database>, effects: EffectsLog) => Promise<unknown>

interface Job {
  run: Run
  resolve: (outcome: unknown) => void
  reject: (error: unknown) => void
}

/** Runs the writes in one transaction, then writes what they carry: their outcomes, in order. */
function transaction(db: Kysely<Database>, runs: readonly Run[]): Promise<unknown[]> {
  return db.transaction().execute(async (trx) => {
    const effects = effectsLog(trx)
    const outcomes: unknown[] = []
    for (const run of runs) outcomes.push(await run(trx, effects))
    await effects.write()
    return outcomes
  })
}

/**
 * The group-commit writer. With `grouped`, writes that arrive together (in one turn of the event
 * loop) run in one transaction: one durable commit (one fsync on SQLite) for the batch, each
 * write acknowledged only once it is committed, and the receipts, outbox rows and counts of all
 * of them written with one statement a table. Without it, each write is its own transaction.
 */
export function createWriteBatch(db: Kysely<Database>, grouped: boolean): WriteBatch {
  if (!grouped) return async <T>(run: Run) => (await transaction(db, [run]))[0] as T

  const queue: Job[] = []

  function flush(): void {
    const jobs = queue.splice(0)
    transaction(
      db,
      jobs.map((job) => job.run),
    ).then(
      (outcomes) => {
        for (const [i, job] of jobs.entries()) job.resolve(outcomes[i])
      },
      // The batch rolled back whole: each write gets its own transaction, and its own fate.
      async () => {
        for (const job of jobs) {
          await transaction(db, [job.run]).then(([outcome]) => job.resolve(outcome), job.reject)
        }
      },
    )
  }

  return <T>(run: Run) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (outcome: unknown) => void, reject })
      if (queue.length === 1) setImmediate(flush)
    })
}
