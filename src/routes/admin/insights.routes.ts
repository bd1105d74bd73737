import { Hono } from 'hono'
import { insightsModel } from '../../presenters/insights.js'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import { allow, renderConsole } from './console.js'

/** How prompts were answered over the last 30 days, per client and scope (issue 19 item 8). */
export function adminInsightRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  app.get('/', async (c) => {
    allow(c, 'read:stats')
    const model = insightsModel(await deps.insights(c.get('tenant').id, deps.now()))
    return renderConsole(
      c,
      deps,
      { view: 'admin-insights', section: 'insights', title: 'Insights' },
      model,
    )
  })

  return app
}
