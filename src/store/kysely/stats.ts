import type { Kysely } from 'kysely'
import type { StatCount } from '../../entities.js'
import type { Database } from '../schema.js'

const dayOf = (at: Date) => at.toISOString().slice(0, 10)

/** Adds to the day's counts: one upsert per count, the increment done by the database. */
export async function addStats(
  db: Kysely<Database>,
  tenantId: string,
  counts: readonly Omit<StatCount, 'day'>[],
  at: Date,
): Promise<void> {
  const day = dayOf(at)
  for (const count of counts) {
    if (count.count === 0) continue
    await db
      .insertInto('consent_stats')
      .values({
        tenant_id: tenantId,
        day,
        client_id: count.clientId,
        metric: count.metric,
        scope: count.scope,
        count: count.count,
      })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'day', 'client_id', 'metric', 'scope']).doUpdateSet((eb) => ({
          count: eb('consent_stats.count', '+', eb.ref('excluded.count')),
        })),
      )
      .execute()
  }
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
