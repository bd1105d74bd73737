import type { Kysely } from 'kysely'

/**
 * What a consent request may carry beyond the redirect flow (DESIGN §3.1, §3.10): a device
 * sign-in's flow, user code and device name, and the AS's "Not you?" URL.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['flow', 'user_code', 'device_name', 'switch_account_url'])
    await db.schema.alterTable('consent_requests').addColumn(column, 'text').execute()
}
