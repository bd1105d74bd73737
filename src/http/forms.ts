import type { Context } from 'hono'
import type { z } from 'zod'
import type { AppEnv } from '../app/env.js'
import { AppError } from '../errors.js'

const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i

/**
 * Parses a page form (DESIGN §6): a form content type, then the zod schema; anything else is the
 * sender's error, a 400. A malformed multipart body throws while parsing: a 400 too.
 */
export async function readForm<T extends z.ZodType>(
  c: Context<AppEnv>,
  schema: T,
  message = 'The form is incomplete',
): Promise<z.output<T>> {
  if (!FORM_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new AppError(400, 'invalid_body', 'Expected a form')
  }
  // `all`: a field sent more than once (checkboxes) arrives as a list, never as its last value.
  const parsed = schema.safeParse(await c.req.parseBody({ all: true }).catch(() => undefined))
  if (!parsed.success) throw new AppError(400, 'invalid_body', message)
  return parsed.data
}
