import type { Kysely } from 'kysely'

/**
 * The audit trail (DESIGN §5): every configuration change, by whom, when, with the state
 * before and after; and who opened each admin session, so console changes name them too.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute()
  await db.schema
    .createIndex('audit_log_tenant_at')
    .on('audit_log')
    .columns(['tenant_id', 'at', 'id'])
    .execute()
  await db.schema.alterTable('admin_sessions').addColumn('subject', 'text').execute()
}
