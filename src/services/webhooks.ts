import { randomBytes } from 'node:crypto'
import { Webhook as Signer } from 'standardwebhooks'
import { isLoopbackUrl } from '../consent/index.js'
import type { OutboxItem, Webhook, WebhookEventType } from '../entities.js'
import { AppError } from '../errors.js'
import { randomToken } from '../ids.js'
import type { Logger } from '../logger.js'
import type { AttemptOutcome, Store } from '../store/port.js'

export const WEBHOOK_EVENTS = [
  'consent.accepted',
  'consent.denied',
  'grant.revoked',
  'grant.deleted',
] as const satisfies readonly WebhookEventType[]

/** Retries stop a day after the event (DESIGN §3.8). */
const GIVE_UP_MS = 24 * 60 * 60 * 1000
const FIRST_RETRY_MS = 5_000
const MAX_RETRY_MS = 60 * 60 * 1000
/** How long a claimed event is this worker's before another may try it. */
const LEASE_MS = 60_000
const BATCH = 20
const TIMEOUT_MS = 10_000
/** How often each instance looks at the outbox. */
export const WEBHOOK_POLL_MS = 1_000

/**
 * Whether an endpoint may receive events: `https:`, or `http:` on loopback when the operator
 * allows it (tests, examples) — never anything else, so a tenant admin cannot point the
 * service's requests at plain-text hosts on the network.
 */
export function allowedWebhookUrl(url: string, allowHttpLoopback: boolean): boolean {
  try {
    const parsed = new URL(url)
    if (parsed.username || parsed.password) return false
    if (parsed.protocol === 'https:') return true
    return parsed.protocol === 'http:' && allowHttpLoopback && isLoopbackUrl(url)
  } catch {
    return false
  }
}

/** Registers an endpoint; its signing secret is returned once, here (DESIGN §3.8). */
export async function registerWebhook(
  store: Store,
  tenantId: string,
  input: { url: string; events: readonly WebhookEventType[] },
  options: { allowHttpLoopback: boolean; now: Date },
): Promise<Webhook> {
  if (!allowedWebhookUrl(input.url, options.allowHttpLoopback))
    throw new AppError(400, 'invalid_body', 'url must be an https: URL')
  return store.webhooks.create(tenantId, {
    id: `wh_${randomToken(12)}`,
    url: input.url,
    events: [...new Set(input.events)],
    // Standard Webhooks secrets: `whsec_` and base64 of 24 random bytes.
    secret: `whsec_${randomBytes(24).toString('base64')}`,
    createdAt: options.now,
  })
}

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
  readonly fetch?: typeof fetch
}

/**
 * Delivers the outbox at least once (DESIGN §3.8): claims due events, signs each per Standard
 * Webhooks, POSTs it, and records the attempt; a failure is retried with backoff, for a day.
 * Every instance may run one: claims do not overlap.
 */
export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const send = deps.fetch ?? fetch
  let timer: ReturnType<typeof setInterval> | undefined
  let running: Promise<number> | undefined

  async function deliver(item: OutboxItem): Promise<AttemptOutcome> {
    if (!allowedWebhookUrl(item.url, deps.allowHttpLoopback))
      return { status: null, error: 'url not allowed', delivered: false, nextAttemptAt: null }
    const timestamp = deps.now()
    const signature = new Signer(item.secret).sign(item.messageId, timestamp, item.payload)
    try {
      const res = await send(item.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': item.messageId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: item.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
      await res.body?.cancel()
      if (res.status >= 200 && res.status < 300)
        return { status: res.status, error: null, delivered: true, nextAttemptAt: null }
      return {
        status: res.status,
        error: `HTTP ${res.status}`,
        delivered: false,
        nextAttemptAt: nextAttempt(item, deps.now()),
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return {
        status: null,
        error: message.slice(0, 200),
        delivered: false,
        nextAttemptAt: nextAttempt(item, deps.now()),
      }
    }
  }

  /** One pass over what is due; returns how many attempts were made. */
  async function runOnce(): Promise<number> {
    const items = await deps.store.webhooks.claim(deps.now(), BATCH, LEASE_MS)
    await Promise.all(
      items.map(async (item) => {
        const outcome = await deliver(item)
        await deps.store.webhooks.settle(item, outcome, deps.now())
        if (!outcome.delivered)
          deps.log.warn('webhook attempt failed', {
            webhook: item.webhookId,
            type: item.type,
            attempt: item.attempts + 1,
            error: outcome.error,
          })
      }),
    )
    return items.length
  }

  const tick = async () => {
    if (running) return
    running = runOnce()
    try {
      // Drain a backlog without waiting for the next tick.
      while ((await running) === BATCH) running = runOnce()
    } catch (error) {
      deps.log.error('webhook delivery failed', { error: String(error) })
    } finally {
      running = undefined
    }
  }

  return {
    runOnce,
    start(intervalMs: number) {
      timer = setInterval(() => void tick(), intervalMs)
      timer.unref()
    },
    /** Stops claiming; resolves once the pass in flight is settled. */
    async stop() {
      if (timer) clearInterval(timer)
      await running?.catch(() => 0)
    },
  }
}
