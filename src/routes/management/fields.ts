import { z } from 'zod'

/**
 * Auth0's `fields` and `include_fields` on GET lists and GET by id: `fields` is a comma-separated
 * list of top-level properties; with `include_fields=true` (the default) only those come back,
 * with `false` all but those.
 */
export const fieldsQuery = {
  fields: z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9_.]+(,[A-Za-z0-9_.]+)*$/, 'must be comma-separated field names')
    .optional(),
  include_fields: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
}

export interface FieldsChoice {
  fields?: string | undefined
  include_fields: boolean
}

/** The object with only the fields asked for (or without them); itself when none are named. */
export function pickFields<T extends object>(item: T, choice: FieldsChoice): Partial<T> {
  if (!choice.fields) return item
  const named = new Set(choice.fields.split(','))
  return Object.fromEntries(
    Object.entries(item).filter(([key]) => named.has(key) === choice.include_fields),
  ) as Partial<T>
}

/** The response schema of an endpoint that takes `fields`: the whole object, or part of it. */
export const withFields = <T extends z.ZodObject>(schema: T) => z.union([schema, schema.partial()])
