import { consentLifetime } from '../../consent/index.js'
import type { Client, Grant, Page, Paged, Tenant } from '../../entities.js'
import { AppError } from '../../errors.js'
import type { Store } from '../../store/port.js'
import { grantDeleted } from '../consent/evidence.js'

/** A grant, and the consent lifetime it counts for (`null`: until revoked). */
export interface ListedGrant {
  readonly grant: Grant
  readonly lifetimeSeconds: number | null
}

/** Grants for the Management API (DESIGN §4): listed with their lifetimes, revoked. */
export function createGrants(store: Store) {
  return {
    /** Where a consent lifetime applies, each grant carries it, to say when it stops counting. */
    async list(
      tenant: Tenant,
      filter: {
        userId?: string | undefined
        clientId?: string | undefined
        audience?: string | undefined
      },
      page: Page,
    ): Promise<Paged<ListedGrant>> {
      const { items, total } = await store.grants.list(tenant.id, filter, page)
      const clients = new Map<string, Promise<Client | undefined>>()
      const clientOf = (clientId: string) => {
        const known = clients.get(clientId)
        if (known) return known
        const found = store.clients.get(tenant.id, clientId)
        clients.set(clientId, found)
        return found
      }
      const listed = await Promise.all(
        items.map(async (grant) => ({
          grant,
          lifetimeSeconds: consentLifetime(await clientOf(grant.clientId), tenant.settings),
        })),
      )
      return { items: listed, total }
    },

    /** Revokes one grant; 404 `inexistent_grant` when the tenant has none by that id. */
    async remove(tenantId: string, id: string): Promise<void> {
      if (!(await store.grants.delete(tenantId, id, grantDeleted)))
        throw new AppError(404, 'inexistent_grant', 'The grant does not exist')
    },

    /** Revokes every grant of a user. */
    async removeForUser(tenantId: string, userId: string): Promise<void> {
      await store.grants.deleteForUser(tenantId, userId, grantDeleted)
    },
  }
}

export type Grants = ReturnType<typeof createGrants>
