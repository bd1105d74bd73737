import type { Context } from 'hono'
import type { z } from 'zod'
import { AppError } from '../errors.js'

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
export function describeIssue(kind: 'Payload' | 'Query', error: z.ZodError, data: unknown): string {
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

/** Parses a JSON request body with `schema`; every failure is a 400 `invalid_body` (DESIGN §4.1). */
export async function parseJsonBody<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new AppError(
      400,
      'invalid_body',
      'Payload validation error: Content-Type must be application/json.',
    )
  }
  let data: unknown
  try {
    const text = await c.req.text()
    data = text.trim() === '' ? undefined : JSON.parse(text)
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new AppError(400, 'invalid_body', 'Payload validation error: Invalid JSON.')
    throw error
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success)
    throw new AppError(400, 'invalid_body', describeIssue('Payload', parsed.error, data))
  return parsed.data
}

/** Parses the query string with `schema` (first value of each name); failures are 400 `invalid_query_string`. */
export function parseQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const data = c.req.query()
  const parsed = schema.safeParse(data)
  if (!parsed.success)
    throw new AppError(400, 'invalid_query_string', describeIssue('Query', parsed.error, data))
  return parsed.data
}
