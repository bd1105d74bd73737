import type { Kysely } from 'kysely'
import { randomToken } from '../../ids.js'
import type { SideEffects } from '../port.js'
import type { Database } from '../schema.js'
import { iso, json, list } from './rows.js'
import { addStats } from './stats.js'

/**
 * Writes what a change carries — its receipt, and one outbox row per subscribed endpoint for each
 * event — in the change's own transaction (DESIGN §3.6, §3.8): a change that commits has its
 * receipt and its events, and a change that rolls back has neither.
 */
export async function recordEffects(
  trx: Kysely<Database>,
  tenantId: string,
  effects: SideEffects | undefined,
  at: Date,
): Promise<void> {
  if (!effects) return
  if (effects.stats?.length) await addStats(trx, tenantId, effects.stats, at)
  const { receipt } = effects
  if (receipt) {
    await trx
      .insertInto('consent_receipts')
      .values({
        tenant_id: tenantId,
        id: receipt.id,
        user_id: receipt.userId,
        client_id: receipt.clientId,
        action: receipt.action,
        claims: json(receipt.claims),
        jws: receipt.jws,
        recorded_at: iso(receipt.recordedAt),
      })
      .execute()
  }
  if (!effects.events?.length) return
  const endpoints =
    effects.endpoints ??
    (
      await trx
        .selectFrom('webhooks')
        .select(['id', 'events'])
        .where('tenant_id', '=', tenantId)
        .execute()
    ).map((row) => ({ id: row.id, events: list(row.events) }))
  const rows = effects.events.flatMap((event) =>
    endpoints
      .filter((endpoint) => endpoint.events.includes(event.type))
      .map((endpoint) => ({
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
      })),
  )
  if (rows.length > 0) await trx.insertInto('webhook_outbox').values(rows).execute()
}
