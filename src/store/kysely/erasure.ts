import type { ExpressionBuilder, Kysely, Transaction } from 'kysely'
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
    await eraseFromAudit(trx, tenantId, userId)
  })
}

/** What an erased user's id reads as in an audit entry kept for the other users it names. */
export const ERASED_USER = '[erased]'

/**
 * The audit trail keeps what admins did, but not to whom: an entry naming only the user goes; one
 * naming others too stays for them, the user's id redacted. Entries are found by the ids stored
 * apart from their text (`audit_log_users`), compared with `=`: whatever the id holds (`e`, `%`,
 * `_`, `"`, `\`), it matches itself and nothing else.
 */
async function eraseFromAudit(trx: Transaction<Database>, tenantId: string, userId: string) {
  const naming = trx
    .selectFrom('audit_log_users')
    .select('entry_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
  const namesOthers = (eb: ExpressionBuilder<Database, 'audit_log'>) =>
    eb.exists(
      eb
        .selectFrom('audit_log_users as other')
        .select('other.entry_id')
        .whereRef('other.entry_id', '=', 'audit_log.id')
        .where('other.user_id', '<>', userId),
    )
  const shared = await trx
    .selectFrom('audit_log')
    .select(['id', 'target', 'before', 'after'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', naming)
    .where(namesOthers)
    .execute()
  await trx
    .deleteFrom('audit_log')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', naming)
    .where((eb) => eb.not(namesOthers(eb)))
    .execute()
  await trx
    .deleteFrom('audit_log_users')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute()
  const redactText = (text: string | null) =>
    text === null ? null : JSON.stringify(redact(JSON.parse(text), userId))
  for (const row of shared)
    await trx
      .updateTable('audit_log')
      .set({
        target: row.target === userId ? ERASED_USER : row.target,
        before: redactText(row.before),
        after: redactText(row.after),
      })
      .where('id', '=', row.id)
      .execute()
}

/** `value` with every string equal to `userId` replaced; a string merely containing it stays. */
function redact(value: unknown, userId: string): unknown {
  if (value === userId) return ERASED_USER
  if (Array.isArray(value)) return value.map((item) => redact(item, userId))
  if (typeof value === 'object' && value !== null)
    // fromEntries defines each key as an own property, `__proto__` included.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redact(item, userId)]),
    )
  return value
}
