import type { Kysely } from 'kysely'
import { type ApiScope, type LabelChange, nextScopeVersions } from '../../consent/index.js'
import type { NewResourceServer, ResourceServer, ResourceServerChanges } from '../../entities.js'
import type { Page, Paged } from '../port.js'
import type { Database } from '../schema.js'
import { conflictAs } from './conflict.js'
import type { StoreContext } from './context.js'
import { mapPage, paged } from './paging.js'
import { dropPermissionsOnApi } from './rbac.js'
import { bit, iso, json, type Row, toResourceServer } from './rows.js'

/**
 * The API's scopes with their versions (DESIGN §3.5.1), and each version remembered beyond the
 * scope's removal, so a scope added back is a new version; run it inside the write's transaction.
 */
async function versioned(
  trx: Kysely<Database>,
  tenantId: string,
  audience: string,
  previous: readonly ApiScope[],
  next: readonly ApiScope[],
  labels?: LabelChange,
): Promise<ApiScope[]> {
  const rows = await trx
    .selectFrom('scope_versions')
    .select(['scope', 'version'])
    .where('tenant_id', '=', tenantId)
    .where('audience', '=', audience)
    .execute()
  const known = new Map(rows.map((r) => [r.scope, r.version]))
  const scopes = nextScopeVersions(previous, next, known, labels)
  for (const scope of scopes) {
    const version = scope.version ?? 1
    await trx
      .insertInto('scope_versions')
      .values({ tenant_id: tenantId, audience, scope: scope.value, version })
      .onConflict((oc) => oc.columns(['tenant_id', 'audience', 'scope']).doUpdateSet({ version }))
      .execute()
  }
  return scopes
}

/** Throws `ConflictError` when the identifier is taken in this tenant. */
export async function createResourceServer(
  { db, now }: StoreContext,
  tenantId: string,
  server: NewResourceServer,
): Promise<ResourceServer> {
  return db.transaction().execute(async (trx) => {
    const scopes = await versioned(trx, tenantId, server.identifier, [], server.scopes)
    return insertResourceServer(trx, now(), tenantId, { ...server, scopes })
  })
}

async function insertResourceServer(
  db: Kysely<Database>,
  now: Date,
  tenantId: string,
  server: NewResourceServer,
): Promise<ResourceServer> {
  const at = iso(now)
  const row = {
    tenant_id: tenantId,
    id: server.id,
    identifier: server.identifier,
    name: server.name,
    scopes: json(server.scopes),
    consent_resources: json(server.consentResources ?? {}),
    authorization_details: json(server.authorizationDetails ?? []),
    enforce_policies: bit(server.enforcePolicies),
    allow_offline_access: bit(server.allowOfflineAccess),
    skip_consent_for_verifiable_first_party_clients: bit(
      server.skipConsentForVerifiableFirstPartyClients,
    ),
    token_dialect: server.tokenDialect,
    token_lifetime: server.tokenLifetime,
    signing_alg: server.signingAlg,
    is_system: bit(server.isSystem),
    created_at: at,
    updated_at: at,
  }
  await conflictAs('resource_server', () => db.insertInto('resource_servers').values(row).execute())
  return toResourceServer(row)
}

/** By `id`, or else by `identifier` (the audience). */
export async function findResourceServer(
  db: Kysely<Database>,
  tenantId: string,
  idOrIdentifier: string,
): Promise<ResourceServer | undefined> {
  const rows = await db
    .selectFrom('resource_servers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('id', '=', idOrIdentifier), eb('identifier', '=', idOrIdentifier)]))
    .execute()
  const row = rows.find((r) => r.id === idOrIdentifier) ?? rows[0]
  return row ? toResourceServer(row) : undefined
}

export async function listResourceServers(
  db: Kysely<Database>,
  tenantId: string,
  page: Page,
): Promise<Paged<ResourceServer>> {
  const query = db
    .selectFrom('resource_servers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
  return mapPage(await paged(query, page), toResourceServer)
}

/** Applies the changes; permissions on scopes no longer defined go, in the same transaction. */
export async function updateResourceServer(
  { db, now }: StoreContext,
  tenantId: string,
  id: string,
  changes: ResourceServerChanges,
): Promise<ResourceServer | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('resource_servers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!current) return undefined
    const set: Partial<Row<'resource_servers'>> = { updated_at: iso(now()) }
    if (changes.name !== undefined) set.name = changes.name
    if (changes.scopes !== undefined || changes.consentResources !== undefined) {
      // A label is part of what a grouped line says: changing it asks again (DESIGN §3.5.1).
      const stored = toResourceServer(current)
      const labels = {
        before: stored.consentResources,
        after: changes.consentResources ?? stored.consentResources,
      }
      set.scopes = json(
        await versioned(
          trx,
          tenantId,
          current.identifier,
          stored.scopes,
          changes.scopes ?? stored.scopes,
          labels,
        ),
      )
    }
    if (changes.consentResources !== undefined)
      set.consent_resources = json(changes.consentResources)
    if (changes.authorizationDetails !== undefined)
      set.authorization_details = json(changes.authorizationDetails)
    if (changes.enforcePolicies !== undefined) set.enforce_policies = bit(changes.enforcePolicies)
    if (changes.allowOfflineAccess !== undefined)
      set.allow_offline_access = bit(changes.allowOfflineAccess)
    if (changes.skipConsentForVerifiableFirstPartyClients !== undefined) {
      set.skip_consent_for_verifiable_first_party_clients = bit(
        changes.skipConsentForVerifiableFirstPartyClients,
      )
    }
    if (changes.tokenDialect !== undefined) set.token_dialect = changes.tokenDialect
    if (changes.tokenLifetime !== undefined) set.token_lifetime = changes.tokenLifetime
    if (changes.signingAlg !== undefined) set.signing_alg = changes.signingAlg
    await trx.updateTable('resource_servers').set(set).where('id', '=', id).execute()
    if (changes.scopes !== undefined) {
      // A permission names a scope of the API; with the scope gone, so is the permission.
      await dropPermissionsOnApi(
        trx,
        tenantId,
        current.identifier,
        changes.scopes.map((scope) => scope.value),
      )
    }
    return toResourceServer({ ...current, ...set })
  })
}

/** Removes the API and every permission on it. */
export async function deleteResourceServer(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('resource_servers')
      .select('identifier')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!current) return false
    await dropPermissionsOnApi(trx, tenantId, current.identifier)
    await trx.deleteFrom('resource_servers').where('id', '=', id).execute()
    return true
  })
}
