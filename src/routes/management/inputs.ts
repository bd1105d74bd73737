import { z } from 'zod'
import {
  DETAIL_LIMITS,
  hiddenCharacter,
  isValidScopeValue,
  RESERVED_SCOPE_NAMES,
  SCOPE_LIMITS,
} from '../../consent/index.js'
import type { Page } from '../../entities.js'
import { FieldError } from '../../errors.js'
import {
  checkDetailSchema,
  checkDetailTemplate,
  checkDetailTypeName,
} from '../../services/admin/detail-types.js'

// The pieces request bodies and queries of the Management API are made of: one check each.

/** The one check of text shown to people (see `hiddenCharacter`). */
function visibleText(value: string, ctx: z.RefinementCtx): void {
  const found = hiddenCharacter(value)
  if (found)
    ctx.addIssue({
      code: 'custom',
      message: `must not contain ${found}: bidi controls and other invisible format characters are refused`,
    })
}

/** Text shown to people as given (a user's name or email): no invisible format characters. */
export const shownText = (max: number) => z.string().max(max).superRefine(visibleText)

/**
 * Names shown to users: no `<` or `>` (as Auth0 requires), no control characters, no invisible
 * format characters.
 */
export const displayName = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !/[<>\p{Cc}]/u.test(value), 'must not contain <, > or control characters')
    .superRefine(visibleText)

export const localeTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag')

const scopeValue = z
  .string()
  .refine(
    isValidScopeValue,
    `must be 1–${SCOPE_LIMITS.valueMaxLength} characters without spaces or control characters`,
  )
  .refine((value) => !RESERVED_SCOPE_NAMES.has(value), 'is a reserved scope name')
  // A scope's words are shown in grouped lines (DESIGN §1.3).
  .superRefine(visibleText)

const description = z
  .string()
  .max(SCOPE_LIMITS.descriptionMaxLength)
  .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters')

export const scopeInput = z.strictObject({
  value: scopeValue,
  description: description.optional(),
  descriptions: z.record(localeTag, description).optional(),
})

export const scopesInput = z
  .array(scopeInput)
  .max(SCOPE_LIMITS.scopesPerApi)
  .superRefine((scopes, ctx) => {
    const seen = new Set<string>()
    scopes.forEach((scope, index) => {
      if (seen.has(scope.value))
        ctx.addIssue({
          code: 'custom',
          message: `duplicate scope ${scope.value}`,
          path: [index, 'value'],
        })
      seen.add(scope.value)
    })
  })

/** The words of a resource label (DESIGN §4.2): shown to people, so checked like names. */
const labelWords = displayName(100)

/**
 * `consent_resources` (DESIGN §4.2): per resource (the part after the first colon of a scope),
 * per locale, the API's own `heading` and `noun` for grouped lines. Which locale tags the service
 * ships is known at start, not here: the handler checks the tags against them.
 */
export const consentResourcesInput = z
  .record(
    z
      .string()
      .min(1)
      .max(SCOPE_LIMITS.valueMaxLength)
      .refine(
        (value) => !/[\s\p{Cc}]/u.test(value),
        'must not contain spaces or control characters',
      )
      .superRefine(visibleText),
    z.record(localeTag, z.strictObject({ heading: labelWords, noun: labelWords })),
  )
  .refine(
    (resources) => Object.keys(resources).length <= SCOPE_LIMITS.scopesPerApi,
    `at most ${SCOPE_LIMITS.scopesPerApi} resources`,
  )
  .describe(
    'Per-locale labels of each resource for grouped lines, e.g. `{ "messages": { "de": { "heading": "Nachrichten", "noun": "Ihre Nachrichten" } } }`. Locale tags: those the service ships. `noun` carries its possessive, in the form the locale\'s sentence puts it (README: resource labels).',
  )

/** A rule of the services as a refinement: the reason it refuses a value is the issue's message. */
function byRule<T>(check: (value: T) => unknown) {
  return (value: T, ctx: z.RefinementCtx) => {
    try {
      check(value)
    } catch (error) {
      if (!(error instanceof FieldError)) throw error
      ctx.addIssue({ code: 'custom', message: error.reason })
    }
  }
}

/**
 * `authorization_details` on a resource server (DESIGN §3.9): Auth0's `[{ type }]`, extended with
 * a JSON Schema each entry of the type must satisfy and per-locale ICU MessageFormat templates.
 * Both are checked when saved, by the rules the console applies: a schema the validator cannot
 * compile, or a template that does not parse, would fail on a user's page, so it is a 400 here.
 */
export const authorizationDetailsInput = z
  .array(
    z.strictObject({
      // The bounds are the rule's too; written here as well so the OpenAPI document shows them.
      type: z
        .string()
        .min(1)
        .max(DETAIL_LIMITS.typeLength)
        .superRefine(byRule((type: string) => checkDetailTypeName('type', type))),
      schema: z
        .record(z.string(), z.unknown())
        .superRefine(byRule((schema) => checkDetailSchema('schema', schema)))
        .optional(),
      consent_templates: z
        .record(localeTag, z.string().min(1).max(DETAIL_LIMITS.templateLength))
        .superRefine(
          byRule((templates) => {
            for (const [locale, template] of Object.entries(templates))
              checkDetailTemplate('consent_templates', locale, template)
          }),
        )
        .optional(),
    }),
  )
  .max(DETAIL_LIMITS.typesPerApi)
  .refine(
    (types) => new Set(types.map((type) => type.type)).size === types.length,
    'each type at most once',
  )
  .describe(
    'RFC 9396 detail types this API accepts (Auth0\'s field), each with an optional JSON Schema its entries must satisfy and `consent_templates`: per locale, an ICU MessageFormat message whose arguments are the entry\'s fields by dotted path, e.g. `{ "en": "Pay {instructedAmount} to {creditorName}" }`.',
  )

export const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000)

export const paginationQuery = z.strictObject({
  page: z.coerce.number().int().min(0).max(1_000_000).default(0),
  per_page: z.coerce.number().int().min(1).max(100).default(50),
  include_totals: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
})

export type Pagination = z.output<typeof paginationQuery>

/** The path parameter of `/{id}` routes. */
export const idParam = z.object({ id: z.string() })

export const pageOf = (query: Pagination): Page => ({ page: query.page, perPage: query.per_page })
