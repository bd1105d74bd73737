import type { Context } from 'hono'
import type { z } from 'zod'
import type { AppEnv } from '../app/env.js'
import { AppError } from '../errors.js'

const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i
const URLENCODED = /^application\/x-www-form-urlencoded\b/i

/**
 * The fields of a form, as hono's `parseBody({ all: true })` gives them: a field sent more than
 * once (checkboxes) is a list, never its last value. A URL-encoded body, what every page posts,
 * is read here: hono parses any form through an undici `Response`, at several times the cost.
 */
async function formFields(c: Context<AppEnv>, type: string): Promise<unknown> {
  if (!URLENCODED.test(type)) return c.req.parseBody({ all: true })
  const fields: Record<string, string | string[]> = Object.create(null)
  for (const [name, value] of new URLSearchParams(await c.req.text())) {
    const seen = fields[name]
    if (seen === undefined) fields[name] = value
    else if (Array.isArray(seen)) seen.push(value)
    else fields[name] = [seen, value]
  }
  return fields
}

/**
 * Parses a page form (DESIGN §6): a form content type, then the zod schema; anything else is the
 * sender's error, a 400. A malformed multipart body throws while parsing: a 400 too.
 */
export async function readForm<T extends z.ZodType>(
  c: Context<AppEnv>,
  schema: T,
  message = 'The form is incomplete',
): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? ''
  if (!FORM_TYPE.test(type)) throw new AppError(400, 'invalid_body', 'Expected a form')
  const parsed = schema.safeParse(await formFields(c, type).catch(() => undefined))
  if (!parsed.success) throw new AppError(400, 'invalid_body', message)
  return parsed.data
}
