import type { Kysely } from 'kysely'

/**
 * Verified answers and browser binding (DESIGN §3.2, §3.4): the browser a request is bound to, the
 * verifier its answer handed out, and when the authorization server redeemed it. Each is kept as
 * a SHA-256: a copy of the database answers for no browser and redeems no answer.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['binding_hash', 'verifier_hash', 'verified_at']) {
    await db.schema.alterTable('consent_requests').addColumn(column, 'text').execute()
  }
}
