import type { Kysely } from 'kysely'
import type { PortalSession } from '../../entities.js'
import type { Database } from '../schema.js'
import { iso, toPortalSession } from './rows.js'

export async function createPortalSession(
  db: Kysely<Database>,
  session: PortalSession,
): Promise<void> {
  await db
    .insertInto('portal_sessions')
    .values({
      id: session.id,
      tenant_id: session.tenantId,
      user_id: session.userId,
      kind: session.kind,
      return_to: session.returnTo,
      ui_locales: session.uiLocales,
      expires_at: iso(session.expiresAt),
    })
    .execute()
}

/** A single-use link: the delete is the lock, so of two racing opens one gets the session. */
export async function takePortalLink(
  db: Kysely<Database>,
  id: string,
  at: Date,
): Promise<PortalSession | undefined> {
  const row = await db
    .deleteFrom('portal_sessions')
    .where('id', '=', id)
    .where('kind', '=', 'link')
    .where('expires_at', '>', iso(at))
    .returningAll()
    .executeTakeFirst()
  return row ? toPortalSession(row) : undefined
}

export async function findPortalSession(
  db: Kysely<Database>,
  id: string,
  at: Date,
): Promise<PortalSession | undefined> {
  const row = await db
    .selectFrom('portal_sessions')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'session')
    .where('expires_at', '>', iso(at))
    .executeTakeFirst()
  return row ? toPortalSession(row) : undefined
}

export async function deletePortalSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('portal_sessions').where('id', '=', id).execute()
}
