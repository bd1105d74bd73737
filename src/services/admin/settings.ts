import type { Actor, Tenant, TenantSettings } from '../../entities.js'
import { AppError, FieldError } from '../../errors.js'
import type { Store } from '../../store/port.js'
import type { Audit } from './audit.js'
import { AA_NORMAL_TEXT, contrastRatio } from './contrast.js'
import { checkDisplayName, checkDurationChoices, checkLifetime, checkUrl } from './validation.js'

/** A change to the tenant settings: what is given replaces, `flags` and `branding` merge. */
export interface SettingsPatch {
  readonly friendly_name?: string | undefined
  readonly picture_url?: string | undefined
  readonly default_locale?: string | undefined
  readonly enabled_locales?: readonly string[] | undefined
  readonly flags?: Readonly<Record<string, boolean>> | undefined
  readonly branding?:
    | { logo_url?: string | undefined; primary_color?: string | undefined }
    | undefined
  /** `null` removes the tenant's list: the configured default applies again. */
  readonly allowed_return_urls?: readonly string[] | null | undefined
  /** Seconds a grant counts (DESIGN §3.5.1); `null` clears it: until revoked. */
  readonly consent_lifetime?: number | null | undefined
  /** Seconds for self-registered apps (DESIGN §3.10); `null` restores the 30-day default. */
  readonly dynamic_client_consent_lifetime?: number | null | undefined
  /** The durations prompts offer (DESIGN §3.5.1); `null` clears them: no choice. */
  readonly consent_duration_choices?: readonly (number | null)[] | null | undefined
  /** Auth0's fields kept as sent (DESIGN §4.2.1); they replace the same-named ones. */
  readonly auth0?: Readonly<Record<string, unknown>> | undefined
}

/** Refuses a primary colour that white text cannot be read on (WCAG AA, DESIGN §3.2.1). */
function checkPrimaryColor(color: string): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(color))
    throw new FieldError('primary_color', 'must be a color like #4f46e5')
  const ratio = contrastRatio(color, '#ffffff')
  if (ratio < AA_NORMAL_TEXT)
    throw new FieldError(
      'primary_color',
      `has a contrast of ${ratio.toFixed(2)}:1 with white text; WCAG AA needs ${AA_NORMAL_TEXT}:1`,
    )
  return color
}

/** The tenant's settings (DESIGN §2, §4.2), for the Management API and the console alike. */
export function createSettings(store: Store, locales: readonly string[], audit: Audit) {
  const checkLocale = (field: string, locale: string) => {
    if (!locales.includes(locale))
      throw new FieldError(field, `must be one of ${locales.join(', ')}`)
    return locale
  }

  return {
    async update(actor: Actor, tenant: Tenant, patch: SettingsPatch): Promise<Tenant> {
      const current = tenant.settings
      const url = (field: string, value: string) => checkUrl(field, value) ?? undefined
      const enabled = patch.enabled_locales?.map((l) => checkLocale('enabled_locales', l))
      if (enabled && enabled.length === 0)
        throw new FieldError('enabled_locales', 'must name at least one language')
      const branding = patch.branding
        ? {
            ...current.branding,
            ...(patch.branding.logo_url !== undefined
              ? { logo_url: url('logo_url', patch.branding.logo_url) }
              : {}),
            ...(patch.branding.primary_color !== undefined
              ? {
                  primary_color: patch.branding.primary_color
                    ? checkPrimaryColor(patch.branding.primary_color)
                    : undefined,
                }
              : {}),
          }
        : undefined
      const next: TenantSettings = {
        ...current,
        ...(patch.friendly_name !== undefined
          ? { friendly_name: checkDisplayName('friendly_name', patch.friendly_name, 255) }
          : {}),
        ...(patch.picture_url !== undefined
          ? { picture_url: url('picture_url', patch.picture_url) }
          : {}),
        ...(patch.default_locale !== undefined
          ? { default_locale: checkLocale('default_locale', patch.default_locale) }
          : {}),
        ...(enabled ? { enabled_locales: [...new Set(enabled)] } : {}),
        ...(patch.allowed_return_urls === null ? { allowed_return_urls: undefined } : {}),
        ...(patch.allowed_return_urls
          ? {
              allowed_return_urls: patch.allowed_return_urls.map((u) => {
                const checked = checkUrl('allowed_return_urls', u)
                if (!checked)
                  throw new FieldError('allowed_return_urls', 'must not hold an empty URL')
                return checked
              }),
            }
          : {}),
        flags: { ...current.flags, ...patch.flags },
        ...(branding ? { branding } : {}),
        ...(patch.auth0 && Object.keys(patch.auth0).length > 0
          ? { auth0: { ...current.auth0, ...patch.auth0 } }
          : {}),
      }
      if (patch.consent_lifetime === null) delete next.consent_lifetime
      else if (patch.consent_lifetime !== undefined)
        next.consent_lifetime = checkLifetime('consent_lifetime', patch.consent_lifetime) as number
      if (patch.dynamic_client_consent_lifetime === null)
        delete next.dynamic_client_consent_lifetime
      else if (patch.dynamic_client_consent_lifetime !== undefined)
        next.dynamic_client_consent_lifetime = checkLifetime(
          'dynamic_client_consent_lifetime',
          patch.dynamic_client_consent_lifetime,
        ) as number
      if (patch.consent_duration_choices !== undefined) {
        const choices = checkDurationChoices(
          'consent_duration_choices',
          patch.consent_duration_choices,
        )
        if (choices === null) delete next.consent_duration_choices
        else next.consent_duration_choices = [...choices]
      }
      if (next.default_locale && !(next.enabled_locales ?? locales).includes(next.default_locale))
        throw new FieldError(
          'default_locale',
          'must be one of enabled_locales, the languages enabled',
        )
      // JSON drops the fields set to `undefined` (a cleared logo, a cleared colour).
      const updated = await store.tenants.updateSettings(
        tenant.id,
        JSON.parse(JSON.stringify(next)) as TenantSettings,
      )
      if (!updated) throw new AppError(404, 'not_found', 'The tenant does not exist')
      await audit.record(actor, tenant.id, 'tenant_settings.update', 'settings', {
        before: current,
        after: updated.settings,
      })
      return updated
    },
  }
}

export type Settings = ReturnType<typeof createSettings>
