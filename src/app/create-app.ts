import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import { clientAddress } from '../http/client-address.js'
import { randomToken } from '../ids.js'
import { errorHandler, notFoundHandler } from '../middleware/error-handler.js'
import { i18n } from '../middleware/i18n.js'
import { createTokenVerifier } from '../middleware/management-auth.js'
import { requestLog } from '../middleware/request-log.js'
import { sameOrigin } from '../middleware/same-origin.js'
import { securityHeaders } from '../middleware/security-headers.js'
import { tenant } from '../middleware/tenant.js'
import { accountRoutes } from '../routes/account.routes.js'
import { adminRoutes } from '../routes/admin.routes.js'
import { consentRoutes } from '../routes/consent.routes.js'
import { demoRoutes } from '../routes/demo.routes.js'
import { managementRoutes } from '../routes/management/index.js'
import { systemRoutes } from '../routes/system.routes.js'
import type { AppEnv } from './env.js'
import type { AppDeps } from './types.js'

export interface AppOptions {
  /** Serve `GET /demo` (DESIGN §8 `ASSENT_DEMO`). */
  readonly demo: boolean
}

/** Builds the HTTP application from its dependencies; nothing here opens a file or a socket. */
export function createApp(deps: AppDeps, options: AppOptions = { demo: false }) {
  const app = new Hono<AppEnv>()

  // 128 random bits from the pool (`randomToken`), where a UUID would call into OpenSSL each time.
  app.use(requestId({ limitLength: 64, generator: () => randomToken(16) }))
  app.use(clientAddress(deps.config.trustedProxies))
  app.use(requestLog(deps))
  app.use(securityHeaders({ https: deps.config.publicUrl.protocol === 'https:' }))
  app.route('/', systemRoutes(deps))
  // The keys that verify a tenant's consent receipts (DESIGN §3.6), rotated ones included.
  app.get('/.well-known/assent-receipt-keys.json', tenant(deps), async (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    return c.json(await deps.receipts.publicKeys(c.get('tenant')))
  })

  // Pages: the tenant, the locale negotiated once, and a same-origin check on every form post.
  const pages = [tenant(deps), i18n(deps), sameOrigin(deps.config.publicUrl)] as const
  app.use('/consent/*', ...pages)
  app.route('/consent', consentRoutes(deps))
  app.use('/account/*', ...pages)
  app.route('/account', accountRoutes(deps))

  const verifyToken = createTokenVerifier({
    adminToken: deps.adminToken,
    jwt: deps.config.managementJwt,
  })
  app.route('/api/v2', managementRoutes(deps, verifyToken))

  app.use('/admin', ...pages)
  app.use('/admin/*', ...pages)
  app.route('/admin', adminRoutes(deps, verifyToken))

  if (options.demo) {
    app.use('/demo', ...pages)
    app.use('/demo/*', ...pages)
    app.route('/demo', demoRoutes(deps))
  }

  app.notFound(notFoundHandler(deps))
  app.onError(errorHandler(deps))
  return app
}

export type App = ReturnType<typeof createApp>
