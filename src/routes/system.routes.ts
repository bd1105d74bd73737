import { Hono } from 'hono'
import type { AppEnv } from '../web/context.js'
import { staticToken } from '../web/edge/static-token.js'
import type { AppDeps } from './deps.js'

/** `/healthz` and the static assets. */
export function systemRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  // Ready once the store answers (DESIGN §8); a load balancer takes the instance out otherwise.
  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store')
    const ready = await deps.ready()
    return c.json({ status: ready ? 'ok' : 'unavailable' }, ready ? 200 : 503)
  })

  // Prometheus scrapes this (counts only: no tenant data, no identifiers); with
  // ASSENT_METRICS_TOKEN set, only a scraper that sends the token (its `authorization` setting).
  if (deps.config.metricsToken) app.use('/metrics', staticToken(deps.config.metricsToken))
  app.get('/metrics', async (c) => {
    c.header('Cache-Control', 'no-store')
    return c.text(await deps.metrics.render(), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    })
  })

  app.get('/assets/:name', (c) => {
    const found = deps.assets.lookup(c.req.path)
    if (!found) return c.notFound()
    const { asset, immutable } = found
    c.header(
      'Cache-Control',
      immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    )
    c.header('ETag', asset.etag)
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304)
    return c.body(asset.body, 200, { 'Content-Type': asset.type })
  })

  return app
}
