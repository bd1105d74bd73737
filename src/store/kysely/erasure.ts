import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** The tables holding a user's data, and the column naming the user. */
const USER_TABLES = [
  'grants',
  'consent_requests',
  'consent_receipts',
  'user_permissions',
  'user_roles',
  'portal_sessions',
  'webhook_outbox',
  'webhook_deliveries',
  'users',
] as const

/**
 * The right to erasure (GDPR Art. 17; DESIGN §3.6): everything about the user in this tenant,
 * in one transaction.
 */
export async function eraseUser(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of USER_TABLES) {
      await trx
        .deleteFrom(table)
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .execute()
    }
    // The audit trail keeps what admins did, but not to whom: entries naming the user go.
    // Matched here rather than with LIKE, whose wildcards (`_`) ids are full of.
    const named = await trx
      .selectFrom('audit_log')
      .select(['id', 'target', 'before', 'after'])
      .where('tenant_id', '=', tenantId)
      .execute()
    const ids = named
      .filter((row) => [row.target, row.before, row.after].some((text) => text?.includes(userId)))
      .map((row) => row.id)
    for (let i = 0; i < ids.length; i += 500)
      await trx
        .deleteFrom('audit_log')
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()
  })
}
