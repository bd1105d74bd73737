import type { Kysely } from 'kysely'
import type { AdminSession } from '../../entities.js'
import type { Database } from '../schema.js'
import { iso, json, toAdminSession } from './rows.js'

export async function createAdminSession(
  db: Kysely<Database>,
  session: AdminSession,
  at: Date,
): Promise<void> {
  await db
    .insertInto('admin_sessions')
    .values({
      id: session.id,
      tenant_id: session.tenantId,
      scopes: json(session.scopes),
      created_at: iso(at),
      expires_at: iso(session.expiresAt),
      subject: session.subject ?? null,
    })
    .execute()
}

/** The session if it exists and has not expired at `at`. */
export async function findAdminSession(
  db: Kysely<Database>,
  id: string,
  at: Date,
): Promise<AdminSession | undefined> {
  const row = await db
    .selectFrom('admin_sessions')
    .selectAll()
    .where('id', '=', id)
    .where('expires_at', '>', iso(at))
    .executeTakeFirst()
  return row ? toAdminSession(row) : undefined
}

export async function deleteAdminSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('id', '=', id).execute()
}

/** Removes sessions expired at `at`; returns how many. */
export async function purgeExpiredAdminSessions(db: Kysely<Database>, at: Date): Promise<number> {
  const result = await db
    .deleteFrom('admin_sessions')
    .where('expires_at', '<=', iso(at))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
