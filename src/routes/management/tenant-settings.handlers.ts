import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import { keptValues } from './auth0-fields.js'
import { pickFields } from './fields.js'
import { tenantSettingsJson, tenantSettingsKept } from './shapes.js'
import type { tenantSettingsRoutes } from './tenant-settings.routes.js'

type Routes = ReturnType<typeof tenantSettingsRoutes>
type Handler<R extends keyof Routes> = RouteHandler<Routes[R], AppEnv>

/** The handlers of `/tenants/settings` (DESIGN §2, §4.2). */
export function tenantSettingsHandlers({ settings, i18n }: AppDeps) {
  const get: Handler<'get'> = async (c) =>
    c.json(
      pickFields(tenantSettingsJson(c.get('tenant').settings, i18n.locales), c.req.valid('query')),
      200,
    )

  // The checks (languages, URLs, the primary colour's contrast) live in the settings service,
  // shared with the admin console.
  const update: Handler<'update'> = async (c) => {
    const body = c.req.valid('json')
    const updated = await settings.update(c.get('actor'), c.get('tenant'), {
      ...body,
      auth0: keptValues(body, tenantSettingsKept),
    })
    return c.json(tenantSettingsJson(updated.settings, i18n.locales), 200)
  }

  return { get, update }
}
