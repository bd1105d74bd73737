import type { Client, Tenant } from '../entities.js'
import type { FormState } from './admin-console.js'
import { displayableLogo } from './consent-page.js'

const clientHref = (client: Pick<Client, 'clientId'>) =>
  `/admin/clients/${encodeURIComponent(client.clientId)}`

export function clientListModel(input: {
  clients: readonly Client[]
  canCreate: boolean
  form: FormState
}) {
  return {
    clients: input.clients.map((client) => ({
      name: client.name,
      clientId: client.clientId,
      href: clientHref(client),
      firstParty: client.isFirstParty,
    })),
    canCreate: input.canCreate,
    form: input.form,
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
  const values = {
    name: form.values.name ?? client.name,
    description: form.values.description ?? client.description,
    logo_uri: form.values.logo_uri ?? client.logoUri ?? '',
    callbacks: form.values.callbacks ?? client.callbacks.join('\n'),
    is_first_party:
      'is_first_party' in form.values ? form.values.is_first_party === 'on' : client.isFirstParty,
  }
  const logo = displayableLogo(values.logo_uri)
  return {
    clientId: client.clientId,
    action: clientHref(client),
    deleteAction: `${clientHref(client)}/delete`,
    can: input.can,
    values,
    errors: form.errors,
    preview: {
      name: values.name,
      logo,
      initial: Array.from(values.name.trim())[0]?.toLocaleUpperCase('en') ?? '?',
      logoRefused: values.logo_uri !== '' && logo === null,
    },
  }
}

/** The tenant settings page (issue 19 item 5). */
export function settingsModel(input: {
  tenant: Tenant
  locales: readonly string[]
  /** What applies while the tenant keeps no list of its own (`ASSENT_ALLOWED_RETURN_URLS`). */
  defaultReturnUrls: readonly string[]
  canEdit: boolean
  form: FormState
}) {
  const { settings } = input.tenant
  const v = input.form.values
  const enabled = new Set(
    v.enabled_locales !== undefined
      ? v.enabled_locales.split(' ')
      : (settings.enabled_locales ?? input.locales),
  )
  const defaultLocale = v.default_locale ?? settings.default_locale ?? 'en'
  const flag = (name: string) => (name in v ? v[name] === 'on' : settings.flags[name] === true)
  return {
    canEdit: input.canEdit,
    errors: input.form.errors,
    friendlyName: v.friendly_name ?? settings.friendly_name,
    logoUrl: v.logo_url ?? settings.branding?.logo_url ?? '',
    primaryColor: v.primary_color ?? settings.branding?.primary_color ?? '#4f46e5',
    returnUrls: v.allowed_return_urls ?? (settings.allowed_return_urls ?? []).join('\n'),
    defaultReturnUrls: input.defaultReturnUrls.join(', '),
    locales: input.locales.map((locale) => ({
      value: locale,
      enabled: enabled.has(locale),
      isDefault: locale === defaultLocale,
    })),
    flags: [
      {
        name: 'use_scope_descriptions_for_consent',
        label: 'Show scope descriptions on the prompt',
        hint: 'Off: scopes are grouped by resource.',
        checked: flag('use_scope_descriptions_for_consent'),
        preview: true,
      },
      {
        name: 'enable_granular_consent',
        label: 'Let users untick optional scopes',
        hint: 'Granular consent for every prompt of the tenant.',
        checked: flag('enable_granular_consent'),
        preview: false,
      },
    ],
  }
}
