import type { Webhook, WebhookDelivery, WebhookEventType } from '../evidence.js'
import type { FormState } from './admin-console.js'

const hookHref = (hook: Pick<Webhook, 'id'>) => `/admin/webhooks/${encodeURIComponent(hook.id)}`
const when = (at: Date) => at.toISOString().replace('T', ' ').slice(0, 19)

/** What each event tells the authorization server (DESIGN §3.8). */
const EVENT_HELP: Partial<Record<WebhookEventType, string>> = {
  'consent.accepted': 'a user accepted a prompt',
  'consent.denied': 'a user declined a prompt',
  'grant.revoked': 'a user removed an app on their connected-apps page',
  'grant.deleted': 'a grant was deleted through the Management API or the console',
}

function endpoint(hook: Webhook) {
  return {
    id: hook.id,
    url: hook.url,
    events: hook.events.join(', '),
    enabled: hook.status === 'enabled',
    created: when(hook.createdAt),
    href: hookHref(hook),
    enableAction: `${hookHref(hook)}/enable`,
    deleteAction: `${hookHref(hook)}/delete`,
  }
}

/**
 * The Webhooks section (DESIGN §3.8, §5): the endpoints, each with its deliveries, re-enable and
 * delete; the form that adds one; and, once, right after it is added, its signing secret.
 */
export function webhookListModel(input: {
  hooks: readonly Webhook[]
  /** The events an endpoint may subscribe to. */
  events: readonly WebhookEventType[]
  can: { create: boolean; update: boolean; remove: boolean }
  form: FormState
  /** The endpoint just added: its secret is shown this once and never again. */
  created?: Webhook
}) {
  const { form } = input
  const ticked = new Set((form.values.events ?? '').split(' ').filter(Boolean))
  return {
    hooks: input.hooks.map(endpoint),
    can: input.can,
    created: input.created ? { url: input.created.url, secret: input.created.secret } : null,
    values: { url: form.values.url ?? '' },
    errors: form.errors,
    events: input.events.map((event) => ({
      value: event,
      help: EVENT_HELP[event] ?? '',
      // A refused form keeps what was ticked; a fresh one ticks every event.
      checked: form.values.events === undefined ? true : ticked.has(event),
    })),
  }
}

/** One endpoint's page: its delivery attempts, newest first, paged. */
export function webhookModel(input: {
  hook: Webhook
  deliveries: { readonly items: readonly WebhookDelivery[]; readonly total: number }
  page: number
  perPage: number
  canUpdate: boolean
}) {
  const { page, perPage } = input
  const href = hookHref(input.hook)
  return {
    hook: endpoint(input.hook),
    canUpdate: input.canUpdate,
    deliveries: input.deliveries.items.map((delivery) => ({
      when: when(delivery.at),
      iso: delivery.at.toISOString(),
      type: delivery.type,
      attempt: delivery.attempt,
      ok: delivery.status !== null && delivery.status >= 200 && delivery.status < 300,
      outcome:
        delivery.status === null
          ? `not reached${delivery.error ? `: ${delivery.error}` : ''}`
          : `HTTP ${delivery.status}${delivery.error ? ` (${delivery.error})` : ''}`,
    })),
    newer: page > 0 ? `${href}?page=${page - 1}` : null,
    older: (page + 1) * perPage < input.deliveries.total ? `${href}?page=${page + 1}` : null,
  }
}
