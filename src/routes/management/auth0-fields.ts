import { z } from 'zod'
import { AUTH0_MODELS, type Auth0Field } from './auth0-fields/index.generated.js'

type Model = keyof typeof AUTH0_MODELS

/** Bounds for what is only kept: the 1 MiB body bounds the whole, these each string and depth. */
const MAX_KEPT_STRING = 10_000
/**
 * Auth0's deepest objects (an addon's mappings) nest a few levels; a value nested thousands deep
 * would overflow the stack of whatever serializes it next (the store, the answer) into a 500.
 */
const MAX_KEPT_DEPTH = 32

/** Whether `value` nests at most `max` levels of objects and arrays; iterative, so no depth hurts. */
export function nestedWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next
    if (item === null || typeof item !== 'object') continue
    if (depth >= max) return false
    for (const child of Array.isArray(item) ? item : Object.values(item))
      stack.push([child, depth + 1])
  }
  return true
}

const shallow = <T extends z.ZodType>(schema: T) =>
  schema.refine((value) => nestedWithin(value, MAX_KEPT_DEPTH), {
    message: `must not nest more than ${MAX_KEPT_DEPTH} levels deep`,
  })

/** The check of a field Assent keeps as sent: its type as Auth0's model gives it, and no more. */
function keptField({ type, nullable }: Auth0Field): z.ZodType {
  const base = (() => {
    switch (type.kind) {
      case 'string':
        return z.string().max(MAX_KEPT_STRING)
      case 'number':
        return z.number()
      case 'boolean':
        return z.boolean()
      case 'object':
        return shallow(z.record(z.string(), z.unknown()))
      case 'array':
        return shallow(z.array(z.unknown()))
      case 'enum':
        return z.enum(type.values as [string, ...string[]])
      case 'unknown':
        // The body was parsed from JSON, so any value is JSON already.
        return shallow(z.unknown())
    }
  })()
  return (nullable ? base.nullable() : base).optional()
}

/**
 * The fields of an Auth0 model that Assent keeps without acting on them (DESIGN §4.2.1): every
 * field of `model` but the ones Assent reads itself (`own`), each checked for its type.
 */
export function keptFields(model: Model, own: readonly string[]): Record<string, z.ZodType> {
  const skip = new Set(own)
  return Object.fromEntries(
    Object.entries(AUTH0_MODELS[model])
      .filter(([name]) => !skip.has(name))
      .map(([name, field]) => [name, keptField(field)]),
  )
}

/** A field Auth0 answers but does not take: what the OpenAPI document says of it. */
export const ignoredField = z
  .unknown()
  .optional()
  .describe(
    'Read-only: answered by Auth0, accepted so that an answer can be sent back, and ignored.',
  )

/**
 * The fields Auth0 returns but does not take (`id` on an update, `is_system`, `client_secret`…):
 * accepted so that what a GET answered can be sent back, and ignored.
 */
export function readOnlyFields(read: Model, writable: readonly Model[]): Record<string, z.ZodType> {
  const skip = new Set(writable.flatMap((model) => Object.keys(AUTH0_MODELS[model])))
  return Object.fromEntries(
    Object.keys(AUTH0_MODELS[read])
      .filter((name) => !skip.has(name))
      .map((name) => [name, ignoredField]),
  )
}

/**
 * Fields Auth0 still answers on a client that its SDK's models no longer name (Auth0's Deploy CLI
 * export writes them, and strips them itself before it writes to Auth0): accepted, and ignored.
 */
export const LEGACY_CLIENT_READ_ONLY = ['callback_url_template', 'cross_origin_auth'] as const

/** The kept fields of a parsed body, by their names: what goes to the store as sent. */
export function keptValues(
  body: Record<string, unknown>,
  kept: Record<string, z.ZodType>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of Object.keys(kept))
    if (Object.hasOwn(body, name) && body[name] !== undefined) out[name] = body[name]
  return out
}

export const signingAlgs = (() => {
  const type = AUTH0_MODELS.ResourceServerCreate.signing_alg.type
  return type.values as readonly [string, ...string[]]
})()
