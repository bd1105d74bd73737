import type { Kysely } from 'kysely'

/**
 * A used portal link is kept, as `kind = 'used'`, for as long as the session it opened lasts,
 * with that session's id: the browser that used it can reopen it and land on its page, while any
 * other browser still finds it spent (DESIGN §3.7).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('portal_sessions').addColumn('opened', 'text').execute()
}
