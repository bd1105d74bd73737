import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** What the repository functions that write need beside the database. */
export interface StoreContext {
  readonly db: Kysely<Database>
  /** The clock; tests pass their own. */
  readonly now: () => Date
  /** Take row locks with `SELECT … FOR UPDATE` (PostgreSQL); SQLite serializes writers instead. */
  readonly lockRows: boolean
}
