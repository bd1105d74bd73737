import type { Kysely } from 'kysely'

/** Server-side sessions of the admin pages (DESIGN §5). */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admin_sessions')
    // The SHA-256 of the cookie's value: a copy of the database opens no session.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('admin_sessions_expiry')
    .on('admin_sessions')
    .columns(['expires_at'])
    .execute()
}
