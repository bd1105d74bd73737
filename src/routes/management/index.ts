import { apiDocsModel } from '../../presenters/api-docs.js'
import { limitBody } from '../../web/middleware/body-limit.js'
import { type createTokenVerifier, managementAuth } from '../../web/middleware/management-auth.js'
import { tenant } from '../../web/middleware/tenant.js'
import { renderPage } from '../../web/render/render.js'
import type { AppDeps } from '../deps.js'
import { clientHandlers } from './clients.handlers.js'
import * as clients from './clients.routes.js'
import { consentRequestHandlers } from './consent-requests.handlers.js'
import * as consentRequests from './consent-requests.routes.js'
import { evidenceHandlers } from './evidence.handlers.js'
import * as evidence from './evidence.routes.js'
import { grantHandlers } from './grants.handlers.js'
import * as grants from './grants.routes.js'
import { logHandlers } from './logs.handlers.js'
import * as logs from './logs.routes.js'
import { createRouter, openApiDocument } from './openapi.js'
import { portalHandlers } from './portal.handlers.js'
import * as portal from './portal.routes.js'
import { resourceServerHandlers } from './resource-servers.handlers.js'
import * as resourceServers from './resource-servers.routes.js'
import { roleHandlers } from './roles.handlers.js'
import * as roles from './roles.routes.js'
import { tenantSettingsHandlers } from './tenant-settings.handlers.js'
import { tenantSettingsRoutes } from './tenant-settings.routes.js'
import { userHandlers } from './users.handlers.js'
import * as users from './users.routes.js'

/**
 * `/api/v2`: the Auth0-compatible Management API (DESIGN §4), its OpenAPI 3.1 document at
 * `/openapi.json` and that document for people at `/docs`. Routes register in the order the
 * document lists them.
 */
export function managementRoutes(
  deps: AppDeps,
  verifyToken: ReturnType<typeof createTokenVerifier>,
) {
  const app = createRouter()
  let document: ReturnType<typeof openApiDocument> | undefined
  // Written on the first request, when every route below is registered.
  const spec = () => (document ??= openApiDocument(app))

  app.get('/openapi.json', (c) => c.json(spec()))
  app.get('/docs', (c) => {
    const docs = apiDocsModel(spec())
    return renderPage(c, deps, 'api-docs', docs, {
      title: docs.title,
      tr: deps.i18n.translator('en'),
    })
  })

  app.use('*', tenant(deps))
  app.use('*', managementAuth(verifyToken))
  // After the token: a body (up to 1 MiB) is read only for a caller who may send one.
  app.use('*', limitBody('management'))
  // Before the handler, like every header here: set on a response already made, it would turn
  // the light response into a full copy on every call.
  app.use('*', async function noStore(c, next) {
    c.header('Cache-Control', 'no-store')
    await next()
  })

  const rs = resourceServerHandlers(deps)
  app
    .openapi(resourceServers.list, rs.list)
    .openapi(resourceServers.create, rs.create)
    .openapi(resourceServers.get, rs.get)
    .openapi(resourceServers.update, rs.update)
    .openapi(resourceServers.remove, rs.remove)

  const settings = tenantSettingsRoutes(deps.i18n.locales)
  const ts = tenantSettingsHandlers(deps)
  app.openapi(settings.get, ts.get).openapi(settings.update, ts.update)

  const cl = clientHandlers(deps)
  app
    .openapi(clients.list, cl.list)
    .openapi(clients.create, cl.create)
    .openapi(clients.get, cl.get)
    .openapi(clients.update, cl.update)
    .openapi(clients.remove, cl.remove)

  const us = userHandlers(deps)
  app
    .openapi(users.listPermissions, us.listPermissions)
    .openapi(users.addPermissions, us.addPermissions)
    .openapi(users.removePermissions, us.removePermissions)
    .openapi(users.listRoles, us.listRoles)
    .openapi(users.addRoles, us.addRoles)
    .openapi(users.removeRoles, us.removeRoles)

  const ro = roleHandlers(deps)
  app
    .openapi(roles.list, ro.list)
    .openapi(roles.create, ro.create)
    .openapi(roles.get, ro.get)
    .openapi(roles.update, ro.update)
    .openapi(roles.remove, ro.remove)
    .openapi(roles.listPermissions, ro.listPermissions)
    .openapi(roles.addPermissions, ro.addPermissions)
    .openapi(roles.removePermissions, ro.removePermissions)
    .openapi(roles.listUsers, ro.listUsers)
    .openapi(roles.addUsers, ro.addUsers)

  const gr = grantHandlers(deps)
  app
    .openapi(grants.list, gr.list)
    .openapi(grants.remove, gr.remove)
    .openapi(grants.removeForUser, gr.removeForUser)

  const cr = consentRequestHandlers(deps)
  app
    .openapi(consentRequests.create, cr.create)
    .openapi(consentRequests.get, cr.get)
    .openapi(consentRequests.verify, cr.verify)

  app.openapi(logs.list, logHandlers(deps).list)

  const ev = evidenceHandlers(deps)
  app
    .openapi(evidence.listReceipts, ev.listReceipts)
    .openapi(evidence.getReceipt, ev.getReceipt)
    .openapi(evidence.eraseUser, ev.eraseUser)
    .openapi(evidence.createWebhook, ev.createWebhook)
    .openapi(evidence.listWebhooks, ev.listWebhooks)
    .openapi(evidence.updateWebhook, ev.updateWebhook)
    .openapi(evidence.deleteWebhook, ev.deleteWebhook)
    .openapi(evidence.listDeliveries, ev.listDeliveries)

  app.openapi(portal.createPortalSession, portalHandlers(deps).createPortalSession)

  return app
}
