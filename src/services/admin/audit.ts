import type { Actor, AuditEntry, Page, Paged } from '../../entities.js'
import { sortableId } from '../../ids.js'
import type { Store } from '../../store/port.js'

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
