import type { Insertable, Kysely } from 'kysely'
import type { ChosenDuration, Grant } from '../../entities.js'
import { newGrantId } from '../../ids.js'
import { copyWith } from '../../objects.js'
import type { Page, Paged, SideEffects } from '../port.js'
import type { Database } from '../schema.js'
import { recordEffects } from './effects.js'
import { mapPage, paged } from './paging.js'
import { prepared } from './prepared.js'
import { iso, json, list, type Row, toGrant } from './rows.js'

/** A grant is one per user, client and API. */
export interface GrantKey {
  readonly tenantId: string
  readonly userId: string
  readonly clientId: string
  readonly audience: string
}

// The upsert and the rewrite of mergeGrant, on the request path: compiled once (prepared.ts).
const upsertGrant = prepared((db, row: Required<Insertable<Database['grants']>>) =>
  db
    .insertInto('grants')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'user_id', 'client_id', 'audience'])
        .doUpdateSet({ updated_at: row.updated_at }),
    )
    .returningAll(),
)

const rewriteGrant = prepared((db, p: { id: string; scope: string; scope_details: string }) =>
  db
    .updateTable('grants')
    .set({ scope: p.scope, scope_details: p.scope_details })
    .where('id', '=', p.id),
)

/**
 * Adds scopes to a grant; run it inside a transaction. One upsert: a first grant is inserted
 * holding the scopes already; otherwise it returns the row as it stands, locked until the
 * transaction ends (PostgreSQL's `ON CONFLICT DO UPDATE` locks the row like an `UPDATE`; SQLite
 * runs one write transaction at a time), and the row is rewritten with the scopes merged, so two
 * merges never drop each other's scopes.
 */
export async function mergeGrant(
  trx: Kysely<Database>,
  at: Date,
  key: GrantKey,
  scopes: readonly string[],
  versions: Readonly<Record<string, number>> = {},
  chosen: ChosenDuration | null = null,
): Promise<Row<'grants'>> {
  const now = iso(at)
  // The duration the user picked for these scopes (§3.5.1); "until removed" needs no mark.
  const duration = chosen?.seconds != null ? { duration: chosen.seconds } : {}
  // What the user was just shown, and when: a lifetime and a version count from here (§3.5.1).
  // Defined, not assigned: a scope named `__proto__` is a key like any other. A scope granted
  // again takes this answer's duration, whatever an earlier answer chose.
  const shown = (details: Record<string, unknown>) =>
    Object.fromEntries([
      ...Object.entries(details),
      ...scopes.map((scope) => [
        scope,
        { version: Object.hasOwn(versions, scope) ? versions[scope] : 1, at: now, ...duration },
      ]),
    ])
  const id = newGrantId()
  const [row] = await upsertGrant(trx, {
    tenant_id: key.tenantId,
    id,
    user_id: key.userId,
    client_id: key.clientId,
    audience: key.audience,
    scope: json([...new Set(scopes)]),
    scope_details: json(shown({})),
    created_at: now,
    updated_at: now,
  })
  if (!row) throw new Error('grant upsert returned no row')
  if (row.id === id) return row
  const merged = json([...new Set([...list(row.scope), ...scopes])])
  const details = shown({ ...(row.scope_details ? JSON.parse(row.scope_details) : {}) })
  const set = { scope: merged, scope_details: json(details) }
  await rewriteGrant(trx, { id: row.id, ...set })
  return copyWith(row, set)
}

/** Adds imported scopes to a grant and records the import's receipt, in one transaction. */
export async function importGrant(
  db: Kysely<Database>,
  at: Date,
  key: GrantKey,
  scopes: readonly string[],
  versions: Readonly<Record<string, number>>,
  effects: SideEffects,
): Promise<Grant> {
  const row = await db.transaction().execute(async (trx) => {
    const merged = await mergeGrant(trx, at, key, scopes, versions)
    await recordEffects(trx, key.tenantId, effects, at)
    return merged
  })
  return toGrant(row)
}

export async function findGrant(db: Kysely<Database>, key: GrantKey): Promise<Grant | undefined> {
  const row = await db
    .selectFrom('grants')
    .selectAll()
    .where('tenant_id', '=', key.tenantId)
    .where('user_id', '=', key.userId)
    .where('client_id', '=', key.clientId)
    .where('audience', '=', key.audience)
    .executeTakeFirst()
  return row ? toGrant(row) : undefined
}

/** Grants in creation order, narrowed by whichever of user, client and API the filter names. */
export async function listGrants(
  db: Kysely<Database>,
  tenantId: string,
  filter: {
    userId?: string | undefined
    clientId?: string | undefined
    audience?: string | undefined
  },
  page: Page,
): Promise<Paged<Grant>> {
  let query = db.selectFrom('grants').selectAll().where('tenant_id', '=', tenantId)
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId)
  if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId)
  if (filter.audience !== undefined) query = query.where('audience', '=', filter.audience)
  return mapPage(await paged(query.orderBy('created_at').orderBy('id'), page), toGrant)
}

/** Which grants a removal takes: one by id, a user's to one client, or all of a user's. */
export type GrantSelection =
  | { readonly id: string }
  | { readonly userId: string; readonly clientId?: string | undefined }

/**
 * Removes the selected grants, with what their removal carries (receipts, webhook events), in
 * one transaction (DESIGN §3.6, §3.8); returns how many went.
 */
export async function deleteGrants(
  db: Kysely<Database>,
  tenantId: string,
  selection: GrantSelection,
  at: Date,
  effects?: (grants: readonly Grant[]) => SideEffects,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let query = trx.deleteFrom('grants').where('tenant_id', '=', tenantId)
    if ('id' in selection) query = query.where('id', '=', selection.id)
    else {
      query = query.where('user_id', '=', selection.userId)
      if (selection.clientId !== undefined)
        query = query.where('client_id', '=', selection.clientId)
    }
    const rows = await query.returningAll().execute()
    if (rows.length > 0) await recordEffects(trx, tenantId, effects?.(rows.map(toGrant)), at)
    return rows.length
  })
}
