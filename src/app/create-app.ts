import { Hono } from 'hono'
import { accountRoutes } from '../routes/account.routes.js'
import { adminRoutes } from '../routes/admin.routes.js'
import { consentRoutes } from '../routes/consent.routes.js'
import { demoRoutes } from '../routes/demo.routes.js'
import type { AppDeps } from '../routes/deps.js'
import { landingPage } from '../routes/landing.routes.js'
import { managementRoutes } from '../routes/management/index.js'
import { systemRoutes } from '../routes/system.routes.js'
import type { AppEnv } from '../web/context.js'
import { errorHandler, notFoundHandler } from '../web/middleware/error-handler.js'
import { createTokenVerifier } from '../web/middleware/management-auth.js'
import { pages } from '../web/middleware/pages.js'
import { requestContext } from '../web/middleware/request-context.js'
import { tenant } from '../web/middleware/tenant.js'

export interface AppOptions {
  /** Serve `GET /demo` (DESIGN §8 `ASSENT_DEMO`). */
  readonly demo: boolean
}

/** Builds the HTTP application from its dependencies; nothing here opens a file or a socket. */
export function createApp(deps: AppDeps, options: AppOptions = { demo: false }) {
  const app = new Hono<AppEnv>()

  const onError = errorHandler(deps)
  app.use(requestContext(deps, onError))
  app.route('/', systemRoutes(deps))
  // The keys that verify a tenant's consent receipts (DESIGN §3.6), rotated ones included.
  app.get('/.well-known/assent-receipt-keys.json', tenant(deps), async (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    return c.json(await deps.receipts.publicKeys(c.get('tenant')))
  })

  // Pages: the tenant, and a same-origin check on every form post.
  const page = pages(deps)
  app.get('/', page, landingPage(deps))
  app.use('/consent/*', page)
  app.route('/consent', consentRoutes(deps))
  app.use('/account/*', page)
  app.route('/account', accountRoutes(deps))

  const verifyToken = createTokenVerifier({
    adminToken: deps.adminToken,
    jwt: deps.config.managementJwt,
  })
  app.route('/api/v2', managementRoutes(deps, verifyToken))

  app.use('/admin', page)
  app.use('/admin/*', page)
  app.route('/admin', adminRoutes(deps, verifyToken))

  if (options.demo) {
    app.use('/demo', page)
    app.use('/demo/*', page)
    app.route('/demo', demoRoutes(deps))
  }

  app.notFound(notFoundHandler(deps))
  app.onError(onError)
  return app
}

export type App = ReturnType<typeof createApp>
