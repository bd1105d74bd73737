import type { Kysely } from 'kysely'

/**
 * Consent the user controls (DESIGN §3.5–3.5.2): granular answers and required scopes on a
 * request; per-scope versions and grant times on a grant; verified clients and consent lifetimes;
 * and the last version of every scope an API ever had, so one removed and added back is asked
 * for again.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  const add = (table: string, column: string, type: 'text' | 'integer') =>
    db.schema.alterTable(table).addColumn(column, type).execute()
  await add('consent_requests', 'granular', 'integer')
  await add('consent_requests', 'required_scopes', 'text')
  await add('consent_requests', 'declined_scopes', 'text')
  await add('consent_requests', 'changed_scopes', 'text')
  await add('grants', 'scope_details', 'text')
  await add('clients', 'is_verified', 'integer')
  await add('clients', 'consent_lifetime', 'integer')
  await db.schema
    .createTable('scope_versions')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // The API's identifier: it outlives a deleted and re-created API, as grants do.
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('scope_versions_pk', ['tenant_id', 'audience', 'scope'])
    .execute()
}
