import type { RouteHandler } from '@hono/zod-openapi'
import type { z } from 'zod'
import type { AuditEntry } from '../../entities.js'
import { auditDescription } from '../../presenters/audit.js'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import type * as routes from './logs.routes.js'
import { listJson, pageOf } from './shapes.js'

function logJson(entry: AuditEntry): z.output<typeof routes.logSchema> {
  return {
    log_id: entry.id,
    date: entry.at.toISOString(),
    type: 'sapi',
    description: auditDescription(entry.action),
    user_name: entry.actor,
    details: {
      via: entry.via,
      action: entry.action,
      target: entry.target,
      ...(entry.before !== undefined ? { before: entry.before } : {}),
      ...(entry.after !== undefined ? { after: entry.after } : {}),
    },
  }
}

/** The handler of `/logs` (issue 19 item 7). */
export function logHandlers({ audit }: AppDeps) {
  const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
    const query = c.req.valid('query')
    const { items, total } = await audit.list(c.get('tenant').id, pageOf(query))
    return c.json(listJson('logs', items.map(logJson), total, query), 200)
  }
  return { list }
}
