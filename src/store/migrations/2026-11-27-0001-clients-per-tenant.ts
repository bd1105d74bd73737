import type { Kysely } from 'kysely'

/**
 * A client id is unique per tenant, not across tenants (DESIGN §6): the key of `clients` becomes
 * (tenant_id, client_id). SQLite cannot change a primary key in place, so the table is rebuilt —
 * created anew, copied, the old one dropped, the new one renamed — and the same rebuild serves
 * PostgreSQL, so both engines run one path. Nothing references `clients` by foreign key.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  // Kysely's migrator runs PostgreSQL's migrations in a transaction but not SQLite's; SQLite can
  // roll DDL back too, so there the rebuild takes its own: a failure leaves the old table whole.
  if (db.isTransaction) await rebuild(db)
  else await db.transaction().execute(rebuild)
}

const COLUMNS = [
  'tenant_id',
  'client_id',
  'name',
  'description',
  'logo_uri',
  'is_first_party',
  'callbacks',
  'app_type',
  'created_at',
  'updated_at',
]

// biome-ignore lint/suspicious/noExplicitAny: as above
async function rebuild(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clients_rebuilt')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('logo_uri', 'text')
    .addColumn('is_first_party', 'integer', (c) => c.notNull())
    .addColumn('callbacks', 'text', (c) => c.notNull())
    .addColumn('app_type', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('clients_pk', ['tenant_id', 'client_id'])
    .execute()
  await db
    .insertInto('clients_rebuilt')
    .columns(COLUMNS)
    .expression(db.selectFrom('clients').select(COLUMNS))
    .execute()
  await db.schema.dropTable('clients').execute()
  await db.schema.alterTable('clients_rebuilt').renameTo('clients').execute()
  await db.schema
    .createIndex('clients_tenant')
    .on('clients')
    .columns(['tenant_id', 'name'])
    .execute()
}
