import type { Kysely } from 'kysely'

/**
 * The durations a client's prompt offers, and the one an accept chose (DESIGN §3.5.1); a tenant's
 * choices are kept with its other settings.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clients').addColumn('consent_duration_choices', 'text').execute()
  await db.schema.alterTable('consent_requests').addColumn('chosen_duration', 'integer').execute()
}
