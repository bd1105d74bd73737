import type { Kysely } from 'kysely'

/**
 * Daily counts of how prompts were answered (DESIGN §5), kept apart from consent
 * requests, which are purged after a day: per client, prompts shown, accepted and denied, and per
 * scope how often it was unticked.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('consent_stats')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    // `shown`, `accepted`, `denied`, or `unticked` (with the scope).
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('consent_stats_pk', [
      'tenant_id',
      'day',
      'client_id',
      'metric',
      'scope',
    ])
    .execute()
}
