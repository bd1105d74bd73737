import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../app/env.js'
import type { AppDeps } from '../../app/types.js'
import type { TenantSettings } from '../../entities.js'
import { AppError } from '../../errors.js'
import { tenantSettingsJson } from './shapes.js'
import type { tenantSettingsRoutes } from './tenant-settings.routes.js'

type Routes = ReturnType<typeof tenantSettingsRoutes>
type Handler<R extends keyof Routes> = RouteHandler<Routes[R], AppEnv>

/** The handlers of `/tenants/settings` (DESIGN §2, §4.2). */
export function tenantSettingsHandlers({ store, i18n }: AppDeps) {
  const get: Handler<'get'> = async (c) =>
    c.json(tenantSettingsJson(c.get('tenant').settings, i18n.locales), 200)

  const update: Handler<'update'> = async (c) => {
    const tenant = c.get('tenant')
    const body = c.req.valid('json')
    const current = tenant.settings
    const next: TenantSettings = {
      ...current,
      ...(body.friendly_name !== undefined ? { friendly_name: body.friendly_name } : {}),
      ...(body.picture_url !== undefined ? { picture_url: body.picture_url || undefined } : {}),
      ...(body.default_locale !== undefined ? { default_locale: body.default_locale } : {}),
      ...(body.enabled_locales !== undefined
        ? { enabled_locales: [...new Set(body.enabled_locales)] }
        : {}),
      ...(body.allowed_return_urls !== undefined
        ? { allowed_return_urls: body.allowed_return_urls }
        : {}),
      flags: { ...current.flags, ...body.flags },
      ...(body.branding !== undefined
        ? { branding: { ...current.branding, ...body.branding } }
        : {}),
    }
    // `null` clears the tenant's consent lifetime: grants count until revoked.
    if (body.consent_lifetime === null) delete next.consent_lifetime
    else if (body.consent_lifetime !== undefined) next.consent_lifetime = body.consent_lifetime
    const enabled = next.enabled_locales ?? i18n.locales
    if (next.default_locale && !enabled.includes(next.default_locale)) {
      throw new AppError(
        400,
        'invalid_body',
        'Payload validation error: default_locale must be one of enabled_locales.',
      )
    }
    const updated = await store.tenants.updateSettings(
      tenant.id,
      JSON.parse(JSON.stringify(next)) as TenantSettings,
    )
    if (!updated) throw new AppError(404, 'not_found', 'The tenant does not exist')
    return c.json(tenantSettingsJson(updated.settings, i18n.locales), 200)
  }

  return { get, update }
}
