import { type Kysely, PostgresAdapter } from 'kysely'
import type { Database } from '../schema.js'

/** What the repository functions that write need beside the database. */
export interface StoreContext {
  readonly db: Kysely<Database>
  /** The clock; tests pass their own. */
  readonly now: () => Date
  /** Take row locks with `SELECT … FOR UPDATE` (PostgreSQL); SQLite serializes writers instead. */
  readonly lockRows: boolean
}

/**
 * Whether `db` speaks to PostgreSQL, where a round trip costs the server more CPU than the
 * statement: steps of one statement go without `BEGIN`/`COMMIT`, and writes that belong together
 * are one data-modifying `WITH` (SQLite has neither need nor the `WITH`).
 */
export const isPostgres = (db: Kysely<Database>) =>
  db.getExecutor().adapter instanceof PostgresAdapter
