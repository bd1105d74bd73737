import type { PromptMode } from '../consent/index.js'
import { displayableLogo } from '../consent/index.js'
import type { Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'
import { plainText, theirs } from '../i18n/rich-text.js'
import type { ConnectedApp, PortalPage } from '../read-models.js'
import { type LanguageChoice, languagePicker, promptLineViews } from './consent-page.js'

/** Where a card's "Remove access" form posts (DESIGN §3.7). */
export const revokeAction = (clientId: string) =>
  `/account/apps/${encodeURIComponent(clientId)}/revoke`

/** A day in words in `locale`, with its year only when it is not `now`'s (UTC, as stored). */
function dayMonth(date: Date, now: Date, locale: string): string {
  const sameYear = date.getUTCFullYear() === now.getUTCFullYear()
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone: 'UTC',
  }).format(date)
}

function appCard(
  app: ConnectedApp,
  index: number,
  mode: PromptMode,
  tr: Translator,
  query: string,
  now: Date,
) {
  const { client } = app
  const values = { client: client.name }
  return {
    id: `app-${index}`,
    name: theirs(client.name),
    logoUrl: displayableLogo(client.logoUri),
    logoAlt: plainText(tr.rich('page.clientLogo', values)),
    initial: Array.from(client.name.trim())[0]?.toLocaleUpperCase(tr.locale) ?? '?',
    // The granted lines as a prompt in this language would show them now (DESIGN §1.3, §1.4).
    lines: app.access.flatMap(({ api, scopes }) => promptLineViews(mode, scopes, api, tr)),
    onlyIdentity: tr.rich('account.onlyIdentity', values),
    confirmRemove: tr.rich('account.confirmRemove', values),
    granted: tr.t('account.granted', {
      date: new Intl.DateTimeFormat(tr.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
        app.grantedAt,
      ),
    }),
    dateTime: app.grantedAt.toISOString(),
    // How long it lasts (DESIGN §3.5.1): "until 7 January", the year only when it is not this one.
    until: app.until
      ? {
          text: tr.t('account.until', { date: dayMonth(app.until, now, tr.locale) }),
          dateTime: app.until.toISOString(),
        }
      : null,
    action: `${revokeAction(client.clientId)}${query}`,
  }
}

/** The view-model of `views/account-apps.eta`: the user's connected apps (DESIGN §3.7). */
export function accountAppsModel(
  input: {
    tenant: Tenant
    page: PortalPage
    mode: PromptMode
    csrf: string
    returnTo: string | null
    /** For the year of an end date: shown only when it is not this year. */
    now: Date
    /** The tenant's languages, for the same compact picker as the prompt's (DESIGN §3.2.1). */
    languages: readonly LanguageChoice[]
    /** The language the user picked on this page, kept through a "Remove access". */
    picked: string | undefined
  },
  tr: Translator,
) {
  const { page } = input
  const keep = input.picked ? `?ui_locales=${encodeURIComponent(input.picked)}` : ''
  return {
    apps: page.apps.map((app, index) => appCard(app, index, input.mode, tr, keep, input.now)),
    removed: page.removed ? tr.rich('account.removed', { client: page.removed.name }) : null,
    csrf: input.csrf,
    returnTo: input.returnTo,
    receiptsHref: '/account/receipts.json',
    languages: languagePicker(input.languages, tr),
    text: {
      title: tr.t('account.title'),
      // "These apps can access…" introduces a list; with no app the empty line says it alone.
      intro:
        page.apps.length > 0
          ? tr.rich('account.intro', { tenant: input.tenant.settings.friendly_name })
          : null,
      signedInAs: tr.rich('page.signedInAs', { user: page.user }),
      empty: tr.t('account.empty'),
      permissions: tr.t('account.permissions'),
      remove: tr.t('account.remove'),
      confirm: tr.t('account.confirm'),
      download: tr.t('account.download'),
      back: tr.t('account.back'),
    },
  }
}

/** The view-model of `views/account-continue.eta`: a portal link's "Continue" page (DESIGN §3.7). */
export function accountContinueModel(
  input: {
    tenant: Tenant
    /** Who the browser is signed in as, and who continuing makes it, when they differ. */
    switching: { readonly from: string; readonly to: string } | null
    action: string
    csrf: string
  },
  tr: Translator,
) {
  const { switching } = input
  return {
    action: input.action,
    csrf: input.csrf,
    switching: switching
      ? tr.rich('account.continue.switching', { current: switching.from, next: switching.to })
      : null,
    text: {
      title: tr.t('account.continue.title'),
      intro: tr.rich('account.continue.intro', { tenant: input.tenant.settings.friendly_name }),
      button: tr.t('account.continue.button'),
    },
  }
}
