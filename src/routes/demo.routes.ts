import { Hono } from 'hono'
import { z } from 'zod'
import { demoDoneModel } from '../presenters/demo-page.js'
import { openDemoRequest } from '../services/demo.js'
import type { AppEnv } from '../web/context.js'
import { parseQuery } from '../web/edge/validate.js'
import { byAddress, rateLimit } from '../web/middleware/rate-limit.js'
import { useLocale } from '../web/render/locale.js'
import { renderPage } from '../web/render/render.js'
import type { AppDeps } from './deps.js'

const demoQuery = z.object({ ui_locales: z.string().max(200).optional() })
const doneQuery = z.object({
  consent_request: z.string().max(64).optional(),
  consent_verifier: z.string().max(256).optional(),
  state: z.string().max(64).optional(),
})

/** `GET /demo`: a fresh consent request for the demo client, and its page. */
export function demoRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const flow = deps.consentFlow

  const demoLimit = rateLimit('demo', deps.limits.demoPerAddress, byAddress, deps.metrics)

  // Anyone may open the demo: limited per address, and every stored field has a length cap.
  app.get('/', demoLimit, async (c) => {
    const tenant = c.get('tenant')
    const uiLocales = parseQuery(c, demoQuery).ui_locales
    const request = await openDemoRequest(flow, tenant, deps.config.publicUrl, uiLocales)
    c.header('Cache-Control', 'no-store')
    return c.redirect(`/consent/${request.id}`, 303)
  })

  // Where the answer comes back: stands in for the authorization server, and shows the decision.
  app.get('/done', async (c) => {
    const tenant = c.get('tenant')
    const back = parseQuery(c, doneQuery)
    const request = await flow.find(tenant, back.consent_request)
    const tr = useLocale(c, deps, request.uiLocales)
    // As an authorization server would: redeem the verifier the browser brought back.
    const decision = await flow.verify(tenant, request.id, back.consent_verifier)
    const [client, api] = await Promise.all([
      deps.clients.find(tenant.id, request.clientId),
      request.audience ? deps.resourceServers.find(tenant.id, request.audience) : undefined,
    ])
    const model = demoDoneModel({ tenant, request, decision, client, api: api ?? null }, tr)
    return renderPage(c, deps, 'demo-done', model, { title: model.text.title, tr })
  })

  return app
}
