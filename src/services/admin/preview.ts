import type { Client, ResourceServer } from '../../entities.js'
import type { Store } from '../../store/port.js'
import { askedAgain } from './asked-again.js'

/** How many APIs and clients the preview's pickers list. */
const LISTED = { page: 0, perPage: 100 }

/** What the admin preview (DESIGN §5) shows a prompt for. */
export interface PreviewSubjects {
  readonly apis: ResourceServer[]
  readonly clients: Client[]
  /** The API named (by identifier or id), else the first; `null` when the tenant has none. */
  readonly api: ResourceServer | null
  /** The client named, else the first; `null` when the tenant has none. */
  readonly client: Client | null
  /** Per scope of the API, how many users will be asked for it again (see `askedAgain`). */
  readonly askedAgain: Map<string, number> | undefined
}

/** The tenant-flag preview's data: the APIs and clients to pick from, and the one picked. */
export function createPreview(store: Store) {
  return {
    async subjects(
      tenantId: string,
      picked: { audience?: string | undefined; clientId?: string | undefined },
    ): Promise<PreviewSubjects> {
      const [apis, clients] = await Promise.all([
        store.resourceServers.list(tenantId, LISTED),
        store.clients.list(tenantId, LISTED),
      ])
      const { audience, clientId } = picked
      const api =
        (audience
          ? apis.items.find((a) => a.identifier === audience || a.id === audience)
          : apis.items[0]) ?? null
      const client =
        (clientId ? clients.items.find((x) => x.clientId === clientId) : clients.items[0]) ?? null
      return {
        apis: apis.items,
        clients: clients.items,
        api,
        client,
        askedAgain: api ? await askedAgain(store, tenantId, api) : undefined,
      }
    },
  }
}

export type Preview = ReturnType<typeof createPreview>
