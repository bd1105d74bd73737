import {
  displayableLink,
  displayableLogo,
  durationValue,
  type FlagName,
  flagOn,
  TENANT_FLAGS,
} from '../consent/index.js'
import type { Client, Tenant, TenantSettings } from '../entities.js'
import type { FormState } from './admin-console.js'
import { englishName } from './language-names.js'

const clientHref = (client: Pick<Client, 'clientId'>) =>
  `/admin/clients/${encodeURIComponent(client.clientId)}`

/** The list's two views (DESIGN §3.10): every client, or the ones that registered themselves. */
export type ClientListKind = 'all' | 'self_registered'

export function clientListModel(input: {
  clients: readonly Client[]
  canCreate: boolean
  form: FormState
  kind: ClientListKind
}) {
  return {
    clients: input.clients.map((client) => ({
      name: client.name,
      clientId: client.clientId,
      href: clientHref(client),
      firstParty: client.isFirstParty,
      selfRegistered: client.isDynamic,
    })),
    filters: [
      { label: 'All', href: '/admin/clients', current: input.kind === 'all' },
      {
        label: 'Self-registered',
        href: '/admin/clients?kind=self_registered',
        current: input.kind === 'self_registered',
      },
    ],
    empty: input.kind === 'self_registered' ? 'No self-registered client.' : 'No client yet.',
    canCreate: input.canCreate,
    form: input.form,
  }
}

/** A list of durations as the console shows and reads it: `3600, 86400, until_removed`. */
const durationsText = (choices: Client['consentDurationChoices'] | undefined) =>
  (choices ?? []).map(durationValue).join(', ')

/**
 * A client form's fields as the page shows them for `client`, in the shape its post is parsed to
 * (callbacks one a line, as a list): what a save compares the post with.
 */
export function clientFormValues(client: Client) {
  return {
    name: client.name,
    description: client.description,
    logo_uri: client.logoUri ?? '',
    client_uri: client.clientUri ?? '',
    policy_uri: client.policyUri ?? '',
    tos_uri: client.tosUri ?? '',
    callbacks: [...client.callbacks],
    is_first_party: client.isFirstParty,
    consent_duration_choices: durationsText(client.consentDurationChoices),
    is_verified: client.isVerified,
    consent_lifetime: client.consentLifetime,
  }
}

/** The units a consent lifetime is typed in, largest first; the form stores seconds. */
export const LIFETIME_UNITS = [
  { value: 'days', label: 'days', seconds: 86_400 },
  { value: 'hours', label: 'hours', seconds: 3600 },
  { value: 'minutes', label: 'minutes', seconds: 60 },
  { value: 'seconds', label: 'seconds', seconds: 1 },
] as const

export type LifetimeUnit = (typeof LIFETIME_UNITS)[number]['value']

/** Seconds as the form shows them: in the largest unit that holds them whole. */
export function lifetimeFields(seconds: number | null): { amount: string; unit: LifetimeUnit } {
  if (seconds === null) return { amount: '', unit: 'days' }
  const unit = LIFETIME_UNITS.find((u) => seconds % u.seconds === 0) ?? LIFETIME_UNITS[3]
  return { amount: String(seconds / unit.seconds), unit: unit.value }
}

/** The lifetime as typed (after a refusal), else as stored. */
function lifetimeValues(form: FormState, seconds: number | null) {
  const stored = lifetimeFields(seconds)
  return {
    consent_lifetime: form.values.consent_lifetime ?? stored.amount,
    consent_lifetime_unit: form.values.consent_lifetime_unit ?? stored.unit,
  }
}

/**
 * A client's page: the form (with what the user typed when it was refused or previewed), and the
 * prompt's header as it would show this name and logo (a logo that is not https is not shown).
 */
export function clientModel(input: {
  client: Client
  can: { update: boolean; remove: boolean }
  form: FormState
}) {
  const { client, form } = input
  const shown = clientFormValues(client)
  const values = {
    name: form.values.name ?? shown.name,
    description: form.values.description ?? shown.description,
    logo_uri: form.values.logo_uri ?? shown.logo_uri,
    client_uri: form.values.client_uri ?? shown.client_uri,
    policy_uri: form.values.policy_uri ?? shown.policy_uri,
    tos_uri: form.values.tos_uri ?? shown.tos_uri,
    callbacks: form.values.callbacks ?? shown.callbacks.join('\n'),
    is_first_party:
      'is_first_party' in form.values ? form.values.is_first_party === 'on' : shown.is_first_party,
    consent_duration_choices:
      form.values.consent_duration_choices ?? shown.consent_duration_choices,
    is_verified:
      'is_verified' in form.values ? form.values.is_verified === 'on' : shown.is_verified,
    ...lifetimeValues(form, shown.consent_lifetime),
  }
  const logo = displayableLogo(values.logo_uri)
  return {
    clientId: client.clientId,
    // Set by the app when it registered itself (DESIGN §3.10): shown, never edited here.
    selfRegistered: client.isDynamic
      ? { registeredAt: client.registeredAt?.toISOString().slice(0, 10) ?? null }
      : null,
    action: clientHref(client),
    deleteAction: `${clientHref(client)}/delete`,
    can: input.can,
    values,
    units: LIFETIME_UNITS.map((unit) => ({
      value: unit.value,
      label: unit.label,
      selected: unit.value === values.consent_lifetime_unit,
    })),
    errors: form.errors,
    preview: {
      name: values.name,
      logo,
      initial: Array.from(values.name.trim())[0]?.toLocaleUpperCase('en') ?? '?',
      logoRefused: values.logo_uri !== '' && logo === null,
      // The links under the prompt's buttons, as the page would draw them (DESIGN §3.2.1).
      links: [
        { href: displayableLink(values.policy_uri), text: 'Privacy policy' },
        { href: displayableLink(values.tos_uri), text: 'Terms of service' },
      ].filter((link): link is { href: string; text: string } => link.href !== null),
    },
  }
}

/** The prompt's colour when the tenant sets none (views/assets/assent.css `--brand`). */
const DEFAULT_PRIMARY_COLOR = '#4f46e5'

/**
 * The tenant settings form's fields as the page shows them, in the shape its post is parsed to
 * (languages and return URLs as lists, the colour as a colour input sends it: lower case): what a
 * save compares the post with. Unset values read as the page shows them (every language, `en`,
 * the default colour), so saving the page unchanged does not store them.
 */
export function settingsFormValues(settings: TenantSettings, locales: readonly string[]) {
  const enabled = new Set(settings.enabled_locales ?? locales)
  return {
    friendly_name: settings.friendly_name,
    logo_url: settings.branding?.logo_url ?? '',
    primary_color: (settings.branding?.primary_color ?? DEFAULT_PRIMARY_COLOR).toLowerCase(),
    default_locale: settings.default_locale ?? 'en',
    enabled_locales: locales.filter((locale) => enabled.has(locale)),
    allowed_return_urls: [...(settings.allowed_return_urls ?? [])],
    consent_duration_choices: durationsText(settings.consent_duration_choices),
    consent_lifetime: settings.consent_lifetime ?? null,
    dynamic_client_consent_lifetime: settings.dynamic_client_consent_lifetime ?? null,
    ...(Object.fromEntries(
      TENANT_FLAGS.map((flag) => [flag.name, flagOn(settings.flags, flag.name)]),
    ) as Record<FlagName, boolean>),
  }
}

/** The tenant settings page (DESIGN §5). */
export function settingsModel(input: {
  tenant: Tenant
  locales: readonly string[]
  /** What applies while the tenant keeps no list of its own (`ASSENT_ALLOWED_RETURN_URLS`). */
  defaultReturnUrls: readonly string[]
  canEdit: boolean
  form: FormState
}) {
  const shown = settingsFormValues(input.tenant.settings, input.locales)
  const v = input.form.values
  const enabled = new Set(
    v.enabled_locales !== undefined ? v.enabled_locales.split(' ') : shown.enabled_locales,
  )
  const defaultLocale = v.default_locale ?? shown.default_locale
  const flag = (name: FlagName) => (name in v ? v[name] === 'on' : shown[name])
  return {
    canEdit: input.canEdit,
    errors: input.form.errors,
    friendlyName: v.friendly_name ?? shown.friendly_name,
    logoUrl: v.logo_url ?? shown.logo_url,
    primaryColor: v.primary_color ?? shown.primary_color,
    returnUrls: v.allowed_return_urls ?? shown.allowed_return_urls.join('\n'),
    durationChoices: v.consent_duration_choices ?? shown.consent_duration_choices,
    defaultReturnUrls: input.defaultReturnUrls.join(', '),
    lifetimes: (['consent_lifetime', 'dynamic_client_consent_lifetime'] as const).map((name) => {
      const stored = lifetimeFields(shown[name])
      const unit = v[`${name}_unit`] ?? stored.unit
      return {
        name,
        legend: name === 'consent_lifetime' ? 'Consent lifetime' : 'Self-registered apps',
        hint:
          name === 'consent_lifetime'
            ? "How long a user's Accept counts before they are asked again, for apps without their own. Blank: until revoked."
            : 'The same for apps that registered themselves. Blank: 30 days.',
        amount: v[name] ?? stored.amount,
        units: LIFETIME_UNITS.map((u) => ({
          value: u.value,
          label: u.label,
          selected: u.value === unit,
        })),
      }
    }),
    locales: input.locales.map((locale) => ({
      value: locale,
      name: englishName(locale),
      enabled: enabled.has(locale),
      isDefault: locale === defaultLocale,
    })),
    flags: TENANT_FLAGS.map((definition) => ({
      name: definition.name,
      label: definition.label,
      hint: definition.help,
      checked: flag(definition.name),
      preview: definition.previewed,
    })),
  }
}
