import type { Context, MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import type { ErrorCode } from '../../errors.js'
import { AppError } from '../../errors.js'
import { unreadable } from '../middleware/body-limit.js'

type Kind = 'Payload' | 'Query' | 'Path'

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`
    return text === '' ? String(key) : `${text}.${String(key)}`
  }, '')
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

/**
 * One readable sentence for the first problem zod found, naming the property, in the manner of
 * Auth0: `Payload validation error: 'Missing required property: identifier'.`
 */
export function describeIssue(kind: Kind, error: z.ZodError, data: unknown): string {
  const issue = error.issues[0]
  if (!issue) return `${kind} validation error.`
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? ` on property ${pathText(issue.path)}` : ''
    return `${kind} validation error: 'Additional properties not allowed: ${issue.keys.join(', ')}'${where}.`
  }
  if (
    issue.code === 'invalid_type' &&
    valueAt(data, issue.path) === undefined &&
    issue.path.length > 0
  ) {
    const name = String(issue.path[issue.path.length - 1])
    const parent = issue.path.slice(0, -1)
    const where = parent.length > 0 ? ` on property ${pathText(parent)}` : ''
    return `${kind} validation error: 'Missing required property: ${name}'${where}.`
  }
  const where = issue.path.length > 0 ? ` on property ${pathText(issue.path)}` : ''
  return `${kind} validation error: '${issue.message}'${where}.`
}

/** What a failed check of each part of a request is called (DESIGN §4.1); anything else is the body. */
const TARGETS: Record<string, { kind: Kind; code: ErrorCode }> = {
  query: { kind: 'Query', code: 'invalid_query_string' },
  param: { kind: 'Path', code: 'invalid_uri' },
}
const BODY = { kind: 'Payload', code: 'invalid_body' } as const

/**
 * The `defaultHook` of the Management API's routers: a request part that fails its schema is a
 * 400 in the Auth0 error format. On failure the validator hands over the value it checked as
 * `data`, which tells a missing property from a wrong one.
 */
export function validationHook(result: {
  target: string
  success: boolean
  data?: unknown
  error?: z.ZodError
}): void {
  if (result.success || !result.error) return
  const { kind, code } = TARGETS[result.target] ?? BODY
  throw new AppError(400, code, describeIssue(kind, result.error, result.data))
}

/**
 * The JSON media types the body validator reads; it refuses any other with a 415, so the check
 * below is no looser than it.
 */
const JSON_TYPE = /^application\/([a-z.-]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i

/**
 * Checks the envelope of a JSON body before its schema does: the content type, an empty body and
 * malformed JSON are each a 400 `invalid_body` (DESIGN §4.1), never the validator's own answer.
 */
export function jsonBody(schema: z.ZodType): MiddlewareHandler {
  return async function jsonBodyMiddleware(c, next) {
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new AppError(
        400,
        'invalid_body',
        'Payload validation error: Content-Type must be application/json.',
      )
    }
    // Read as JSON straight away: the body validator after this reads `c.req.json()` again, and
    // hono hands it the same parsed value; reading text first would make hono build a web
    // `Response` around that text to parse it again.
    const read = await c.req.json().then(
      () => undefined,
      (error: unknown) => error,
    )
    if (read === undefined) return next()
    if (!(read instanceof SyntaxError)) throw unreadable()
    if (c.req.header('content-length') === '0') {
      // No value at all: described as the schema describes a missing value.
      const missing = schema.safeParse(undefined)
      throw new AppError(
        400,
        'invalid_body',
        missing.error
          ? describeIssue('Payload', missing.error, undefined)
          : 'Payload validation error: Invalid JSON.',
      )
    }
    throw new AppError(400, 'invalid_body', 'Payload validation error: Invalid JSON.')
  }
}

/** Parses a page's query string (routes outside the Management API) → 400 `invalid_query_string`. */
export function parseQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const data = c.req.query()
  const parsed = schema.safeParse(data)
  if (!parsed.success)
    throw new AppError(400, 'invalid_query_string', describeIssue('Query', parsed.error, data))
  return parsed.data
}
