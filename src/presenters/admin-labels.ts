import { missingResourceLabels, resourceLabel } from '../consent/index.js'
import type { ResourceServer } from '../entities.js'
import { apiHeader, labelsHref } from './admin-apis.js'
import type { FormState } from './admin-console.js'
import { englishName } from './language-names.js'

/**
 * An API's Labels tab (DESIGN §4.2, §5): each resource its scopes name, with the languages whose
 * grouped lines still lack a label of the API's own; and, for the chosen resource, a heading and
 * a noun per language, as the prompt will use them.
 */
export function apiLabelsModel(input: {
  api: ResourceServer
  locales: readonly string[]
  resource: string | undefined
  canEdit: boolean
  form: FormState
}) {
  const { api, form } = input
  const resources = missingResourceLabels(api, input.locales)
  const chosen = resources.find((entry) => entry.resource === input.resource)
  const stored = chosen ? api.consentResources?.[chosen.resource] : undefined
  return {
    header: apiHeader(api, 'labels'),
    resources: resources.map((entry) => ({
      resource: entry.resource,
      href: labelsHref(api, entry.resource),
      current: entry === chosen,
      missing: entry.missing.map(englishName),
    })),
    canEdit: input.canEdit && !api.isSystem,
    errors: form.errors,
    editor: chosen
      ? {
          resource: chosen.resource,
          action: labelsHref(api, chosen.resource),
          // English reads the admin's words as they are; a label for it is still allowed.
          rows: input.locales.map((locale) => {
            // The label this language's prompt uses now: its own, else its language's.
            const own = stored?.[locale]
            const inherited = own
              ? undefined
              : resourceLabel(api.consentResources, chosen.resource, locale)
            return {
              locale,
              name: englishName(locale),
              heading: form.values[`heading_${locale}`] ?? own?.heading ?? '',
              noun: form.values[`noun_${locale}`] ?? own?.noun ?? '',
              placeholder: inherited,
              missing: chosen.missing.includes(locale),
            }
          }),
        }
      : null,
  }
}
