import type { Insertable, Kysely } from 'kysely'
import type { StatCount } from '../../entities.js'
import type { Database } from '../schema.js'

const dayOf = (at: Date) => at.toISOString().slice(0, 10)

/**
 * Adds to the day's counts: one upsert for them all, the increments done by the database. Counts
 * of one key are summed first: PostgreSQL refuses a statement that updates one row twice.
 */
export async function addStats(
  db: Kysely<Database>,
  tenantId: string,
  counts: readonly Omit<StatCount, 'day'>[],
  at: Date,
): Promise<void> {
  const day = dayOf(at)
  const rows = new Map<string, Insertable<Database['consent_stats']>>()
  for (const { clientId, metric, scope, count } of counts) {
    if (count === 0) continue
    const key = `${clientId}\u0000${metric}\u0000${scope}`
    const row = rows.get(key)
    if (row) row.count += count
    else rows.set(key, { tenant_id: tenantId, day, client_id: clientId, metric, scope, count })
  }
  if (rows.size === 0) return
  await db
    .insertInto('consent_stats')
    .values([...rows.values()])
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'day', 'client_id', 'metric', 'scope']).doUpdateSet((eb) => ({
        count: eb('consent_stats.count', '+', eb.ref('excluded.count')),
      })),
    )
    .execute()
}

export async function statsRange(
  db: Kysely<Database>,
  tenantId: string,
  fromDay: string,
  toDay: string,
): Promise<StatCount[]> {
  const rows = await db
    .selectFrom('consent_stats')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('day')
    .execute()
  return rows.map((row) => ({
    day: row.day,
    clientId: row.client_id,
    metric: row.metric as StatCount['metric'],
    scope: row.scope,
    count: Number(row.count),
  }))
}
