import { AsyncLocalStorage } from 'node:async_hooks'
import type { AuditEntry } from '../entities.js'
import { sortableId } from '../ids.js'
import type { Page, Paged, Store } from '../store/port.js'

/** Who is making a change, and through what: set once per request by the edge that knows. */
export interface Actor {
  /** The token's subject, or `admin token`. */
  readonly subject: string
  readonly via: 'api' | 'console'
}

/**
 * The actor of the request being served. The Management API's authentication and the console's
 * session set it around the handler, so every service a request reaches records the same actor
 * without each signature carrying it.
 */
const actorContext = new AsyncLocalStorage<Actor>()

/** Runs `work` as `actor`: changes it makes are recorded under that name. */
export function asActor<T>(actor: Actor, work: () => T): T {
  return actorContext.run(actor, work)
}

const SYSTEM: Actor = { subject: 'system', via: 'api' }

/** The audit trail (issue 19 item 7): every configuration change, by whom, when, before/after. */
export function createAudit(store: Store, now: () => Date) {
  return {
    async record(
      tenantId: string,
      action: string,
      target: string,
      change: { before?: unknown; after?: unknown } = {},
    ): Promise<void> {
      const actor = actorContext.getStore() ?? SYSTEM
      const entry: AuditEntry = {
        id: sortableId(),
        tenantId,
        at: now(),
        actor: actor.subject,
        via: actor.via,
        action,
        target,
        before: change.before,
        after: change.after,
      }
      await store.auditLog.record(entry)
    },

    list: (tenantId: string, page: Page): Promise<Paged<AuditEntry>> =>
      store.auditLog.list(tenantId, page),
  }
}

export type Audit = ReturnType<typeof createAudit>
