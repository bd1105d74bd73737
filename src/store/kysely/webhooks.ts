import type { Kysely } from 'kysely'
import type { OutboxItem, Webhook, WebhookDelivery, WebhookEventType } from '../../entities.js'
import { randomToken } from '../../ids.js'
import type { AttemptOutcome, Page, Paged } from '../port.js'
import type { Database } from '../schema.js'
import { mapPage, paged } from './paging.js'
import { iso, json, toDelivery, toWebhook } from './rows.js'

export async function createWebhook(
  db: Kysely<Database>,
  tenantId: string,
  hook: Webhook,
): Promise<Webhook> {
  await db
    .insertInto('webhooks')
    .values({
      tenant_id: tenantId,
      id: hook.id,
      url: hook.url,
      events: json(hook.events),
      secret: hook.secret,
      created_at: iso(hook.createdAt),
    })
    .execute()
  return hook
}

export async function listWebhooks(db: Kysely<Database>, tenantId: string): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toWebhook)
}

export async function findWebhook(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<Webhook | undefined> {
  const row = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toWebhook(row) : undefined
}

export async function deleteWebhook(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom('webhooks')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (result.numDeletedRows === 0n) return false
    await trx.deleteFrom('webhook_outbox').where('webhook_id', '=', id).execute()
    await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute()
    return true
  })
}

export async function listDeliveries(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  page: Page,
): Promise<Paged<WebhookDelivery>> {
  const query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('webhook_id', '=', id)
    .orderBy('at', 'desc')
    .orderBy('id')
  return mapPage(await paged(query, page), toDelivery)
}

/**
 * Leases due events to this worker: the conditional update is the lock, so one event goes to one
 * worker at a time; on PostgreSQL the candidates are picked `FOR UPDATE SKIP LOCKED`, so workers
 * of several instances take different events instead of waiting on each other.
 */
export async function claimOutbox(
  db: Kysely<Database>,
  lockRows: boolean,
  at: Date,
  limit: number,
  leaseMs: number,
): Promise<OutboxItem[]> {
  const now = iso(at)
  return db.transaction().execute(async (trx) => {
    let due = trx
      .selectFrom('webhook_outbox')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
    if (lockRows) due = due.forUpdate().skipLocked()
    const ids = (await due.execute()).map((row) => row.id)
    if (ids.length === 0) return []
    const rows = await trx
      .updateTable('webhook_outbox')
      .set({ locked_until: iso(new Date(at.getTime() + leaseMs)) })
      .where('id', 'in', ids)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returningAll()
      .execute()
    if (rows.length === 0) return []
    const hooks = await trx
      .selectFrom('webhooks')
      .select(['id', 'url', 'secret'])
      .where(
        'id',
        'in',
        rows.map((row) => row.webhook_id),
      )
      .execute()
    const byId = new Map(hooks.map((hook) => [hook.id, hook]))
    // An event written for an endpoint as it was being removed (the change read the tenant's
    // endpoints just before) goes with the endpoint, as the removal's own cleanup would have done.
    const orphans = rows.filter((row) => !byId.has(row.webhook_id)).map((row) => row.id)
    if (orphans.length > 0)
      await trx.deleteFrom('webhook_outbox').where('id', 'in', orphans).execute()
    return rows.flatMap((row) => {
      const hook = byId.get(row.webhook_id)
      if (!hook) return []
      return [
        {
          id: row.id,
          tenantId: row.tenant_id,
          webhookId: row.webhook_id,
          messageId: row.message_id,
          type: row.type as WebhookEventType,
          userId: row.user_id,
          payload: row.payload,
          createdAt: new Date(row.created_at),
          attempts: row.attempts,
          url: hook.url,
          secret: hook.secret,
        },
      ]
    })
  })
}

export async function settleOutbox(
  db: Kysely<Database>,
  item: OutboxItem,
  outcome: AttemptOutcome,
  at: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_deliveries')
      .values({
        id: randomToken(12),
        tenant_id: item.tenantId,
        webhook_id: item.webhookId,
        outbox_id: item.id,
        message_id: item.messageId,
        type: item.type,
        user_id: item.userId,
        attempt: item.attempts + 1,
        status: outcome.status,
        error: outcome.error,
        at: iso(at),
      })
      .execute()
    await trx
      .updateTable('webhook_outbox')
      .set({
        attempts: item.attempts + 1,
        locked_until: null,
        state: outcome.delivered ? 'delivered' : outcome.nextAttemptAt ? 'pending' : 'failed',
        ...(outcome.nextAttemptAt ? { next_attempt_at: iso(outcome.nextAttemptAt) } : {}),
      })
      .where('id', '=', item.id)
      .execute()
  })
}
