import type {
  AuthorizationDetail,
  DeviceSignIn,
  DurationChoice,
  PromptMode,
} from '../consent/index.js'
import {
  displayableLink,
  displayableLogo,
  durationValue,
  isRequiredLine,
  lineValue,
  promptLines,
  promptModeFor,
  standaloneScopes,
} from '../consent/index.js'
import type { Client, ResourceServer, Tenant } from '../entities.js'
import { detailViews } from '../i18n/details.js'
import type { I18n, Translator } from '../i18n/i18n.js'
import { claimTexts, lineText } from '../i18n/lines.js'
import { plainText, type RichText } from '../i18n/rich-text.js'

/** A line as a page shows it: its text, its checkbox under granular consent, and why it is back. */
export interface LineView {
  readonly text: RichText
  /** Granular consent (DESIGN §3.5): a required line has no checkbox, only its mark. */
  readonly choice: {
    readonly id: string
    readonly value: string
    readonly required: boolean
  } | null
  /** Granted before, reworded or re-created since (DESIGN §3.5.1). */
  readonly changed: boolean
  /** A standard scope's line opens to the claims it releases, in words (DESIGN §3.9). */
  readonly claims: { readonly label: string; readonly names: readonly string[] } | null
}

export interface LineOptions {
  readonly granular: boolean
  readonly required: ReadonlySet<string>
  readonly changed: ReadonlySet<string>
}

const NO_CHOICE: LineOptions = { granular: false, required: new Set(), changed: new Set() }

/** The lines of a prompt with their checkboxes and marks: the live page and the preview alike. */
export function promptLineViews(
  mode: PromptMode,
  scopes: readonly string[],
  api: ResourceServer | null,
  tr: Translator,
  options: LineOptions = NO_CHOICE,
): LineView[] {
  const alone = standaloneScopes(options.granular, scopes, options.required)
  return promptLines(mode, scopes, api, tr.locale, alone).map((line, index) => {
    const claims = claimTexts(line, tr)
    return {
      text: lineText(line, tr),
      choice: options.granular
        ? {
            id: `line-${index}`,
            value: lineValue(line),
            required: isRequiredLine(line, options.required),
          }
        : null,
      changed: line.scopes.some((scope) => options.changed.has(scope)),
      claims: claims.length > 0 ? { label: tr.t('claims.shared'), names: claims } : null,
    }
  })
}

export function promptMode(tenant: Tenant): PromptMode {
  return promptModeFor(tenant.settings.flags)
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * Where a self-registered app says it lives: its `client_uri`, else where it sends the browser
 * (a device sign-in sends it nowhere: its first callback, if it has one).
 */
function trustHost(client: Client, redirectUri: string, tr: Translator): RichText | null {
  const url = client.clientUri ?? (redirectUri || client.callbacks[0])
  return url ? tr.rich('page.clientHost', { host: hostOf(url) }) : null
}

/** The largest unit a whole number of seconds reads in: 30 days, 2 hours, 90 minutes. */
function durationUnit(seconds: number): { unit: string; amount: number } {
  for (const [unit, size] of [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ] as const)
    if (seconds % size === 0) return { unit, amount: seconds / size }
  return { unit: 'second', amount: seconds }
}

/**
 * A duration in the page's language: a number and its unit in words, as `Intl` writes them for
 * every locale ("30 days", "30 jours"), or "until you remove it".
 */
export function durationLabel(choice: DurationChoice, tr: Translator): string {
  if (choice === null) return tr.t('page.untilRemoved')
  const { unit, amount } = durationUnit(choice)
  return new Intl.NumberFormat(tr.locale, { style: 'unit', unit, unitDisplay: 'long' }).format(
    amount,
  )
}

/**
 * The duration choice (DESIGN §3.5.1): one radio button per duration, shortest first, with the
 * longest checked — what the grant would last had the page offered no choice — so an accept
 * without touching it changes nothing; none when nothing is offered.
 */
function durationChoice(durations: readonly DurationChoice[] | undefined, tr: Translator) {
  if (!durations || durations.length === 0) return null
  return {
    legend: tr.t('page.durationLegend'),
    choices: durations.map((choice, index) => ({
      id: `duration-${index}`,
      value: durationValue(choice),
      label: durationLabel(choice, tr),
      checked: index === durations.length - 1,
    })),
  }
}

/** An option of the language picker: one of the tenant's locales. */
export interface LanguageChoice {
  readonly tag: string
  /** The language's own name (`meta.language`): a reader finds their language by it. */
  readonly name: string
}

/**
 * The language picker's options (DESIGN §3.2.1): one `<select name="ui_locales">` in a GET form
 * that renders the page again, for a user whose browser guessed wrong; no script, so it works
 * with JavaScript off. A form without `action` submits to the page's own path, so the request id
 * is never written into the picker.
 */
export function languageChoices(
  locales: readonly string[],
  i18n: Pick<I18n, 'translator'>,
): LanguageChoice[] {
  return locales.map((tag) => ({ tag, name: i18n.translator(tag).t('meta.language') }))
}

/** The picker's view-model in the page's language; none when there is nothing to choose. */
export function languagePicker(choices: readonly LanguageChoice[] | undefined, tr: Translator) {
  if (!choices || choices.length < 2) return null
  return {
    label: tr.t('page.languages'),
    submit: tr.t('page.changeLanguage'),
    choices: choices.map((choice) => ({ ...choice, current: choice.tag === tr.locale })),
  }
}

export interface ConsentPageInput {
  tenant: Tenant
  /**
   * The version of the tenant's configuration the page was built from: it stands for every
   * setting of the tenant, its clients and APIs that the page reads through the objects above.
   */
  configEpoch: string
  client: Client
  api: ResourceServer | null
  userName: string
  /** `''` for a device sign-in, which names its device instead (DESIGN §3.10). */
  redirectUri: string
  /** A device sign-in: the code to compare and the device's name. */
  device?: DeviceSignIn | null
  /** The AS's "Not you?" link (DESIGN §3.2.1). */
  switchAccountUrl?: string | null
  /** The durations the user may choose from (DESIGN §3.5.1), as the rendition recorded them. */
  durations?: readonly DurationChoice[]
  /** The request's RFC 9396 entries (DESIGN §3.9), as the AS sent them. */
  authorizationDetails?: readonly AuthorizationDetail[] | null
  /** Indexes of the entries marked changed: they read otherwise since the page was answered. */
  changedDetails?: ReadonlySet<number>
  /** The scopes the page asks about, in prompt order. */
  scopes: readonly string[]
  /** How many other scopes the user already granted this client (incremental consent). */
  alreadyGranted: number
  /** Grouped or descriptions; the live page follows the tenant flag, the preview shows both. */
  mode: PromptMode
  formAction: string
  csrf: string
  /** Checkboxes, required and changed lines; absent: all or nothing. */
  lineOptions?: LineOptions
  /** The picker's languages; none (or one) shows no picker. */
  languages?: readonly LanguageChoice[]
  /** The id of this render, posted with the answer (DESIGN §3.2.2); absent in the preview. */
  rendition?: string
  /**
   * Why the page is shown again after an answer (DESIGN §3.2.2): made on a page that is not the
   * latest, or on one whose meaning changed since; absent on an ordinary view.
   */
  notice?: 'updated' | 'changed' | null
  /** The page's language. */
  tr: Translator
}

const joined = (values: Iterable<string>) => [...values].join(' ')

/**
 * How each input of the page enters its cache key (STYLE 15): one entry per field of
 * `ConsentPageInput`, so a field added to the input and not here is a compile error, and two
 * requests share a rendered page only when every input the model reads is the same.
 */
const KEY_PARTS: {
  readonly [K in keyof Required<ConsentPageInput>]: (input: ConsentPageInput) => string
} = {
  tenant: (input) => input.tenant.id,
  configEpoch: (input) => input.configEpoch,
  client: (input) => input.client.clientId,
  api: (input) => input.api?.id ?? '',
  userName: (input) => input.userName,
  redirectUri: (input) => input.redirectUri,
  device: (input) =>
    input.device
      ? input.device.name === null
        ? input.device.userCode
        : `${input.device.userCode}|${input.device.name}`
      : '',
  switchAccountUrl: (input) => input.switchAccountUrl ?? '',
  durations: (input) => joined((input.durations ?? []).map(durationValue)),
  authorizationDetails: (input) =>
    input.authorizationDetails ? JSON.stringify(input.authorizationDetails) : '',
  changedDetails: (input) => joined([...(input.changedDetails ?? [])].map(String)),
  scopes: (input) => joined(input.scopes),
  alreadyGranted: (input) => String(input.alreadyGranted),
  mode: (input) => input.mode,
  formAction: (input) => input.formAction,
  csrf: (input) => input.csrf,
  lineOptions: (input) =>
    input.lineOptions
      ? `${input.lineOptions.granular}|${joined(input.lineOptions.required)}|${joined(input.lineOptions.changed)}`
      : '',
  languages: (input) => joined((input.languages ?? []).map((choice) => choice.tag)),
  rendition: (input) => input.rendition ?? '',
  notice: (input) => input.notice ?? '',
  tr: (input) => input.tr.locale,
}
const KEY_FIELDS = Object.keys(KEY_PARTS) as (keyof ConsentPageInput)[]

/**
 * The cache key of a page: every input, each part after its length so that no two inputs give
 * the same key whatever characters they hold. Shared pages carry sentinels for the user's own
 * values (name, form token, request id), so those parts are the same for everyone.
 */
export function consentPageKey(input: ConsentPageInput): string {
  let key = ''
  for (const field of KEY_FIELDS) {
    const part = KEY_PARTS[field](input)
    key += `${part.length}:${part}`
  }
  return key
}

/**
 * A request's RFC 9396 entries as the page lists them (DESIGN §3.9): one line each, its fields
 * under it, and under granular consent a box each, posting the entry's index, checked by default.
 */
export function detailLineViews(
  entries: readonly AuthorizationDetail[] | null | undefined,
  api: ResourceServer | null,
  tr: Translator,
  granular: boolean,
  changed: ReadonlySet<number> = new Set(),
) {
  if (!entries || entries.length === 0) return null
  return {
    heading: tr.t('details.heading'),
    fieldsLabel: tr.t('details.fields'),
    items: detailViews(entries, api?.authorizationDetails, tr).map((view) => ({
      ...view,
      choice: granular ? { id: `detail-${view.index}`, value: String(view.index) } : null,
      changed: changed.has(view.index),
    })),
    changedBadge: tr.t('page.changedBadge'),
  }
}

/**
 * The view-model of `views/consent.eta`: every string already translated, and what a tenant,
 * client or user wrote kept apart as rich text, which the view shows in `<bdi>` (DESIGN §6).
 */
export function consentPageModel(input: ConsentPageInput) {
  const { tenant, client, tr } = input
  const device = input.device ?? null
  // Every value is someone else's words.
  const values = {
    client: client.name,
    tenant: tenant.settings.friendly_name,
    user: input.userName,
    host: hostOf(input.redirectUri),
    device: device?.name ?? '',
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
    lines: promptLineViews(input.mode, input.scopes, input.api, tr, input.lineOptions),
    details: detailLineViews(
      input.authorizationDetails,
      input.api,
      tr,
      input.lineOptions?.granular === true,
      input.changedDetails,
    ),
    granular: input.lineOptions?.granular === true,
    // An app the tenant has not verified (DESIGN §3.5.2): said plainly, above the lines.
    unverified: client.isVerified
      ? null
      : {
          title: tr.rich('page.unverifiedTitle', values),
          body: tr.rich('page.unverifiedBody', values),
        },
    // A self-registered app (DESIGN §3.10): nobody vetted it, so the page says where it comes
    // from and since when, and it is badged apart from the apps the tenant set up.
    trust: client.isDynamic
      ? {
          badge: tr.t('page.selfRegistered'),
          registered: client.registeredAt
            ? tr.t('page.registeredOn', {
                date: new Intl.DateTimeFormat(tr.locale, { dateStyle: 'long' }).format(
                  client.registeredAt,
                ),
              })
            : null,
          host: trustHost(client, input.redirectUri, tr),
        }
      : null,
    // The app's own policy and terms (DESIGN §3.2.1), under the rule the API checks them by.
    links: [
      { href: displayableLink(client.policyUri), text: tr.t('page.privacyPolicy') },
      { href: displayableLink(client.tosUri), text: tr.t('page.termsOfService') },
    ].filter((link): link is { href: string; text: string } => link.href !== null),
    // A device sign-in (DESIGN §3.10): the code large, to compare, and the warning against a
    // code someone else sent; the device stands where the redirect host would.
    device: device
      ? {
          code: device.userCode,
          compare: tr.t('page.deviceCompare'),
          warningTitle: tr.rich('page.deviceWarningTitle', values),
          warningBody: tr.rich('page.deviceWarningBody', values),
        }
      : null,
    // One notice above the lines: why the page is shown again, else why lines are asked again.
    changedNotice:
      input.notice === 'changed'
        ? tr.rich('page.changedWhileOpen', values)
        : input.notice === 'updated'
          ? tr.rich('page.pageUpdated', values)
          : input.lineOptions && input.lineOptions.changed.size > 0
            ? tr.rich('page.changedNotice', values)
            : null,
    text: {
      title: tr.rich('page.title', values),
      message: tr.rich('page.message', values),
      permissions: tr.t('page.permissions'),
      onlyIdentity: tr.rich('page.onlyIdentity', values),
      alreadyGranted,
      accept: tr.t('page.accept'),
      decline: tr.t('page.decline'),
      redirect: device
        ? tr.rich(device.name ? 'page.deviceNamed' : 'page.deviceUnnamed', values)
        : tr.rich('page.redirect', values),
      switchAccount: tr.t('page.switchAccount'),
      signedInAs: tr.rich('page.signedInAs', values),
      required: tr.t('page.required'),
      changed: tr.t('page.changedBadge'),
      optionalHint: tr.t('page.optionalHint'),
    },
    switchAccountUrl: input.switchAccountUrl ?? null,
    duration: durationChoice(input.durations, tr),
    form: {
      id: 'answer',
      action: input.formAction,
      csrf: input.csrf,
      rendition: input.rendition ?? '',
    },
    languages: languagePicker(input.languages, tr),
  }
}
