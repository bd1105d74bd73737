import type { Context } from 'hono'
import { z } from 'zod'
import { AppError } from '../../errors.js'
import type { AppEnv } from '../context.js'
import { readText } from '../middleware/body-limit.js'

const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i
const URLENCODED = /^application\/x-www-form-urlencoded\b/i

/**
 * An urlencoded form as `parseBody({ all: true })` gives it (a field sent more than once, or named
 * `…[]`, as a list), parsed by `URLSearchParams` — the same WHATWG parser `Request.formData()`
 * runs, without building a web `Request` and `FormData` for it. No prototype: a field named
 * `__proto__` is a field.
 */
function urlencoded(text: string): Record<string, string | string[]> {
  const params = new URLSearchParams(text)
  const form: Record<string, string | string[]> = Object.create(null)
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key)
    form[key] = values.length > 1 || key.endsWith('[]') ? values : (values[0] ?? '')
  }
  return form
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
  if (!FORM_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new AppError(400, 'invalid_body', 'Expected a form')
  }
  // `all`: a field sent more than once (checkboxes) arrives as a list, never as its last value.
  const body = URLENCODED.test(c.req.header('content-type') ?? '')
    ? urlencoded(await readText(c))
    : await c.req.parseBody({ all: true }).catch(() => undefined)
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw new AppError(400, 'invalid_body', message)
  return parsed.data
}

/**
 * A console checkbox. A browser leaves an unticked box out of the post, which would read as "not
 * on this form"; so the page puts a hidden `off` of the same name before each box, and the post
 * carries `off`, or `off` and `on` when ticked. Absent: the form did not show it (`undefined`).
 */
export const checkbox = z
  .union([z.enum(['on', 'off']), z.array(z.enum(['on', 'off'])).max(2)])
  .optional()
  .transform((value) =>
    value === undefined ? undefined : Array.isArray(value) ? value.includes('on') : value === 'on',
  )
