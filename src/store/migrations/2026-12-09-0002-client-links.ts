import type { Kysely } from 'kysely'

/**
 * A client's links (home page, privacy policy, terms) and whether it registered itself, with
 * when (DESIGN §2, §3.10).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['client_uri', 'policy_uri', 'tos_uri', 'registered_at'])
    await db.schema.alterTable('clients').addColumn(column, 'text').execute()
  await db.schema.alterTable('clients').addColumn('is_dynamic', 'integer').execute()
}
