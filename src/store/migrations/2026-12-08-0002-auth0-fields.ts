import type { Kysely } from 'kysely'

/**
 * The fields of Auth0's models that Assent keeps without acting on them (DESIGN §4.2.1), as JSON
 * text per row; `{}` for the rows that have none.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('resource_servers')
    .addColumn('auth0', 'text', (column) => column.notNull().defaultTo('{}'))
    .execute()
}
