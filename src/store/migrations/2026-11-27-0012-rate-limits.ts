import type { Kysely } from 'kysely'

/**
 * The shared rate-limit counters of several instances on PostgreSQL (DESIGN §6), in the shape
 * `rate-limiter-flexible` reads and writes. Created here, with the rest of the schema, rather than
 * by the library as each limiter starts: instances starting together raced to create it, and the
 * loser stopped with `type "rate_limits" already exists`. `if not exists`: a database where the
 * library created it already keeps its counters. Unused by SQLite, whose single process counts in
 * memory; created there too, so both databases hold one schema.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .ifNotExists()
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute()
}
