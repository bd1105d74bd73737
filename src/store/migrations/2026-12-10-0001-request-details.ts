import type { Kysely } from 'kysely'

/**
 * The RFC 9396 entries a consent request carries (DESIGN §3.9), as JSON text, and which of them
 * the user approved (their indexes, as JSON text; `null` until answered). Requests without
 * entries keep both `null`.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['authorization_details', 'approved_details'])
    await db.schema.alterTable('consent_requests').addColumn(column, 'text').execute()
}
