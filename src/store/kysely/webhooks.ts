import type { Kysely, Updateable } from 'kysely'
import type { OutboxItem, Webhook, WebhookDelivery, WebhookEventType } from '../../entities.js'
import { randomToken } from '../../ids.js'
import type { AttemptOutcome, Page, Paged, WebhookChanges } from '../port.js'
import type { Database } from '../schema.js'
import { mapPage, paged } from './paging.js'
import { iso, json, list, type Row } from './rows.js'

function toWebhook(row: Row<'webhooks'>): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: list(row.events) as WebhookEventType[],
    secret: row.secret,
    createdAt: new Date(row.created_at),
    status: row.status === 'disabled' ? 'disabled' : 'enabled',
  }
}

function toDelivery(row: Row<'webhook_deliveries'>): WebhookDelivery {
  return {
    id: row.id,
    messageId: row.message_id,
    type: row.type as WebhookEventType,
    attempt: row.attempt,
    status: row.status,
    error: row.error,
    at: new Date(row.at),
  }
}

export async function createWebhook(
  db: Kysely<Database>,
  lockRows: boolean,
  tenantId: string,
  hook: Omit<Webhook, 'status'>,
  max: number | undefined,
): Promise<Webhook | undefined> {
  return db.transaction().execute(async (trx) => {
    if (max !== undefined) {
      // Endpoints added at once are counted one after the other: the tenant's row is the lock
      // (PostgreSQL); SQLite runs one transaction at a time.
      if (lockRows)
        await trx
          .selectFrom('tenants')
          .select('id')
          .where('id', '=', tenantId)
          .forUpdate()
          .execute()
      const { count } = await trx
        .selectFrom('webhooks')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow()
      if (Number(count) >= max) return undefined
    }
    await trx
      .insertInto('webhooks')
      .values({
        tenant_id: tenantId,
        id: hook.id,
        url: hook.url,
        events: json(hook.events),
        secret: hook.secret,
        created_at: iso(hook.createdAt),
        status: 'enabled',
        failing_since: null,
      })
      .execute()
    return { ...hook, status: 'enabled' as const }
  })
}

export async function updateWebhook(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  changes: WebhookChanges,
): Promise<Webhook | undefined> {
  const set: Updateable<Database['webhooks']> = {
    ...(changes.url !== undefined ? { url: changes.url } : {}),
    ...(changes.events !== undefined ? { events: json(changes.events) } : {}),
    ...(changes.status !== undefined ? { status: changes.status } : {}),
    // Enabled again: its day of failures starts with its next failure.
    ...(changes.status === 'enabled' ? { failing_since: null } : {}),
  }
  if (Object.keys(set).length === 0) return findWebhook(db, tenantId, id)
  const row = await db
    .updateTable('webhooks')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
  return row ? toWebhook(row) : undefined
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

/** An endpoint with events due: its tenant, how many, and since when the oldest has waited. */
export interface DueEndpoint {
  readonly tenantId: string
  readonly webhookId: string
  readonly due: number
  readonly oldest: string
  /** Events of it other claims hold now. */
  readonly leased: number
}

/**
 * How many events to take from each endpoint: the tenants take turns, the one waiting longest
 * first, each turn going to the tenant's next endpoint with room — so a tenant with twenty
 * endpoints gets no more than one with one, and no endpoint more than `perEndpoint` at once.
 */
export function fairShares(
  endpoints: readonly DueEndpoint[],
  limit: number,
  perEndpoint: number,
): Map<string, number> {
  const byTenant = new Map<string, DueEndpoint[]>()
  for (const endpoint of [...endpoints].sort((a, b) => a.oldest.localeCompare(b.oldest))) {
    const list = byTenant.get(endpoint.tenantId) ?? []
    list.push(endpoint)
    byTenant.set(endpoint.tenantId, list)
  }
  const shares = new Map<string, number>()
  const room = (e: DueEndpoint) =>
    Math.min(e.due, perEndpoint - e.leased) - (shares.get(e.webhookId) ?? 0)
  const turn = new Map<string, number>()
  let taken = 0
  while (taken < limit) {
    let progress = false
    for (const [tenantId, list] of byTenant) {
      if (taken >= limit) break
      const start = turn.get(tenantId) ?? 0
      for (let i = 0; i < list.length; i++) {
        const endpoint = list[(start + i) % list.length]
        if (!endpoint || room(endpoint) <= 0) continue
        shares.set(endpoint.webhookId, (shares.get(endpoint.webhookId) ?? 0) + 1)
        turn.set(tenantId, start + i + 1)
        taken++
        progress = true
        break
      }
    }
    if (!progress) break
  }
  return shares
}

/**
 * Leases due events to this worker: the conditional update is the lock, so one event goes to one
 * worker at a time; on PostgreSQL the candidates are picked `FOR UPDATE SKIP LOCKED`, so workers
 * of several instances take different events instead of waiting on each other. Which events is
 * `fairShares`' choice, not the oldest of all: one endpoint's backlog never fills a claim.
 */
export async function claimOutbox(
  db: Kysely<Database>,
  lockRows: boolean,
  at: Date,
  limit: number,
  leaseMs: number,
  perEndpoint = Number.POSITIVE_INFINITY,
): Promise<OutboxItem[]> {
  const now = iso(at)
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('webhook_outbox as o')
      .leftJoin('webhooks as w', 'w.id', 'o.webhook_id')
      .select((eb) => [
        'o.tenant_id',
        'o.webhook_id',
        eb.fn.countAll().as('due'),
        eb.fn.min('o.next_attempt_at').as('oldest'),
      ])
      .where('o.state', '=', 'pending')
      .where('o.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('o.locked_until', 'is', null), eb('o.locked_until', '<=', now)]))
      // A disabled endpoint's events wait; one whose endpoint is gone is taken, to be dropped.
      .where((eb) => eb.or([eb('w.status', 'is', null), eb('w.status', '=', 'enabled')]))
      .groupBy(['o.tenant_id', 'o.webhook_id'])
      .execute()
    if (due.length === 0) return []
    const leased = new Map<string, number>()
    if (Number.isFinite(perEndpoint)) {
      const rows = await trx
        .selectFrom('webhook_outbox')
        .select((eb) => ['webhook_id', eb.fn.countAll().as('count')])
        .where('state', '=', 'pending')
        .where('locked_until', '>', now)
        .groupBy('webhook_id')
        .execute()
      for (const row of rows) leased.set(row.webhook_id, Number(row.count))
    }
    const shares = fairShares(
      due.map((row) => ({
        tenantId: row.tenant_id,
        webhookId: row.webhook_id,
        due: Number(row.due),
        oldest: String(row.oldest),
        leased: leased.get(row.webhook_id) ?? 0,
      })),
      limit,
      perEndpoint,
    )
    const ids: string[] = []
    for (const [webhookId, count] of shares) {
      let picked = trx
        .selectFrom('webhook_outbox')
        .select('id')
        .where('webhook_id', '=', webhookId)
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(count)
      if (lockRows) picked = picked.forUpdate().skipLocked()
      ids.push(...(await picked.execute()).map((row) => row.id))
    }
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
  disableAfterMs: number | undefined,
): Promise<{ disabled: boolean }> {
  return db.transaction().execute(async (trx) => {
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
    const endpoint = trx.updateTable('webhooks').where('id', '=', item.webhookId)
    if (outcome.delivered) {
      await endpoint.set({ failing_since: null }).where('failing_since', 'is not', null).execute()
      return { disabled: false }
    }
    await endpoint
      .set({ failing_since: iso(at) })
      .where('failing_since', 'is', null)
      .execute()
    if (disableAfterMs === undefined) return { disabled: false }
    // The conditional update decides: of workers failing at once, one disables it.
    const disabled = await endpoint
      .set({ status: 'disabled' })
      .where('status', '=', 'enabled')
      .where('failing_since', '<=', iso(new Date(at.getTime() - disableAfterMs)))
      .returning('id')
      .execute()
    return { disabled: disabled.length > 0 }
  })
}
