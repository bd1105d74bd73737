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
      opened: session.opened,
    })
    .execute()
}

/**
 * Uses a link, once, in one transaction: the conditional update that marks it used is the lock, so
 * of two racing uses one gets a session. The used link is kept as long as the session `open` makes
 * of it, naming it, so the browser holding that session can reopen the link.
 */
export async function usePortalLink(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  at: Date,
  open: (link: PortalSession) => PortalSession,
): Promise<PortalSession | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('portal_sessions')
      .set({ kind: 'used' })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'link')
      .where('expires_at', '>', iso(at))
      .returningAll()
      .executeTakeFirst()
    if (!row) return undefined
    const session = open(toPortalSession(row))
    await trx
      .updateTable('portal_sessions')
      .set({ opened: session.id, expires_at: iso(session.expiresAt) })
      .where('id', '=', id)
      .execute()
    await createPortalSession(trx, session)
    return session
  })
}

/** A link, used or not, until it expires (a used one lasts as long as its session). */
export async function findPortalLink(
  db: Kysely<Database>,
  id: string,
  at: Date,
): Promise<PortalSession | undefined> {
  const row = await db
    .selectFrom('portal_sessions')
    .selectAll()
    .where('id', '=', id)
    .where('kind', 'in', ['link', 'used'])
    .where('expires_at', '>', iso(at))
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
