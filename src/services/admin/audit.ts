import type { AuditEntry } from '../../entities.js'
import { sortableId } from '../../ids.js'
import type { Page, Paged, Store } from '../../store/port.js'

/**
 * Who is making a change, and through what: known at the edge (the Management API's token, the
 * console's session), set on the request's context there, and handed to every change it asks for.
 */
export interface Actor {
  /** The token's subject, `admin token`, or for `system` the part of the service that acted. */
  readonly subject: string
  /** `system`: the service itself, acting on a rule (a webhook endpoint dead for a day). */
  readonly via: 'api' | 'console' | 'system'
}

/** The audit trail (issue 19 item 7): every configuration change, by whom, when, before/after. */
export function createAudit(store: Store, now: () => Date) {
  return {
    /**
     * `change.users`: every user the entry names, wherever it names them (target, before,
     * after). Erasure finds the entry by these alone (DESIGN §3.6), so a user left out here
     * would stay in the trail after their erasure.
     */
    async record(
      actor: Actor,
      tenantId: string,
      action: string,
      target: string,
      change: { before?: unknown; after?: unknown; users?: readonly string[] } = {},
    ): Promise<void> {
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
        userIds: [...new Set(change.users ?? [])],
      }
      await store.auditLog.record(entry)
    },

    list: (tenantId: string, page: Page): Promise<Paged<AuditEntry>> =>
      store.auditLog.list(tenantId, page),
  }
}

export type Audit = ReturnType<typeof createAudit>
