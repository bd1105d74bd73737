import { type Insertable, type Kysely, type QueryCreator, sql } from 'kysely'
import { randomToken } from '../../ids.js'
import type { SideEffects } from '../port.js'
import type { Database } from '../schema.js'
import { isPostgres } from './context.js'
import { iso, json, list } from './rows.js'
import { type StatRow, statRows, statsUpsert, summedStats, upsertStats } from './stats.js'

/** Rows a multi-row insert takes at most: far under either engine's limit on parameters. */
const CHUNK = 500

/**
 * What the changes of one transaction carry (DESIGN §3.6, §3.8) — their receipts, one outbox row
 * per subscribed endpoint for each event, their insight counts — gathered as each change is made
 * and written before the transaction commits: a change that commits has its receipt and its
 * events, and a change that rolls back has neither. Nothing in the transaction reads them back,
 * so a group commit (write-batch.ts) writes those of all its changes with one statement a table.
 */
export interface EffectsLog {
  /** Adds what a change carries; reads the tenant's endpoints when the change does not bring them. */
  add(tenantId: string, effects: SideEffects | undefined, at: Date): Promise<void>
  /** Writes what was added, and forgets it. */
  write(): Promise<void>
}

type Receipt = Insertable<Database['consent_receipts']>
type Outbox = Insertable<Database['webhook_outbox']>

/**
 * The rows of each table inserted by one statement (PostgreSQL's data-modifying `WITH`): a
 * statement is a round trip, which costs the server more CPU than writing the rows.
 */
async function writeTogether(
  trx: Kysely<Database>,
  receipts: readonly Receipt[],
  outbox: readonly Outbox[],
  stats: readonly StatRow[],
): Promise<void> {
  const parts: ((qc: QueryCreator<Database>) => { execute(): Promise<unknown> })[] = []
  if (receipts.length > 0) parts.push((qc) => qc.insertInto('consent_receipts').values(receipts))
  if (outbox.length > 0) parts.push((qc) => qc.insertInto('webhook_outbox').values(outbox))
  if (stats.length > 0) parts.push((qc) => statsUpsert(qc, stats))
  const [first, ...rest] = parts
  if (!first) return
  // The names are made here, so Kysely cannot type what each part returns: nothing reads them.
  let query = trx.with('w0', (qc) => first(qc) as never)
  for (const [i, part] of rest.entries()) query = query.with(`w${i + 1}`, (qc) => part(qc) as never)
  await query.selectNoFrom(sql<number>`1`.as('written')).execute()
}

export function effectsLog(trx: Kysely<Database>): EffectsLog {
  const postgres = isPostgres(trx)
  let receipts: Insertable<Database['consent_receipts']>[] = []
  let outbox: Insertable<Database['webhook_outbox']>[] = []
  let stats: StatRow[] = []

  async function endpointsOf(tenantId: string, effects: SideEffects) {
    if (effects.endpoints) return effects.endpoints
    const rows = await trx
      .selectFrom('webhooks')
      .select(['id', 'events'])
      .where('tenant_id', '=', tenantId)
      .execute()
    return rows.map((row) => ({ id: row.id, events: list(row.events) }))
  }

  return {
    async add(tenantId, effects, at) {
      if (!effects) return
      if (effects.stats?.length) stats.push(...statRows(tenantId, effects.stats, at))
      const { receipt } = effects
      if (receipt) {
        receipts.push({
          tenant_id: tenantId,
          id: receipt.id,
          user_id: receipt.userId,
          client_id: receipt.clientId,
          action: receipt.action,
          claims: json(receipt.claims),
          jws: receipt.jws,
          recorded_at: iso(receipt.recordedAt),
        })
      }
      if (!effects.events?.length) return
      const endpoints = await endpointsOf(tenantId, effects)
      for (const event of effects.events) {
        for (const endpoint of endpoints) {
          if (!endpoint.events.includes(event.type)) continue
          outbox.push({
            id: randomToken(16),
            tenant_id: tenantId,
            webhook_id: endpoint.id,
            message_id: event.id,
            type: event.type,
            user_id: event.userId,
            payload: json({ type: event.type, timestamp: iso(at), data: event.payload }),
            created_at: iso(at),
            next_attempt_at: iso(at),
            attempts: 0,
            locked_until: null,
            state: 'pending',
          })
        }
      }
    },

    async write() {
      const written = { receipts, outbox, stats }
      receipts = []
      outbox = []
      stats = []
      if (postgres) {
        const summed = summedStats(written.stats)
        if (Math.max(written.receipts.length, written.outbox.length, summed.length) <= CHUNK)
          return writeTogether(trx, written.receipts, written.outbox, summed)
      }
      for (let i = 0; i < written.receipts.length; i += CHUNK)
        await trx
          .insertInto('consent_receipts')
          .values(written.receipts.slice(i, i + CHUNK))
          .execute()
      for (let i = 0; i < written.outbox.length; i += CHUNK)
        await trx
          .insertInto('webhook_outbox')
          .values(written.outbox.slice(i, i + CHUNK))
          .execute()
      await upsertStats(trx, written.stats)
    },
  }
}

/** Writes what one change carries, in its transaction. */
export async function recordEffects(
  trx: Kysely<Database>,
  tenantId: string,
  effects: SideEffects | undefined,
  at: Date,
): Promise<void> {
  const log = effectsLog(trx)
  await log.add(tenantId, effects, at)
  await log.write()
}
