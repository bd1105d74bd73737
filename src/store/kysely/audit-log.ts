import type { Kysely } from 'kysely'
import type { AuditEntry } from '../../entities.js'
import type { Page, Paged } from '../port.js'
import type { Database } from '../schema.js'
import { mapPage, paged } from './paging.js'
import { iso } from './rows.js'

const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value))

/** The entry and, row by row, the users it names, together. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('audit_log')
      .values({
        id: entry.id,
        tenant_id: entry.tenantId,
        at: iso(entry.at),
        actor: entry.actor,
        via: entry.via,
        action: entry.action,
        target: entry.target,
        before: jsonOrNull(entry.before),
        after: jsonOrNull(entry.after),
      })
      .execute()
    const userIds = [...new Set(entry.userIds)]
    if (userIds.length > 0)
      await trx
        .insertInto('audit_log_users')
        .values(
          userIds.map((userId) => ({
            tenant_id: entry.tenantId,
            entry_id: entry.id,
            user_id: userId,
          })),
        )
        .execute()
  })
}

/** Newest first; ids are sortable, so entries of one millisecond keep their order. */
export async function listAudit(
  db: Kysely<Database>,
  tenantId: string,
  page: Page,
): Promise<Paged<AuditEntry>> {
  const rows = await paged(
    db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc'),
    page,
  )
  const named = new Map<string, string[]>()
  if (rows.items.length > 0) {
    const users = await db
      .selectFrom('audit_log_users')
      .select(['entry_id', 'user_id'])
      .where('tenant_id', '=', tenantId)
      .where(
        'entry_id',
        'in',
        rows.items.map((row) => row.id),
      )
      .execute()
    for (const { entry_id, user_id } of users)
      named.set(entry_id, [...(named.get(entry_id) ?? []), user_id])
  }
  // Sorted here: the engines' collations order text differently.
  for (const ids of named.values()) ids.sort()
  return mapPage(rows, (row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    at: new Date(row.at),
    actor: row.actor,
    via: row.via === 'console' || row.via === 'system' ? row.via : 'api',
    action: row.action,
    target: row.target,
    before: row.before === null ? undefined : (JSON.parse(row.before) as unknown),
    after: row.after === null ? undefined : (JSON.parse(row.after) as unknown),
    userIds: named.get(row.id) ?? [],
  }))
}
