import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import { tenantSettingsJson } from './shapes.js'
import type { tenantSettingsRoutes } from './tenant-settings.routes.js'

type Routes = ReturnType<typeof tenantSettingsRoutes>
type Handler<R extends keyof Routes> = RouteHandler<Routes[R], AppEnv>

/** The handlers of `/tenants/settings` (DESIGN §2, §4.2). */
export function tenantSettingsHandlers({ settings, i18n }: AppDeps) {
  const get: Handler<'get'> = async (c) =>
    c.json(tenantSettingsJson(c.get('tenant').settings, i18n.locales), 200)

  // The checks (languages, URLs, the primary colour's contrast) live in the settings service,
  // shared with the admin console.
  const update: Handler<'update'> = async (c) => {
    const updated = await settings.update(c.get('actor'), c.get('tenant'), c.req.valid('json'))
    return c.json(tenantSettingsJson(updated.settings, i18n.locales), 200)
  }

  return { get, update }
}
