import type { Kysely } from 'kysely'

/**
 * The id of the latest render of a prompt (DESIGN §3.2.2) in a column of its own, beside the page
 * itself (`shown`): an answer is written only while the page it was made on is still the latest,
 * and that condition is one comparison in the answer's conditional update.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consent_requests').addColumn('rendition', 'text').execute()
}
