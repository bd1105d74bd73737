import type { OutboxItem, Page, Paged, Webhook, WebhookDelivery } from '../entities.js'
import type { AttemptOutcome, WebhookChanges } from './port-types.js'

/** The store's webhook endpoints, their deliveries and the outbox workers lease from. */
export interface WebhookPort {
  /**
   * Adds an endpoint, enabled; `undefined` when the tenant already has `max` of them (counted
   * in the same transaction, so endpoints added at once do not pass it together).
   */
  create(
    tenantId: string,
    hook: Omit<Webhook, 'status'>,
    max?: number,
  ): Promise<Webhook | undefined>
  list(tenantId: string): Promise<Webhook[]>
  get(tenantId: string, id: string): Promise<Webhook | undefined>
  /**
   * Changes an endpoint; `undefined` when there is none. Enabling one starts its day of
   * failures afresh, so it is not disabled again by the failures that disabled it.
   */
  update(tenantId: string, id: string, changes: WebhookChanges): Promise<Webhook | undefined>
  /** Removes the endpoint and what was still to be sent to it. */
  delete(tenantId: string, id: string): Promise<boolean>
  deliveries(tenantId: string, id: string, page: Page): Promise<Paged<WebhookDelivery>>
  /**
   * Leases up to `limit` events due at `at` for `leaseMs`: across instances each is handed to
   * one worker at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL). Shared fairly: tenants take
   * turns, then each tenant's endpoints, and an endpoint gets at most `perEndpoint` leased at
   * once (counting those other workers hold); disabled endpoints get none.
   */
  claim(at: Date, limit: number, leaseMs: number, perEndpoint?: number): Promise<OutboxItem[]>
  /**
   * Records an attempt and settles the event: delivered, retried later, or given up. With
   * `disableAfterMs`, an endpoint whose attempts have all failed for that long is disabled;
   * `disabled` says whether this attempt did it (one attempt does, however many workers).
   */
  settle(
    item: OutboxItem,
    outcome: AttemptOutcome,
    at: Date,
    options?: { disableAfterMs: number },
  ): Promise<{ disabled: boolean }>
}
