import { z } from 'zod'
import type { AppDeps } from '../../app/types.js'
import type { TenantSettings } from '../../entities.js'
import { AppError } from '../../errors.js'
import { defineOperation } from './operation.js'
import { displayName, httpsUrl, tenantSettingsJson, tenantSettingsSchema } from './shapes.js'

/** `/tenants/settings`: the tenant's name, locales, branding and flags (DESIGN §2, §4.2). */
export function tenantSettingsOperations({ store, i18n }: AppDeps) {
  const locale = z.enum(i18n.locales as [string, ...string[]], {
    error: `must be one of ${i18n.locales.join(', ')}`,
  })
  const patchBody = z.strictObject({
    friendly_name: displayName(255).optional(),
    picture_url: z.union([httpsUrl, z.literal('')]).optional(),
    default_locale: locale.optional(),
    enabled_locales: z.array(locale).min(1).max(i18n.locales.length).optional(),
    flags: z
      .record(z.string().regex(/^[a-z0-9_]{1,64}$/, 'must be a flag name'), z.boolean())
      .optional(),
    branding: z
      .strictObject({
        logo_url: z.union([httpsUrl, z.literal('')]).optional(),
        primary_color: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, 'must be a color like #4f46e5')
          .optional(),
      })
      .optional(),
    allowed_return_urls: z.array(httpsUrl).max(100).optional(),
  })

  return [
    defineOperation({
      method: 'get',
      path: '/tenants/settings',
      summary: 'Get the tenant settings',
      tag: 'Tenant settings',
      scopes: ['read:tenant_settings'],
      response: { status: 200, schema: tenantSettingsSchema, description: 'The settings' },
      errors: [],
      async handle({ tenant }) {
        return tenantSettingsJson(tenant.settings, i18n.locales)
      },
    }),
    defineOperation({
      method: 'patch',
      path: '/tenants/settings',
      summary: 'Update the tenant settings; `flags` and `branding` are merged',
      tag: 'Tenant settings',
      scopes: ['update:tenant_settings'],
      body: patchBody,
      response: { status: 200, schema: tenantSettingsSchema, description: 'The settings' },
      errors: [413],
      async handle({ tenant, body }) {
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
        return tenantSettingsJson(updated.settings, i18n.locales)
      },
    }),
  ]
}
