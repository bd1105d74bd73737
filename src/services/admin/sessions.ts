import { sha256 } from '../../digest.js'
import type { AdminSession } from '../../entities.js'
import { randomToken } from '../../ids.js'
import type { Store } from '../../store/port.js'

/** How long a console session lasts at most (DESIGN §5). */
export const SESSION_SECONDS = 8 * 60 * 60

/** What signing in with a verified management token opens. */
export interface SessionGrant {
  readonly tenantId: string
  readonly scopes: ReadonlySet<string> | 'all'
  readonly subject: string | null
  /** Seconds the token has left (`null`: it does not expire). */
  readonly secondsLeft: number | null
}

/**
 * Console sessions (DESIGN §5, §6): the browser holds a random secret, the store only its hash,
 * so a read of the store opens no session.
 */
export function createAdminSessions(store: Store, now: () => Date) {
  const idOf = (secret: string) => sha256(secret, 'hex')
  return {
    /**
     * Opens a session for a verified token: its secret (for the cookie) and how many seconds it
     * lasts, which is never past the end of the token it was opened with (DESIGN §6).
     */
    async open(grant: SessionGrant): Promise<{ secret: string; seconds: number }> {
      const secret = randomToken(32)
      const at = now()
      const seconds = Math.min(SESSION_SECONDS, grant.secondsLeft ?? SESSION_SECONDS)
      await store.adminSessions.purgeExpired(at)
      await store.adminSessions.create(
        {
          id: idOf(secret),
          tenantId: grant.tenantId,
          scopes: grant.scopes === 'all' ? 'all' : [...grant.scopes],
          expiresAt: new Date(at.getTime() + seconds * 1000),
          subject: grant.subject,
        },
        at,
      )
      return { secret, seconds }
    },

    /** The live session of `tenantId` a cookie's secret opens, if any. */
    async find(tenantId: string, secret: string | undefined): Promise<AdminSession | undefined> {
      if (!secret) return undefined
      const session = await store.adminSessions.get(idOf(secret), now())
      return session?.tenantId === tenantId ? session : undefined
    },

    close: (session: AdminSession): Promise<void> => store.adminSessions.delete(session.id),
  }
}

export type AdminSessions = ReturnType<typeof createAdminSessions>
