import type { Kysely } from 'kysely'

/**
 * The fields of Auth0's client and role models that Assent keeps without acting on them (DESIGN
 * §4.2.1), as JSON text per row, as resource servers keep theirs; `{}` for the rows that have none.
 * The tenant's settings are one JSON document already, so they keep theirs inside it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['clients', 'roles'])
    await db.schema
      .alterTable(table)
      .addColumn('auth0', 'text', (column) => column.notNull().defaultTo('{}'))
      .execute()
}
