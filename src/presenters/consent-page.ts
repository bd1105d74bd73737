import type { PromptMode } from '../consent/index.js'
import { promptLines, promptModeFor } from '../consent/index.js'
import type { Client, ResourceServer, Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'
import { linesText } from '../i18n/lines.js'
import { plainText, type RichText } from '../i18n/rich-text.js'

/** The lines of a prompt as text: the same code for the live page and the admin preview. */
export function promptLineTexts(
  mode: PromptMode,
  scopes: readonly string[],
  api: ResourceServer | null,
  tr: Translator,
): RichText[] {
  return linesText(promptLines(mode, scopes, api, tr.locale), tr)
}

export function promptMode(tenant: Tenant): PromptMode {
  return promptModeFor(tenant.settings.flags)
}

/**
 * A logo URL is shown only over https, or http on loopback (DESIGN §6): `localhost` or
 * `127.0.0.1`, the loopback hosts the page's Content-Security-Policy can name.
 */
export function displayableLogo(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    if (parsed.protocol === 'https:') return parsed.href
    if (
      parsed.protocol === 'http:' &&
      (parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1')
    ) {
      return parsed.href
    }
  } catch {
    // not a URL: not shown
  }
  return null
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

export interface ConsentPageInput {
  tenant: Tenant
  client: Client
  api: ResourceServer | null
  userName: string
  redirectUri: string
  /** The scopes the page asks about, in prompt order. */
  scopes: readonly string[]
  /** How many other scopes the user already granted this client (incremental consent). */
  alreadyGranted: number
  /** Grouped or descriptions; the live page follows the tenant flag, the preview shows both. */
  mode: PromptMode
  formAction: string
  csrf: string
}

/**
 * The view-model of `views/consent.eta`: every string already translated, and what a tenant,
 * client or user wrote kept apart as rich text, which the view shows in `<bdi>` (DESIGN §6).
 */
export function consentPageModel(input: ConsentPageInput, tr: Translator) {
  const { tenant, client } = input
  // Every value is someone else's words.
  const values = {
    client: client.name,
    tenant: tenant.settings.friendly_name,
    user: input.userName,
    host: hostOf(input.redirectUri),
  }
  const alreadyGranted =
    input.alreadyGranted > 0 ? tr.t('page.alreadyGranted', { count: input.alreadyGranted }) : null
  return {
    tenant: {
      logoUrl: displayableLogo(tenant.settings.branding?.logo_url ?? tenant.settings.picture_url),
      logoAlt: plainText(tr.rich('page.tenantLogo', values)),
    },
    client: {
      logoUrl: displayableLogo(client.logoUri),
      logoAlt: plainText(tr.rich('page.clientLogo', values)),
      initial: Array.from(client.name.trim())[0]?.toLocaleUpperCase(tr.locale) ?? '?',
    },
    lines: promptLineTexts(input.mode, input.scopes, input.api, tr),
    text: {
      title: tr.rich('page.title', values),
      greeting: tr.rich('page.greeting', values),
      message: tr.rich('page.message', values),
      permissions: tr.t('page.permissions'),
      onlyIdentity: tr.rich('page.onlyIdentity', values),
      alreadyGranted,
      accept: tr.t('page.accept'),
      decline: tr.t('page.decline'),
      redirect: tr.rich('page.redirect', values),
      signedInAs: tr.rich('page.signedInAs', values),
    },
    form: { action: input.formAction, csrf: input.csrf },
  }
}
