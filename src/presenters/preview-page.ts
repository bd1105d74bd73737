import type { AuthorizationDetail, PromptWarning } from '../consent/index.js'
import {
  consentLifetime,
  declaredType,
  detailTemplate,
  displayableLogo,
  effectiveScopes,
  flagOn,
  offeredDurations,
  promptWarnings,
  requiredScopes,
  STANDARD_SCOPES,
  splitScopeString,
} from '../consent/index.js'
import type { Client, ResourceServer, Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'
import { isolate } from '../i18n/rich-text.js'
import { labelsHref } from './admin-apis.js'
import { consentPageModel, promptMode } from './consent-page.js'
import { englishName } from './language-names.js'

export interface PreviewInput {
  tenant: Tenant
  apis: ResourceServer[]
  clients: Client[]
  api: ResourceServer | null
  client: Client | null
  /** `undefined`: every scope of the API (DESIGN §5). */
  scope: string | undefined
  tr: Translator
  locales: readonly string[]
  canFlip: boolean
  csrf: string
  /** The query string that shows this very preview, to come back to after flipping. */
  back: string
  /** Per scope of the API, how many grants hold an older version of it. */
  askedAgain?: ReadonlyMap<string, number>
  /** Show it as a device sign-in (DESIGN §3.10), with a sample code. */
  device?: boolean
  /**
   * A request's `authorization_details` to show (DESIGN §3.9): the JSON as typed, the entries,
   * and why a consent request carrying them would be refused.
   */
  details?: {
    readonly text: string
    readonly entries: readonly AuthorizationDetail[]
    readonly error: string | null
  }
}

/**
 * What the preview says of a request's entries: the refusal a consent request would get, and each
 * type without a template for the language, whose users read its fields instead of a sentence.
 */
function detailWarnings(input: PreviewInput): { text: string; scopes: string[]; fix: null }[] {
  const details = input.details
  if (!details) return []
  const language = englishName(input.tr.locale)
  const untemplated = new Set(
    details.entries
      .filter((entry) => {
        const type = declaredType(input.api?.authorizationDetails, entry)
        return type !== undefined && detailTemplate(type, input.tr.locale) === undefined
      })
      .map((entry) => entry.type),
  )
  return [
    ...(details.error
      ? [
          {
            text: `A consent request with these authorization_details is refused: ${details.error}`,
            scopes: [],
            fix: null,
          },
        ]
      : []),
    ...[...untemplated].map((type) => ({
      text: `No ${language} template for this detail type: users read the entry's fields under its type's name instead of a sentence.`,
      scopes: [type],
      fix: null,
    })),
  ]
}

/** The code a device sign-in's preview shows: RFC 8628's own example. */
const SAMPLE_USER_CODE = 'WDJB-MJHT'

const WARNING_TEXT: Record<Exclude<PromptWarning['kind'], 'no_resource_label'>, string> = {
  no_description:
    'No description for this language: with descriptions on, users read the raw scope value.',
  untranslated_description:
    'No description written for this language: with descriptions on, users read the default one.',
  plain_scope: 'Not in action:resource form: grouped, users read the raw scope value.',
  undefined_scope: 'Not defined by this API: dropped from every prompt.',
  reserved_scope: 'Reserved names no API can define: dropped from every prompt.',
  offline_not_allowed: 'This API does not allow offline access: offline_access is dropped.',
  client_without_logo:
    'This client has no logo that can be shown: the prompt shows its initial instead.',
}

function warningText(warning: PromptWarning, locale: string): string {
  if (warning.kind !== 'no_resource_label') return WARNING_TEXT[warning.kind]
  return `No ${englishName(locale)} label for “${warning.resource}”: grouped, its line keeps the API's own words.`
}

/**
 * The tenant-flag preview (DESIGN §5): the prompt as users would read it, grouped and with
 * descriptions, built by the same domain code and view-model as the live page.
 */
export function previewModel(input: PreviewInput) {
  const { tenant, api, client, tr } = input
  const requested =
    input.scope === undefined
      ? (api?.scopes ?? []).map((scope) => scope.value)
      : splitScopeString(input.scope)
  // The preview assumes a user who holds every permission and has granted nothing yet.
  const scopes = effectiveScopes({
    requested,
    api,
    permissions: new Set((api?.scopes ?? []).map((scope) => scope.value)),
    granted: [],
  })
  const live = promptMode(tenant)
  const prompt = (mode: 'grouped' | 'descriptions') =>
    client
      ? consentPageModel({
          tenant,
          // The preview is rendered afresh each time: no cache key reads it.
          configEpoch: '',
          client,
          api,
          userName: 'user@example.com',
          // A device sign-in has no redirect: the page names the device instead.
          redirectUri: input.device ? '' : (client.callbacks[0] ?? 'https://app.example/callback'),
          device: input.device ? { userCode: SAMPLE_USER_CODE, name: null } : null,
          // The durations users of this client may choose from (DESIGN §3.5.1).
          durations: offeredDurations(
            client.consentDurationChoices,
            tenant.settings.consent_duration_choices,
            consentLifetime(client, tenant.settings),
          ),
          authorizationDetails: input.details?.entries ?? null,
          scopes: scopes.effective,
          alreadyGranted: 0,
          mode,
          formAction: '',
          csrf: '',
          // The boxes users will see when the tenant lets them pick (DESIGN §3.5); the AS
          // marks nothing required here, so only the rule's own (`openid`) applies.
          lineOptions: {
            granular: flagOn(tenant.settings.flags, 'enable_granular_consent'),
            required: new Set(requiredScopes([], scopes.effective)),
            changed: new Set(),
          },
          tr,
        })
      : null
  const checked = new Set(requested)
  const warnings = promptWarnings({
    requested,
    effective: scopes.effective,
    api,
    locale: tr.locale,
    clientHasLogo: displayableLogo(client?.logoUri) !== null,
  })
  return {
    tenantName: tenant.settings.friendly_name,
    form: {
      // An <option> holds text only, so names are isolated with FSI…PDI rather than <bdi>.
      apis: input.apis.map((a) => ({
        value: a.identifier,
        label: `${isolate(a.name)} (${isolate(a.identifier)})`,
        selected: a.identifier === api?.identifier,
      })),
      clients: input.clients.map((c) => ({
        value: c.clientId,
        label: isolate(c.name),
        selected: c.clientId === client?.clientId,
      })),
      scopes: [
        ...(api?.scopes ?? []).map((scope) => ({
          value: scope.value,
          checked: checked.has(scope.value),
          standard: false,
        })),
        ...STANDARD_SCOPES.map((value) => ({ value, checked: checked.has(value), standard: true })),
      ],
      locales: input.locales.map((locale) => ({
        value: locale,
        name: englishName(locale),
        selected: locale === tr.locale,
      })),
      details: input.details?.text ?? '',
      device: input.device === true,
    },
    lang: tr.locale,
    dir: tr.dir,
    live,
    columns: (['grouped', 'descriptions'] as const).map((mode) => ({
      mode,
      testid: `scope-lines-${mode}`,
      title: mode === 'grouped' ? 'Grouped by resource (flag off)' : 'Scope descriptions (flag on)',
      live: mode === live,
      prompt: prompt(mode),
    })),
    warnings: [
      ...warnings.map((warning) => ({
        text: warningText(warning, tr.locale),
        scopes: warning.scopes,
        // Where the admin adds what is missing: the API's Labels tab, at that resource.
        fix:
          warning.kind === 'no_resource_label' && api
            ? { href: labelsHref(api, warning.resource), text: 'Add labels' }
            : null,
      })),
      // A reworded scope is asked for again (DESIGN §3.5.1): say how many users that reaches.
      ...[...(input.askedAgain ?? new Map())].map(([scope, users]) => ({
        text: `Its description or label changed since users granted it: ${users} ${users === 1 ? 'user' : 'users'} will be asked again.`,
        scopes: [scope],
        fix: null,
      })),
      ...detailWarnings(input).map((warning) => ({ ...warning, fix: null })),
    ],
    flag: {
      on: live === 'descriptions',
      canFlip: input.canFlip,
      csrf: input.csrf,
      back: input.back,
    },
    csrf: input.csrf,
  }
}
