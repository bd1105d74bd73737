import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import { createCsrf } from '../http/csrf.js'
import { errorHandler, notFoundHandler } from '../middleware/error-handler.js'
import { createTokenVerifier } from '../middleware/management-auth.js'
import { requestLog } from '../middleware/request-log.js'
import { securityHeaders } from '../middleware/security-headers.js'
import { tenant } from '../middleware/tenant.js'
import { adminRoutes } from '../routes/admin.routes.js'
import { consentRoutes } from '../routes/consent.routes.js'
import { demoRoutes } from '../routes/demo.routes.js'
import { managementRoutes } from '../routes/management/index.js'
import { systemRoutes } from '../routes/system.routes.js'
import type { AppDeps, AppEnv } from './types.js'

export interface AppOptions {
  /** Serve `GET /demo` (DESIGN §8 `ASSENT_DEMO`). */
  readonly demo: boolean
}

/** Builds the HTTP application from its dependencies; nothing here opens a file or a socket. */
export function createApp(deps: AppDeps, options: AppOptions = { demo: false }) {
  const app = new Hono<AppEnv>()
  const csrf = createCsrf(deps.store)

  app.use(requestId({ limitLength: 64 }))
  app.use(requestLog(deps))
  app.use(securityHeaders({ https: deps.config.publicUrl.protocol === 'https:' }))
  app.route('/', systemRoutes(deps))

  app.use('/consent/*', tenant(deps))
  app.route('/consent', consentRoutes(deps, csrf))

  const verifyToken = createTokenVerifier({
    adminToken: deps.adminToken,
    jwt: deps.config.managementJwt,
  })
  app.route('/api/v2', managementRoutes(deps, verifyToken))

  app.use('/admin', tenant(deps))
  app.use('/admin/*', tenant(deps))
  app.route('/admin', adminRoutes(deps, csrf, verifyToken))

  if (options.demo) {
    app.use('/demo', tenant(deps))
    app.use('/demo/*', tenant(deps))
    app.route('/demo', demoRoutes(deps))
  }

  app.notFound(notFoundHandler(deps))
  app.onError(errorHandler(deps))
  return app
}

export type App = ReturnType<typeof createApp>
