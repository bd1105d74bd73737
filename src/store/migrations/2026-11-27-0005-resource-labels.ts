import type { Kysely } from 'kysely'

/**
 * Resource labels (DESIGN §4.2): an API's own words for its resources, per locale, as JSON text
 * like its scopes; `{}` for the APIs that have none yet.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('resource_servers')
    .addColumn('consent_resources', 'text', (column) => column.notNull().defaultTo('{}'))
    .execute()
}
