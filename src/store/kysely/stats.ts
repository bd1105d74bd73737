import type { Insertable, Kysely, OnConflictBuilder, QueryCreator } from 'kysely'
import type { StatCount } from '../../entities.js'
import type { Database } from '../schema.js'

export const dayOf = (at: Date) => at.toISOString().slice(0, 10)

/** One count as stored: for a tenant, a day, a client, a metric and a scope. */
export type StatRow = Insertable<Database['consent_stats']>

/** The rows of `counts`, on the day of `at`. */
export function statRows(
  tenantId: string,
  counts: readonly Omit<StatCount, 'day'>[],
  at: Date,
): StatRow[] {
  const day = dayOf(at)
  return counts.map(({ clientId, metric, scope, count }) => ({
    tenant_id: tenantId,
    day,
    client_id: clientId,
    metric,
    scope,
    count,
  }))
}

/**
 * `rows` with the rows of one key summed, and zeros left out: PostgreSQL refuses a statement that
 * updates one row twice.
 */
export function summedStats(rows: readonly StatRow[]): StatRow[] {
  const summed = new Map<string, StatRow>()
  for (const row of rows) {
    if (row.count === 0) continue
    const key = [row.tenant_id, row.day, row.client_id, row.metric, row.scope].join('\u0000')
    const seen = summed.get(key)
    if (seen) seen.count += row.count
    else summed.set(key, Object.assign({}, row))
  }
  return [...summed.values()]
}

/** A count inserted for a key that has one adds to it, the database doing the sum. */
export const addingToCount = (oc: OnConflictBuilder<Database, 'consent_stats'>) =>
  oc.columns(['tenant_id', 'day', 'client_id', 'metric', 'scope']).doUpdateSet((eb) => ({
    count: eb('consent_stats.count', '+', eb.ref('excluded.count')),
  }))

/** The upsert adding `rows` (summed, at most 500) to the counts. */
export const statsUpsert = (db: QueryCreator<Database>, rows: readonly StatRow[]) =>
  db.insertInto('consent_stats').values(rows).onConflict(addingToCount)

/** Adds `rows` to the counts: one upsert for them all (up to 500 keys a statement). */
export async function upsertStats(db: Kysely<Database>, rows: readonly StatRow[]): Promise<void> {
  const all = summedStats(rows)
  for (let i = 0; i < all.length; i += 500) await statsUpsert(db, all.slice(i, i + 500)).execute()
}

/** Adds to the counts of the day of `at`. */
export const addStats = (
  db: Kysely<Database>,
  tenantId: string,
  counts: readonly Omit<StatCount, 'day'>[],
  at: Date,
): Promise<void> => upsertStats(db, statRows(tenantId, counts, at))

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
