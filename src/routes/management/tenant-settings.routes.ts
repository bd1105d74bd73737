import { z } from 'zod'
import { TENANT_FLAGS } from '../../consent/index.js'
import { readOnlyFields } from './auth0-fields.js'
import { fieldsQuery, withFields } from './fields.js'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import {
  displayName,
  durationChoices,
  httpsUrl,
  tenantSettingsKept,
  tenantSettingsSchema,
} from './shapes.js'

const tag = 'Tenant settings'
const settings = jsonContent(tenantSettingsSchema, 'The settings')

/**
 * `/tenants/settings`: the tenant's name, locales, branding and flags (DESIGN §2, §4.2). The
 * locales a tenant may enable are the ones the service ships, hence a function of them.
 */
export function tenantSettingsRoutes(locales: readonly string[]) {
  const locale = z.enum(locales as [string, ...string[]], {
    error: `must be one of ${locales.join(', ')}`,
  })
  const patchBody = z.strictObject({
    ...readOnlyFields('TenantSettings', ['TenantSettingsUpdate']),
    ...tenantSettingsKept,
    friendly_name: displayName(255).optional(),
    picture_url: z.union([httpsUrl, z.literal('')]).optional(),
    default_locale: locale.optional(),
    enabled_locales: z.array(locale).min(1).max(locales.length).optional(),
    flags: z
      .record(z.string().regex(/^[a-z0-9_]{1,64}$/, 'must be a flag name'), z.boolean())
      .describe(
        `Merged into the tenant's flags. Assent acts on ${TENANT_FLAGS.map((flag) => `${flag.name} (${flag.label.toLowerCase()}; default ${flag.default})`).join(', ')}; other flags are kept as sent.`,
      )
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
    /** Seconds a grant counts unless its client says otherwise (DESIGN §3.5.1); `null`: forever. */
    consent_lifetime: z
      .number()
      .int()
      .min(60)
      .max(10 * 366 * 86_400)
      .nullable()
      .optional(),
    /** Seconds a self-registered app's grants count (DESIGN §3.10); `null`: the 30-day default. */
    dynamic_client_consent_lifetime: z
      .number()
      .int()
      .min(60)
      .max(10 * 366 * 86_400)
      .nullable()
      .optional(),
    /** The durations prompts let users choose from (DESIGN §3.5.1); `null`: no choice. */
    consent_duration_choices: durationChoices.nullable().optional(),
  })

  return {
    get: managementRoute({
      method: 'get',
      path: '/tenants/settings',
      summary: 'Get the tenant settings',
      tag,
      scopes: ['read:tenant_settings'],
      request: { query: z.strictObject(fieldsQuery) },
      responses: { 200: jsonContent(withFields(tenantSettingsSchema), 'The settings') },
      errors: [],
    }),
    update: managementRoute({
      method: 'patch',
      path: '/tenants/settings',
      summary: 'Update the tenant settings; `flags` and `branding` are merged',
      tag,
      scopes: ['update:tenant_settings'],
      request: { body: jsonRequest(patchBody) },
      responses: { 200: settings },
      errors: [413],
    }),
  }
}
