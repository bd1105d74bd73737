import type { Kysely } from 'kysely'

/**
 * The RFC 9396 detail types an API accepts, with their schemas and templates (DESIGN §3.9), as
 * JSON text like its scopes; `[]` for the APIs that declare none.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('resource_servers')
    .addColumn('authorization_details', 'text', (column) => column.notNull().defaultTo('[]'))
    .execute()
}
