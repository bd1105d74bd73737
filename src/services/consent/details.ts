import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { LRUCache } from 'lru-cache'
import { RE2JS } from 're2js'
import {
  type AuthorizationDetail,
  DETAIL_LIMITS,
  type DetailType,
  declaredType,
  hiddenInEntry,
  nestingDepth,
} from '../../consent/index.js'
import { AppError } from '../../errors.js'

/**
 * `pattern` and `patternProperties` run on RE2 (re2js, in JavaScript), whose matching time is
 * linear in the input. A tenant's admin writes the pattern and a client's entry is the input: with
 * the built-in backtracking engine `^(a+)+$` or `\s*\s*x` on a few thousand characters holds the
 * one event loop every tenant shares for seconds to hours. A pattern RE2 cannot run in linear time
 * (lookaround, backreferences) is refused when the schema is saved.
 */
const linearRegExp = Object.assign(
  (pattern: string) => RE2JS.compile(RE2JS.translateRegExp(pattern)),
  { code: 're2js' },
)

/**
 * A validator of its own for each schema: every tenant's schemas are compiled in this process, and
 * an Ajv instance remembers each `$id` it meets (a nested one too) and resolves `$ref` to it, so a
 * shared one would let a schema read another API's (its `required` names in the errors) and refuse
 * a second schema with the same `$id`. Strict about the schema itself (an unknown keyword is a
 * typo that would accept everything), not about the style of types; no remote `$ref` is ever
 * loaded (no `loadSchema`), so a schema names only itself.
 */
function compileAlone(schema: Readonly<Record<string, unknown>>): ValidateFunction {
  const ajv = new Ajv({
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    logger: false,
    code: { regExp: linearRegExp },
  })
  // ajv-formats is CommonJS: under NodeNext its function is the default export's `default`.
  addFormats.default(ajv)
  return ajv.compile(schema)
}

// Compiled schemas are configuration: a bounded cache by their JSON text, which holds the only
// reference to each one's instance, so an evicted schema is forgotten whole.
const validators = new LRUCache<string, ValidateFunction>({ max: 500 })
function validatorOf(schema: Readonly<Record<string, unknown>>): ValidateFunction {
  const key = JSON.stringify(schema)
  let validate = validators.get(key)
  if (!validate) {
    validate = compileAlone(schema)
    validators.set(key, validate)
  }
  return validate
}

/** Why `schema` is not a usable JSON Schema, or `null`. */
export function schemaError(schema: Readonly<Record<string, unknown>>): string | null {
  try {
    validatorOf(schema)
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

const invalid = (message: string) =>
  new AppError(400, 'invalid_authorization_details', `Invalid authorization_details: ${message}`)

/** A JSON pointer (`/instructedAmount/amount`) as a dotted path after the entry. */
const dotted = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => `.${part.replaceAll('~1', '/').replaceAll('~0', '~')}`)
    .join('')

/**
 * The entries of a consent request (RFC 9396 §2, DESIGN §3.9), checked against the audience's
 * declared types: at most ten entries and 16 KiB, each nested at most ten deep, of a declared type
 * and accepted by that type's schema; else 400 `invalid_authorization_details` naming the entry
 * and the field.
 */
export function checkAuthorizationDetails(
  entries: readonly AuthorizationDetail[],
  types: readonly DetailType[] | undefined,
): void {
  if (entries.length > DETAIL_LIMITS.entries)
    throw invalid(`a request carries at most ${DETAIL_LIMITS.entries} entries`)
  // Depth first: measured without recursion, it bounds what serializing and rendering recurse.
  entries.forEach((entry, index) => {
    if (nestingDepth(entry, DETAIL_LIMITS.depth) > DETAIL_LIMITS.depth)
      throw invalid(
        `authorization_details[${index}] nests deeper than ${DETAIL_LIMITS.depth} levels`,
      )
  })
  if (Buffer.byteLength(JSON.stringify(entries)) > DETAIL_LIMITS.bytes)
    throw invalid(`a request carries at most ${DETAIL_LIMITS.bytes / 1024} KiB of entries`)
  entries.forEach((entry, index) => {
    const hidden = hiddenInEntry(entry)
    if (hidden)
      throw invalid(
        `authorization_details[${index}]${hidden.path}: must not contain ${hidden.character}${hidden.inName ? ' in a field name' : ''}: bidi controls and other invisible format characters are refused`,
      )
  })
  entries.forEach((entry, index) => {
    const type = declaredType(types, entry)
    if (!type)
      throw invalid(
        `authorization_details[${index}].type: ${JSON.stringify(entry.type)} is not a type the audience declares`,
      )
    if (!type.schema) return
    const validate = validatorOf(type.schema)
    if (validate(entry)) return
    const error = validate.errors?.[0]
    const missing = error?.keyword === 'required' ? `.${String(error.params.missingProperty)}` : ''
    throw invalid(
      `authorization_details[${index}]${dotted(error?.instancePath ?? '')}${missing}: ${error?.message ?? 'refused by the schema'}`,
    )
  })
}

/** Entries an admin typed into the preview, and why they would be refused, if they would be. */
export interface SampleDetails {
  readonly text: string
  readonly entries: readonly AuthorizationDetail[]
  readonly error: string | null
}

const isEntry = (value: unknown): value is AuthorizationDetail =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as { type?: unknown }).type === 'string'

/**
 * A request's `authorization_details` as the console preview takes them (DESIGN §5, §3.9): JSON
 * text, shown when it is an array of entries, with the refusal a consent request carrying it would
 * get; nothing is shown for text that is not entries.
 */
export function sampleDetails(
  text: string | undefined,
  types: readonly DetailType[] | undefined,
): SampleDetails | undefined {
  const trimmed = text?.trim() ?? ''
  if (trimmed === '') return undefined
  let parsed: unknown
  try {
    parsed = trimmed.length <= DETAIL_LIMITS.bytes * 2 ? JSON.parse(trimmed) : undefined
  } catch {
    parsed = undefined
  }
  if (!Array.isArray(parsed) || !parsed.every(isEntry))
    return {
      text: trimmed,
      entries: [],
      error: 'Not a JSON array of entries, each an object with a "type".',
    }
  try {
    checkAuthorizationDetails(parsed, types)
    return { text: trimmed, entries: parsed, error: null }
  } catch (error) {
    const message = error instanceof AppError ? error.message : String(error)
    // Entries nested too deep are not rendered: the request would be refused before any page.
    const shown = parsed.every(
      (entry) => nestingDepth(entry, DETAIL_LIMITS.depth) <= DETAIL_LIMITS.depth,
    )
    return {
      text: trimmed,
      entries: shown ? parsed.slice(0, DETAIL_LIMITS.entries) : [],
      error: message,
    }
  }
}
