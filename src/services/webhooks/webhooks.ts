import { randomBytes } from 'node:crypto'
import { Webhook as Signer } from 'standardwebhooks'
import type {
  Actor,
  OutboxItem,
  Page,
  Paged,
  Webhook,
  WebhookDelivery,
  WebhookEventType,
  WebhookStatus,
} from '../../entities.js'
import { AppError, FieldError } from '../../errors.js'
import { randomToken } from '../../ids.js'
import type { Logger } from '../../logger.js'
import type { AttemptOutcome, Store } from '../../store/port.js'
import { type Audit, createAudit } from '../admin/audit.js'
import { postWebhook } from './http.js'
import { type Resolver, refusedHost, resolveTarget, systemResolver } from './targets.js'

export const WEBHOOK_EVENTS = [
  'consent.accepted',
  'consent.denied',
  'grant.revoked',
  'grant.deleted',
] as const satisfies readonly WebhookEventType[]

/** A tenant's endpoints at most (DESIGN §3.8): each one is a share of the delivery work. */
export const MAX_WEBHOOKS_PER_TENANT = 20
/** Retries stop a day after the event (DESIGN §3.8). */
const GIVE_UP_MS = 24 * 60 * 60 * 1000
/** An endpoint whose attempts have all failed for this long is disabled (DESIGN §3.8). */
export const DISABLE_AFTER_MS = 24 * 60 * 60 * 1000
const FIRST_RETRY_MS = 5_000
const MAX_RETRY_MS = 60 * 60 * 1000
/** How long a claimed event is this worker's before another may try it. */
const LEASE_MS = 60_000
/**
 * One delivery, resolution to status line, settles within this (DESIGN §3.8: at most 5 s), so
 * a receiver that never answers holds its slot no longer.
 */
const TIMEOUT_MS = 5_000
/** Attempts in flight at once to one endpoint, across the instances' workers. */
const PER_ENDPOINT = 2
/** Attempts in flight at once in one worker. */
const MAX_IN_FLIGHT = 32
/** How often each instance looks at the outbox. */
export const WEBHOOK_POLL_MS = 1_000

/** Who disables an endpoint that failed for a day, in the audit trail. */
const WORKER: Actor = { subject: 'webhook delivery', via: 'system' }

/**
 * Why an endpoint URL cannot be registered, or `null`: it must be `https:` (or `http:` on
 * loopback when the operator allows it, for tests and examples), carry no credentials, and not
 * name this machine or a non-public address in any spelling (DESIGN §3.8). A host name is
 * checked again, resolved, at every delivery.
 */
export function refusedWebhookUrl(url: string, allowHttpLoopback: boolean): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'must be an https: URL'
  }
  if (parsed.username || parsed.password) return 'must not carry a user name or password'
  const refused = refusedHost(parsed, allowHttpLoopback)
  if (refused) return `must point at a public address: ${refused}`
  if (parsed.protocol === 'https:') return null
  if (parsed.protocol === 'http:' && allowHttpLoopback && refusedHost(parsed, false)) return null
  return 'must be an https: URL'
}

/** What the audit trail keeps of an endpoint: never its secret. */
const auditView = (hook: Webhook) => ({ url: hook.url, events: hook.events, status: hook.status })

/**
 * Webhook endpoints for the Management API (DESIGN §3.8): one set of checks for POST and PATCH,
 * and an audit entry for every change.
 */
export function createWebhookAdmin(
  store: Store,
  audit: Audit,
  options: { allowHttpLoopback: boolean; now: () => Date },
) {
  const notFound = () => new AppError(404, 'inexistent_webhook', 'The webhook does not exist')
  const checkUrl = (url: string) => {
    const refused = refusedWebhookUrl(url, options.allowHttpLoopback)
    if (refused) throw new FieldError('url', refused)
    return url
  }

  return {
    list: (tenantId: string): Promise<Webhook[]> => store.webhooks.list(tenantId),

    /** An endpoint's delivery attempts, newest first; 404 when the tenant has no such endpoint. */
    async deliveries(tenantId: string, id: string, page: Page): Promise<Paged<WebhookDelivery>> {
      if (!(await store.webhooks.get(tenantId, id))) throw notFound()
      return store.webhooks.deliveries(tenantId, id, page)
    },

    /** Registers an endpoint; its signing secret is returned once, here. */
    async register(
      actor: Actor,
      tenantId: string,
      input: { url: string; events: readonly WebhookEventType[] },
    ): Promise<Webhook> {
      if (input.events.length === 0) throw new FieldError('events', 'choose at least one event')
      const hook = await store.webhooks.create(
        tenantId,
        {
          id: `wh_${randomToken(12)}`,
          url: checkUrl(input.url),
          events: [...new Set(input.events)],
          // Standard Webhooks secrets: `whsec_` and base64 of 24 random bytes.
          secret: `whsec_${randomBytes(24).toString('base64')}`,
          createdAt: options.now(),
        },
        MAX_WEBHOOKS_PER_TENANT,
      )
      if (!hook)
        throw new AppError(
          409,
          'conflict',
          `A tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhook endpoints`,
        )
      await audit.record(actor, tenantId, 'webhook.create', hook.id, { after: auditView(hook) })
      return hook
    },

    /** Changes an endpoint's URL, events or status; `enabled` brings a disabled one back. */
    async update(
      actor: Actor,
      tenantId: string,
      id: string,
      changes: { url?: string; events?: readonly WebhookEventType[]; status?: WebhookStatus },
    ): Promise<Webhook> {
      const before = await store.webhooks.get(tenantId, id)
      if (!before) throw notFound()
      const after = await store.webhooks.update(tenantId, id, {
        ...(changes.url !== undefined ? { url: checkUrl(changes.url) } : {}),
        ...(changes.events !== undefined ? { events: [...new Set(changes.events)] } : {}),
        ...(changes.status !== undefined ? { status: changes.status } : {}),
      })
      if (!after) throw notFound()
      await audit.record(actor, tenantId, 'webhook.update', id, {
        before: auditView(before),
        after: auditView(after),
      })
      return after
    },

    async remove(actor: Actor, tenantId: string, id: string): Promise<void> {
      const before = await store.webhooks.get(tenantId, id)
      if (!before || !(await store.webhooks.delete(tenantId, id))) throw notFound()
      await audit.record(actor, tenantId, 'webhook.delete', id, { before: auditView(before) })
    },
  }
}

export type WebhookAdmin = ReturnType<typeof createWebhookAdmin>

/** Exponential backoff with full jitter (half to all of the step), capped at an hour. */
export function nextAttempt(item: OutboxItem, at: Date, random = Math.random): Date | null {
  const step = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** item.attempts)
  const next = new Date(at.getTime() + step * (0.5 + random() / 2))
  return next.getTime() - item.createdAt.getTime() > GIVE_UP_MS ? null : next
}

export interface WebhookWorkerDeps {
  readonly store: Store
  readonly now: () => Date
  readonly log: Logger
  readonly allowHttpLoopback: boolean
  /** How host names are resolved; tests give their own. */
  readonly resolve?: Resolver
}

/** Rejects with the signal's reason when it fires first: a DNS lookup cannot be cancelled. */
function bounded<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason)
    if (signal.aborted) return abort()
    signal.addEventListener('abort', abort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/**
 * Delivers the outbox at least once (DESIGN §3.8): claims due events, signs each per Standard
 * Webhooks, POSTs it to the address its host was checked to have, and records the attempt; a
 * failure is retried with backoff, for a day. Fair: each attempt settles on its own within
 * `TIMEOUT_MS`, an endpoint has at most `PER_ENDPOINT` in flight, the store's claim lets tenants
 * take turns, and a freed slot is filled at once — a dead endpoint holds only its own slots.
 * Every instance may run one: claims do not overlap.
 */
export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const resolve = deps.resolve ?? systemResolver
  const audit = createAudit(deps.store, deps.now)
  const inFlight = new Set<Promise<void>>()
  let timer: ReturnType<typeof setInterval> | undefined
  let claiming: Promise<void> | undefined
  let claimAgain = false
  let started = false

  async function deliver(item: OutboxItem): Promise<AttemptOutcome> {
    const failed = (error: string, status: number | null = null): AttemptOutcome => ({
      status,
      error: error.slice(0, 200),
      delivered: false,
      nextAttemptAt: nextAttempt(item, deps.now()),
    })
    const refused = refusedWebhookUrl(item.url, deps.allowHttpLoopback)
    if (refused) return { ...failed(`url ${refused}`), nextAttemptAt: null }
    const url = new URL(item.url)
    const signal = AbortSignal.timeout(TIMEOUT_MS)
    const timestamp = deps.now()
    try {
      const target = await bounded(
        resolveTarget(url, { resolve, allowLoopback: deps.allowHttpLoopback }),
        signal,
      )
      // Nothing is sent; the host may resolve elsewhere later, so it is tried again.
      if (!target.ok) return failed(target.reason)
      const status = await postWebhook(
        url,
        target.addresses,
        {
          'content-type': 'application/json',
          'webhook-id': item.messageId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': new Signer(item.secret).sign(
            item.messageId,
            timestamp,
            item.payload,
          ),
        },
        item.payload,
        signal,
      )
      if (status >= 200 && status < 300)
        return { status, error: null, delivered: true, nextAttemptAt: null }
      return failed(`HTTP ${status}`, status)
    } catch (error) {
      if (signal.aborted) return failed(`no answer within ${TIMEOUT_MS / 1000} s`)
      return failed(error instanceof Error ? error.message : String(error))
    }
  }

  async function attempt(item: OutboxItem): Promise<void> {
    const outcome = await deliver(item)
    const { disabled } = await deps.store.webhooks.settle(item, outcome, deps.now(), {
      disableAfterMs: DISABLE_AFTER_MS,
    })
    if (!outcome.delivered)
      deps.log.warn('webhook attempt failed', {
        webhook: item.webhookId,
        type: item.type,
        attempt: item.attempts + 1,
        error: outcome.error,
      })
    if (disabled) {
      deps.log.warn('webhook endpoint disabled after a day of failed attempts', {
        webhook: item.webhookId,
      })
      await audit.record(WORKER, item.tenantId, 'webhook.disable', item.webhookId, {
        before: { status: 'enabled' },
        after: { status: 'disabled' },
      })
    }
  }

  /** Claims what this worker has room for and starts each attempt; answers those started. */
  async function claimAndStart(): Promise<Promise<void>[]> {
    const room = MAX_IN_FLIGHT - inFlight.size
    if (room <= 0) return []
    const items = await deps.store.webhooks.claim(deps.now(), room, LEASE_MS, PER_ENDPOINT)
    return items.map((item) => {
      const running: Promise<void> = attempt(item)
        .catch((error: unknown) => {
          deps.log.error('webhook delivery failed', { error: String(error) })
        })
        .finally(() => {
          inFlight.delete(running)
          // A freed slot goes to what is due now, not at the next tick.
          if (started) pump()
        })
      inFlight.add(running)
      return running
    })
  }

  /** Claims in the background; a call while a claim runs makes it claim once more after. */
  function pump(): void {
    if (claiming) {
      claimAgain = true
      return
    }
    claiming = (async () => {
      do {
        claimAgain = false
        await claimAndStart()
      } while (claimAgain && started)
    })()
      .catch((error: unknown) => {
        deps.log.error('webhook delivery failed', { error: String(error) })
      })
      .finally(() => {
        claiming = undefined
      })
  }

  /**
   * Delivers everything due now and waits for it: as many claims as the bound per endpoint
   * needs. Answers how many attempts were made. For tests and tools; `start` runs the service.
   */
  async function runOnce(): Promise<number> {
    let attempts = 0
    for (;;) {
      const begun = await claimAndStart()
      attempts += begun.length
      if (inFlight.size === 0) return attempts
      await Promise.race(inFlight)
    }
  }

  return {
    runOnce,
    start(intervalMs: number) {
      started = true
      timer = setInterval(pump, intervalMs)
      timer.unref()
      pump()
    },
    /** Stops claiming; resolves once the attempts in flight are settled. */
    async stop() {
      started = false
      if (timer) clearInterval(timer)
      await claiming
      await Promise.allSettled([...inFlight])
    },
  }
}
