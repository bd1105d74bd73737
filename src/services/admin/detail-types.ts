import {
  type AuthorizationDetail,
  DETAIL_LIMITS,
  type DetailType,
  hiddenCharacter,
} from '../../consent/index.js'
import type { Actor, ResourceServer, ResourceServerChanges } from '../../entities.js'
import { AppError, FieldError } from '../../errors.js'
import { templateError } from '../../i18n/details.js'
import { checkAuthorizationDetails, schemaError } from '../consent/details.js'

const LOCALE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/

/** A detail type's name (RFC 9396 §2): printable ASCII without spaces, for both ways in. */
export function checkDetailTypeName(field: string, type: string): string {
  if (type.length < 1 || type.length > DETAIL_LIMITS.typeLength)
    throw new FieldError(field, `must be 1–${DETAIL_LIMITS.typeLength} characters`)
  if (!/^[\x21-\x7e]+$/.test(type))
    throw new FieldError(field, 'must be printable ASCII without spaces')
  return type
}

/**
 * A JSON Schema the validator compiles (strict: an unknown keyword would accept everything), or
 * the reason it does not: a schema that would fail on a request is refused when it is saved.
 */
export function checkDetailSchema(
  field: string,
  schema: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const refused = schemaError(schema)
  if (refused) throw new FieldError(field, `is not a usable JSON Schema: ${refused}`)
  return schema
}

/** A JSON Schema as an admin typed it in the console: `''` is none, else a JSON object. */
export function readDetailSchema(
  field: string,
  text: string,
): Readonly<Record<string, unknown>> | undefined {
  if (text.trim() === '') return undefined
  let schema: unknown
  try {
    schema = JSON.parse(text)
  } catch (error) {
    throw new FieldError(field, `is not JSON: ${error instanceof Error ? error.message : error}`)
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    throw new FieldError(field, 'must be a JSON object')
  return checkDetailSchema(field, schema as Record<string, unknown>)
}

/**
 * One language's template (DESIGN §3.9): an ICU MessageFormat message, shown to people, of bounded
 * size; one that does not parse would fail on a user's page, so it is refused when it is saved.
 */
export function checkDetailTemplate(field: string, locale: string, template: string): string {
  if (!LOCALE_TAG.test(locale)) throw new FieldError(field, `has a bad language tag ${locale}`)
  if (template.length < 1 || template.length > DETAIL_LIMITS.templateLength)
    throw new FieldError(field, `must be 1–${DETAIL_LIMITS.templateLength} characters`)
  const hidden = hiddenCharacter(template)
  if (hidden)
    throw new FieldError(
      field,
      `must not contain ${hidden}: bidi controls and other invisible format characters are refused`,
    )
  const refused = templateError(template)
  if (refused)
    throw new FieldError(
      field,
      `the ${locale} template is not an ICU MessageFormat message: ${refused}`,
    )
  return template
}

/**
 * The console's edits of an API's detail types (DESIGN §3.9, §5): add one, set or clear one
 * language's template, remove one. Each is checked by the rules the Management API applies and
 * stored through the API's one update, so it is audited like any change of the API.
 */
export function detailTypeEdits(api: {
  get(tenantId: string, id: string): Promise<ResourceServer>
  update(
    actor: Actor,
    tenantId: string,
    id: string,
    changes: ResourceServerChanges,
  ): Promise<ResourceServer>
}) {
  async function edit(
    actor: Actor,
    tenantId: string,
    id: string,
    change: (types: DetailType[]) => DetailType[],
  ): Promise<ResourceServer> {
    const current = await api.get(tenantId, id)
    const types = change([...(current.authorizationDetails ?? [])])
    return api.update(actor, tenantId, current.id, { authorizationDetails: types })
  }

  function indexOf(types: readonly DetailType[], type: string): number {
    const index = types.findIndex((candidate) => candidate.type === type)
    if (index < 0) throw new FieldError('type', `${type} is not a detail type of this API`)
    return index
  }

  return {
    /** Adds a type with its schema and templates; a name it already declares is refused. */
    addDetailType(
      actor: Actor,
      tenantId: string,
      id: string,
      input: { type: string; schema: string; templates: Readonly<Record<string, string>> },
    ) {
      const type = checkDetailTypeName('type', input.type.trim())
      const schema = readDetailSchema('schema', input.schema)
      const consentTemplates: Record<string, string> = {}
      for (const [locale, template] of Object.entries(input.templates))
        consentTemplates[locale] = checkDetailTemplate('templates', locale, template)
      return edit(actor, tenantId, id, (types) => {
        if (types.some((candidate) => candidate.type === type))
          throw new FieldError('type', 'is already a detail type of this API')
        if (types.length >= DETAIL_LIMITS.typesPerApi)
          throw new FieldError('type', `an API declares at most ${DETAIL_LIMITS.typesPerApi} types`)
        return [...types, { type, ...(schema ? { schema } : {}), consentTemplates }]
      })
    },

    /** Sets one language's template of a type; an empty template removes that language's. */
    setDetailTemplate(
      actor: Actor,
      tenantId: string,
      id: string,
      type: string,
      locale: string,
      template: string,
    ) {
      const text = template.trim()
      if (text !== '') checkDetailTemplate('template', locale, text)
      else if (!LOCALE_TAG.test(locale))
        throw new FieldError('template', `has a bad language tag ${locale}`)
      return edit(actor, tenantId, id, (types) => {
        const index = indexOf(types, type)
        const current = types[index] as DetailType
        const consentTemplates = { ...current.consentTemplates }
        if (text === '') delete consentTemplates[locale]
        else consentTemplates[locale] = text
        types[index] = { ...current, consentTemplates }
        return types
      })
    },

    /** Removes a type: requests carrying its entries are refused from then on. */
    removeDetailType(actor: Actor, tenantId: string, id: string, type: string) {
      return edit(actor, tenantId, id, (types) => {
        types.splice(indexOf(types, type), 1)
        return types
      })
    },

    /** Why the type's schema refuses a sample entry, or `null`: what a request with it would get. */
    sampleRefusal(type: DetailType, entry: AuthorizationDetail): string | null {
      try {
        checkAuthorizationDetails([entry], [type])
        return null
      } catch (error) {
        if (error instanceof AppError) return error.message
        throw error
      }
    },
  }
}
