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
  })
}
