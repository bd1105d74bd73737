import type { AuthorizationDetail, DetailType } from '../consent/index.js'
import type { ResourceServer } from '../entities.js'
import { detailFieldTexts, detailText } from '../i18n/details.js'
import type { RichText } from '../i18n/rich-text.js'
import { apiHeader } from './admin-apis.js'
import type { FormState } from './admin-console.js'
import { englishName } from './language-names.js'

/** What the admin asked to see rendered: a type and a sample entry, read by the route. */
export interface DetailSample {
  readonly type: string
  /** The sample as typed, shown again in its box. */
  readonly text: string
  /** The sample as an entry of the type; absent when it could not be read. */
  readonly entry?: AuthorizationDetail
  /** Why the sample could not be read. */
  readonly error?: string
  /** Why the type's schema refuses it: what a consent request carrying it would get. */
  readonly refusal?: string | null
}

const languageOf = (tag: string) => {
  const name = englishName(tag)
  return name !== tag ? `${name} (${tag})` : tag
}

/** One template filled with the sample in its own language, or why it cannot be. */
function rendered(
  type: DetailType,
  locale: string,
  entry: AuthorizationDetail | undefined,
): { text: RichText | null; note: string | null } {
  if (!entry) return { text: null, note: null }
  const template = type.consentTemplates[locale] ?? ''
  const words = detailText(entry, { ...type, consentTemplates: { [locale]: template } }, locale)
  return words.templated
    ? { text: words.text, note: null }
    : {
        text: null,
        note: 'The sample does not fill this template (a field it names is missing, or not of the kind its format takes): the page shows the type’s name and the fields instead.',
      }
}

/**
 * The Authorization details tab (DESIGN §3.9, §5): each detail type the API declares, its schema,
 * its template per language with each rendered from a sample entry the admin gives, the form that
 * sets one language's template, the one that removes the type, and the form that adds a type.
 */
export function apiDetailTypesModel(input: {
  api: ResourceServer
  canEdit: boolean
  form: FormState
  /** The languages the service speaks, offered for a template. */
  locales: readonly string[]
  sample: DetailSample | null
}) {
  const { api, form } = input
  const base = `/admin/apis/${encodeURIComponent(api.id)}/details`
  // A refused template is shown again in the form of the type it was for.
  const failedType = form.values.form === 'template' ? form.values.type : undefined
  const types = api.authorizationDetails ?? []
  // A refusal with no form of its own on the page (a type removed meanwhile): said at the top.
  const placed = form.values.form === 'add' || types.some((type) => type.type === failedType)
  const firstError = Object.values(form.errors)[0]
  return {
    header: apiHeader(api, 'details'),
    canEdit: input.canEdit && !api.isSystem,
    error: placed ? null : (firstError ?? null),
    addAction: base,
    add: {
      type: form.values.form === 'add' ? (form.values.type ?? '') : '',
      schema: form.values.form === 'add' ? (form.values.schema ?? '') : '',
      templates: form.values.form === 'add' ? (form.values.templates ?? '') : '',
      errors: form.values.form === 'add' ? form.errors : {},
    },
    types: types.map((type, index) => {
      const sample = input.sample?.type === type.type ? input.sample : null
      const locales = Object.keys(type.consentTemplates)
      // The post refused for this type, if any: its words and message go back beside its field.
      const failed = failedType === type.type ? form : null
      const failedLocale = failed?.values.locale
      const refusedHere = (locale: string) => failed !== null && failedLocale === locale
      const error = failed ? (failed.errors.template ?? failed.errors.type ?? null) : null
      const newLocale = failedLocale !== undefined && !locales.includes(failedLocale)
      return {
        id: `type-${index}`,
        type: type.type,
        schema: type.schema ? JSON.stringify(type.schema, null, 2) : null,
        templateAction: `${base}/template`,
        removeAction: `${base}/remove`,
        sampleAction: base,
        templates: locales.map((locale, row) => ({
          id: `type-${index}-${row}`,
          locale,
          language: languageOf(locale),
          value: refusedHere(locale)
            ? (failed?.values.template ?? '')
            : (type.consentTemplates[locale] ?? ''),
          error: refusedHere(locale) ? error : null,
          ...rendered(type, locale, sample?.entry),
        })),
        // A language without a template: its page shows the type's name and the fields.
        missing: input.locales
          .filter((locale) => !locales.includes(locale))
          .map((tag) => ({
            tag,
            name: languageOf(tag),
            selected: newLocale ? tag === failedLocale : tag === 'en',
          })),
        newValue: newLocale ? (failed?.values.template ?? '') : '',
        newError: newLocale ? error : null,
        sample: {
          text: sample?.text ?? '',
          error: sample?.error ?? null,
          refusal: sample?.refusal ?? null,
          fields: sample?.entry ? detailFieldTexts(sample.entry, 'en') : [],
        },
      }
    }),
  }
}
