import type { Kysely } from 'kysely'
import type { Tenant, TenantSettings } from '../../entities.js'
import type { Database } from '../schema.js'
import type { StoreContext } from './context.js'
import { iso, json, type Row, toTenant } from './rows.js'

async function withDomains(db: Kysely<Database>, row: Row<'tenants'>): Promise<Tenant> {
  const domains = await db
    .selectFrom('tenant_domains')
    .select('domain')
    .where('tenant_id', '=', row.id)
    .orderBy('domain')
    .execute()
  return toTenant(
    row,
    domains.map((d) => d.domain),
  )
}

export async function countTenants(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('tenants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Creates the tenant and its domains (stored lower-cased: host names are case-insensitive). */
export async function createTenant(
  { db, now }: StoreContext,
  { id, domains, settings }: { id: string; domains: string[]; settings: TenantSettings },
): Promise<Tenant> {
  const at = iso(now())
  const lowered = domains.map((d) => d.toLowerCase())
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('tenants')
      .values({ id, settings: json(settings), created_at: at, updated_at: at })
      .execute()
    for (const domain of lowered) {
      await trx.insertInto('tenant_domains').values({ domain, tenant_id: id }).execute()
    }
  })
  return { id, domains: lowered.sort(), settings, createdAt: new Date(at) }
}

export async function findTenant(db: Kysely<Database>, id: string): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? withDomains(db, row) : undefined
}

/** The tenant that has `host` among its domains. */
export async function findTenantByHost(
  db: Kysely<Database>,
  host: string,
): Promise<Tenant | undefined> {
  const domain = await db
    .selectFrom('tenant_domains')
    .select('tenant_id')
    .where('domain', '=', host.toLowerCase())
    .executeTakeFirst()
  return domain ? findTenant(db, domain.tenant_id) : undefined
}

/** The tenant when there is exactly one. */
export async function onlyTenant(db: Kysely<Database>): Promise<Tenant | undefined> {
  const rows = await db.selectFrom('tenants').selectAll().limit(2).execute()
  return rows.length === 1 && rows[0] ? withDomains(db, rows[0]) : undefined
}

export async function updateTenantSettings(
  { db, now }: StoreContext,
  id: string,
  settings: TenantSettings,
): Promise<Tenant | undefined> {
  const result = await db
    .updateTable('tenants')
    .set({ settings: json(settings), updated_at: iso(now()) })
    .where('id', '=', id)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n ? findTenant(db, id) : undefined
}
