import { Hono } from 'hono'
import { z } from 'zod'
import { auditPageModel } from '../../presenters/audit.js'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import { allow, renderConsole } from './console.js'

const PER_PAGE = 50
const query = z.object({ page: z.coerce.number().int().min(0).max(100_000).catch(0) })

/** The console's audit trail (issue 19 item 7), the same entries as `GET /api/v2/logs`. */
export function adminLogRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  app.get('/', async (c) => {
    allow(c, 'read:logs')
    const { page } = query.parse(c.req.query())
    const { items, total } = await deps.audit.list(c.get('tenant').id, { page, perPage: PER_PAGE })
    const model = auditPageModel({ entries: items, total, page, perPage: PER_PAGE })
    return renderConsole(c, deps, { view: 'admin-logs', section: 'logs', title: 'Logs' }, model)
  })

  return app
}
