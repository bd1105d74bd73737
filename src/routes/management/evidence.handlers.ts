import type { RouteHandler } from '@hono/zod-openapi'
import type { Webhook } from '../../entities.js'
import { receiptJson } from '../../presenters/receipt-json.js'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import type * as routes from './evidence.routes.js'
import { listJson, pageOf } from './shapes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

const webhookJson = (hook: Webhook) => ({
  id: hook.id,
  url: hook.url,
  events: [...hook.events],
  status: hook.status,
  created_at: hook.createdAt.toISOString(),
})

/** The handlers of receipts, erasure and webhooks (DESIGN §3.6, §3.8). */
export function evidenceHandlers({ receiptLog, users, webhooks }: AppDeps) {
  const listReceipts: Handler<'listReceipts'> = async (c) => {
    const query = c.req.valid('query')
    const { items, total } = await receiptLog.list(
      c.get('tenant').id,
      { userId: query.user_id, clientId: query.client_id },
      pageOf(query),
    )
    return c.json(listJson('receipts', items.map(receiptJson), total, query), 200)
  }

  const getReceipt: Handler<'getReceipt'> = async (c) => {
    const receipt = await receiptLog.get(c.get('tenant').id, c.req.valid('param').id)
    return c.json(receiptJson(receipt), 200)
  }

  const eraseUser: Handler<'eraseUser'> = async (c) => {
    await users.erase(c.get('tenant').id, c.req.valid('param').id)
    return c.body(null, 204)
  }

  const createWebhook: Handler<'createWebhook'> = async (c) => {
    const hook = await webhooks.register(c.get('actor'), c.get('tenant').id, c.req.valid('json'))
    return c.json({ ...webhookJson(hook), secret: hook.secret }, 201)
  }

  const updateWebhook: Handler<'updateWebhook'> = async (c) => {
    const hook = await webhooks.update(
      c.get('actor'),
      c.get('tenant').id,
      c.req.valid('param').id,
      c.req.valid('json'),
    )
    return c.json(webhookJson(hook), 200)
  }

  const listWebhooks: Handler<'listWebhooks'> = async (c) =>
    c.json((await webhooks.list(c.get('tenant').id)).map(webhookJson), 200)

  const deleteWebhook: Handler<'deleteWebhook'> = async (c) => {
    await webhooks.remove(c.get('actor'), c.get('tenant').id, c.req.valid('param').id)
    return c.body(null, 204)
  }

  const listDeliveries: Handler<'listDeliveries'> = async (c) => {
    const tenantId = c.get('tenant').id
    const query = c.req.valid('query')
    const { items, total } = await webhooks.deliveries(
      tenantId,
      c.req.valid('param').id,
      pageOf(query),
    )
    const json = items.map((d) => ({
      id: d.id,
      webhook_id: d.messageId,
      type: d.type,
      attempt: d.attempt,
      status: d.status,
      error: d.error,
      at: d.at.toISOString(),
    }))
    return c.json(listJson('deliveries', json, total, query), 200)
  }

  return {
    listReceipts,
    getReceipt,
    eraseUser,
    createWebhook,
    listWebhooks,
    updateWebhook,
    deleteWebhook,
    listDeliveries,
  }
}
