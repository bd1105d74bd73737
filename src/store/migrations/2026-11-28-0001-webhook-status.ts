import type { Kysely } from 'kysely'

/**
 * Fair webhook delivery (DESIGN §3.8): an endpoint's status (`disabled` after a day of failed
 * attempts) and since when its attempts have been failing; and an index that finds one
 * endpoint's due events, so each claim takes a few from each endpoint instead of the oldest of all.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhooks')
    .addColumn('status', 'text', (column) => column.notNull().defaultTo('enabled'))
    .execute()
  await db.schema.alterTable('webhooks').addColumn('failing_since', 'text').execute()
  await db.schema
    .createIndex('webhook_outbox_endpoint')
    .on('webhook_outbox')
    .columns(['webhook_id', 'state', 'next_attempt_at'])
    .execute()
}
