import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../../app/env.js'
import type { AppDeps } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { renderPage } from '../../http/render.js'
import { type createTokenVerifier, managementAuth } from '../../middleware/management-auth.js'
import { tenant } from '../../middleware/tenant.js'
import { apiDocsModel } from '../../presenters/api-docs.js'
import { clientOperations } from './clients.js'
import { consentRequestOperations } from './consent-requests.js'
import { grantOperations } from './grants.js'
import { mountOperations, type Operation, openApiDocument } from './operation.js'
import { resourceServerOperations } from './resource-servers.js'
import { roleOperations } from './roles.js'
import { tenantSettingsOperations } from './tenant-settings.js'
import { userOperations } from './users.js'

export const MAX_BODY_BYTES = 64 * 1024

/** Every Management API operation, in the order the document lists them. */
export function managementOperations(deps: AppDeps, extra: readonly Operation[] = []): Operation[] {
  return [
    ...resourceServerOperations(deps),
    ...tenantSettingsOperations(deps),
    ...clientOperations(deps),
    ...userOperations(deps),
    ...roleOperations(deps),
    ...grantOperations(deps),
    ...consentRequestOperations(deps),
    ...extra,
  ]
}

/** `/api/v2`: the Auth0-compatible Management API (DESIGN §4). */
export function managementRoutes(
  deps: AppDeps,
  verifyToken: ReturnType<typeof createTokenVerifier>,
  extra: readonly Operation[] = [],
) {
  const app = new Hono<AppEnv>()
  const operations = managementOperations(deps, extra)
  const document = openApiDocument(operations, { title: 'Assent Management API', version: '2' })

  app.get('/openapi.json', (c) => c.json(document))
  const docs = apiDocsModel(document)
  const en = deps.i18n.translator('en')
  app.get('/docs', (c) => renderPage(c, deps, 'api-docs', docs, { title: docs.title, tr: en }))

  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError(413, 'payload_too_large', 'Request body is larger than 64 KiB')
      },
    }),
  )
  app.use('*', tenant(deps))
  app.use('*', managementAuth(verifyToken))
  mountOperations(app, operations)
  return app
}
