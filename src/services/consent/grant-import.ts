import { isStandardScope, scopeVersion } from '../../consent/index.js'
import type { Grant, Tenant } from '../../entities.js'
import { AppError } from '../../errors.js'
import type { Store } from '../../store/port.js'
import type { ReceiptService } from './receipts.js'

export interface GrantImportInput {
  readonly userId: string
  readonly clientId: string
  readonly audience: string
  readonly scopes: readonly string[]
  /** Where the consent was given, e.g. `auth0`; the receipt says so. */
  readonly source: string
}

export interface GrantImportResult {
  readonly grant: Grant
  /** The import's receipt; `null` when the grant already held every scope and nothing changed. */
  readonly receiptId: string | null
}

/**
 * Imports a consent given elsewhere (DESIGN §4.2.1): the grant holds the scopes at the versions
 * the API defines now, so the user is not asked again for what they already allowed, and an
 * `import` receipt, with no lines and no page, says where it came from. A scope the user already
 * holds keeps its version and time: an import never refreshes what the user answered here, so it
 * cannot hide a changed description from them. Importing what is already held writes nothing.
 */
export interface GrantImport {
  import(tenant: Tenant, input: GrantImportInput): Promise<GrantImportResult>
}

export function createGrantImport(deps: {
  store: Store
  receipts: ReceiptService
  now: () => Date
}): GrantImport {
  const { store } = deps
  return {
    async import(tenant, input) {
      const client = await store.clients.get(tenant.id, input.clientId)
      if (!client)
        throw new AppError(404, 'inexistent_client', `The client ${input.clientId} does not exist`)
      const api = await store.resourceServers.find(tenant.id, input.audience)
      if (!api)
        throw new AppError(
          404,
          'inexistent_resource_server',
          `The resource server ${input.audience} does not exist`,
        )
      // Only what the API defines can count in a prompt (DESIGN §4): anything else would be a
      // grant of nothing, or of a scope someone defines later without the user having seen it.
      const defined = new Set(api.scopes.map((scope) => scope.value))
      const undefinedScopes = input.scopes.filter(
        (scope) => !defined.has(scope) && !isStandardScope(scope),
      )
      if (undefinedScopes.length > 0)
        throw new AppError(
          400,
          'invalid_body',
          `Payload validation error: scopes not defined by the resource server: ${undefinedScopes.join(' ')}`,
        )
      const existing = await store.grants.find(
        tenant.id,
        input.userId,
        input.clientId,
        input.audience,
      )
      const held = new Set(existing?.scope ?? [])
      const fresh = [...new Set(input.scopes)].filter((scope) => !held.has(scope))
      if (existing && fresh.length === 0) return { grant: existing, receiptId: null }
      const versions: Record<string, number> = {}
      for (const scope of fresh)
        Object.defineProperty(versions, scope, {
          value: scopeVersion(api, scope),
          enumerable: true,
          writable: true,
          configurable: true,
        })
      const at = deps.now()
      const receipt = await deps.receipts.issue(
        tenant,
        {
          user_id: input.userId,
          client_id: input.clientId,
          client_name: client.name,
          audience: input.audience,
          action: 'import',
          source: input.source,
          granted_scopes: fresh,
          declined_scopes: [],
          lines: [],
          locale: null,
          mode: null,
          shown_at: null,
          answered_at: null,
        },
        at,
      )
      const grant = await store.grants.import(
        tenant.id,
        { userId: input.userId, clientId: input.clientId, audience: input.audience },
        fresh,
        versions,
        { receipt },
      )
      return { grant, receiptId: receipt.id }
    },
  }
}
