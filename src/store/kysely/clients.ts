import { type Kysely, sql } from 'kysely'
import type {
  Client,
  ClientChanges,
  ClientFilter,
  DurationChoice,
  NewClient,
} from '../../entities.js'
import type { Page, Paged } from '../port.js'
import type { Database } from '../schema.js'
import { conflictAs } from './conflict.js'
import type { StoreContext } from './context.js'
import { containsPattern } from './like.js'
import { mapPage, paged } from './paging.js'
import { bit, iso, json, type Row, toClient } from './rows.js'

const choicesJson = (choices: readonly DurationChoice[] | null | undefined) =>
  choices == null ? null : json(choices)

/** Throws `ConflictError` when the client id is taken in this tenant. */
export async function createClient(
  { db, now }: StoreContext,
  tenantId: string,
  client: NewClient,
): Promise<Client> {
  const at = iso(now())
  const row = {
    tenant_id: tenantId,
    client_id: client.clientId,
    name: client.name,
    description: client.description,
    logo_uri: client.logoUri,
    is_first_party: bit(client.isFirstParty),
    callbacks: json(client.callbacks),
    app_type: client.appType,
    created_at: at,
    updated_at: at,
    is_verified: bit(client.isVerified ?? true),
    consent_lifetime: client.consentLifetime ?? null,
    client_uri: client.clientUri ?? null,
    policy_uri: client.policyUri ?? null,
    tos_uri: client.tosUri ?? null,
    is_dynamic: bit(client.isDynamic ?? false),
    // A self-registered app's registration is its creation here.
    registered_at: client.isDynamic ? at : null,
    consent_duration_choices: choicesJson(client.consentDurationChoices),
    auth0: json(client.auth0 ?? {}),
  }
  await conflictAs('client', () => db.insertInto('clients').values(row).execute())
  return toClient(row)
}

export async function findClient(
  db: Kysely<Database>,
  tenantId: string,
  clientId: string,
): Promise<Client | undefined> {
  const row = await db
    .selectFrom('clients')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('client_id', '=', clientId)
    .executeTakeFirst()
  return row ? toClient(row) : undefined
}

/** The tenant's clients, only those `filter` matches when given (Auth0's `GET /clients` filters). */
export async function listClients(
  db: Kysely<Database>,
  tenantId: string,
  page: Page,
  filter: ClientFilter = {},
): Promise<Paged<Client>> {
  let query = db.selectFrom('clients').selectAll().where('tenant_id', '=', tenantId)
  if (filter.isFirstParty !== undefined)
    query = query.where('is_first_party', '=', bit(filter.isFirstParty))
  if (filter.appTypes) query = query.where('app_type', 'in', [...filter.appTypes])
  if (filter.q) {
    // Any part of the name or the id, whatever its case, with one escape on SQLite and PostgreSQL.
    const pattern = containsPattern(filter.q)
    query = query.where(
      sql<boolean>`(lower(name) like ${pattern} escape '\\' or lower(client_id) like ${pattern} escape '\\')`,
    )
  }
  // `is_dynamic` is null for clients made before it existed: those did not register themselves.
  if (filter.isDynamic === true) query = query.where('is_dynamic', '=', 1)
  else if (filter.isDynamic === false)
    query = query.where((eb) => eb.or([eb('is_dynamic', 'is', null), eb('is_dynamic', '=', 0)]))
  return mapPage(await paged(query.orderBy('created_at').orderBy('client_id'), page), toClient)
}

export async function updateClient(
  { db, now }: StoreContext,
  tenantId: string,
  clientId: string,
  changes: ClientChanges,
): Promise<Client | undefined> {
  const set: Partial<Row<'clients'>> = { updated_at: iso(now()) }
  if (changes.name !== undefined) set.name = changes.name
  if (changes.description !== undefined) set.description = changes.description
  if (changes.logoUri !== undefined) set.logo_uri = changes.logoUri
  if (changes.isFirstParty !== undefined) set.is_first_party = bit(changes.isFirstParty)
  if (changes.callbacks !== undefined) set.callbacks = json(changes.callbacks)
  if (changes.appType !== undefined) set.app_type = changes.appType
  if (changes.isVerified !== undefined) set.is_verified = bit(changes.isVerified)
  if (changes.consentLifetime !== undefined) set.consent_lifetime = changes.consentLifetime
  if (changes.clientUri !== undefined) set.client_uri = changes.clientUri
  if (changes.policyUri !== undefined) set.policy_uri = changes.policyUri
  if (changes.tosUri !== undefined) set.tos_uri = changes.tosUri
  if (changes.consentDurationChoices !== undefined)
    set.consent_duration_choices = choicesJson(changes.consentDurationChoices)
  if (changes.auth0 !== undefined) set.auth0 = json(changes.auth0)
  const result = await db
    .updateTable('clients')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('client_id', '=', clientId)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n ? findClient(db, tenantId, clientId) : undefined
}

/**
 * Removes the client, its grants and its consent requests (DESIGN §3.2: a request whose client was
 * deleted is gone), so a client created again with the same id starts with nothing. Requests go
 * first: an answer racing the delete either finds its request gone, or has merged its grant before
 * the delete reaches the request's row — and the grants, deleted next, include it.
 */
export async function deleteClient(
  db: Kysely<Database>,
  tenantId: string,
  clientId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('consent_requests')
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .execute()
    await trx
      .deleteFrom('grants')
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .execute()
    const result = await trx
      .deleteFrom('clients')
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  })
}
