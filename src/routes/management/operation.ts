import type { Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import type { AppEnv } from '../../app/env.js'
import type { Tenant } from '../../entities.js'
import { parseJsonBody, parseQuery } from '../../http/validate.js'
import { requireAnyScope } from '../../middleware/management-auth.js'

type Method = 'get' | 'post' | 'patch' | 'delete'
type Input<T> = T extends z.ZodType ? z.output<T> : undefined

export interface OperationInput<Q, B> {
  readonly c: Context<AppEnv>
  readonly tenant: Tenant
  readonly params: Record<string, string>
  readonly query: Q
  readonly body: B
}

interface OperationSpec<Q extends z.ZodType | undefined, B extends z.ZodType | undefined> {
  readonly method: Method
  /** OpenAPI style: `/resource-servers/{id}`. */
  readonly path: string
  readonly summary: string
  readonly tag: string
  /** The caller needs any one of these. */
  readonly scopes: readonly string[]
  readonly query?: Q
  readonly body?: B
  readonly response: {
    readonly status: 200 | 201 | 204
    readonly schema?: z.ZodType
    readonly description: string
  }
  /** Other answers this operation gives, for the document. */
  readonly errors: readonly number[]
  handle(input: OperationInput<Input<Q>, Input<B>>): Promise<unknown>
}

/** One Management API endpoint: its schemas, its scopes and its handler, in one place. */
export type Operation = OperationSpec<z.ZodType | undefined, z.ZodType | undefined>

export function defineOperation<
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: OperationSpec<Q, B>): Operation {
  return spec as unknown as Operation
}

/** Registers operations on a router: scopes checked, query and body parsed, the answer shaped. */
export function mountOperations(app: Hono<AppEnv>, operations: readonly Operation[]): void {
  for (const op of operations) {
    const path = op.path.replace(/\{(\w+)\}/g, ':$1')
    app.on(op.method.toUpperCase(), path, async (c) => {
      requireAnyScope(c.get('scopes'), op.scopes)
      const query = op.query ? parseQuery(c, op.query) : undefined
      const body = op.body ? await parseJsonBody(c, op.body) : undefined
      const result = await op.handle({
        c,
        tenant: c.get('tenant'),
        params: c.req.param() as Record<string, string>,
        query,
        body,
      })
      c.header('Cache-Control', 'no-store')
      if (!op.response.schema) return c.body(null, op.response.status)
      return c.json(result as object, op.response.status as ContentfulStatusCode)
    })
  }
}

const errorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  errorCode: z.string(),
})

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request body or query string',
  401: 'Missing or invalid token',
  403: 'Insufficient scope',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body larger than 64 KiB',
  429: 'Too many requests',
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>
  return rest
}

/** The OpenAPI 3.1 document of the operations, from the very schemas that validate requests. */
export function openApiDocument(
  operations: readonly Operation[],
  info: { title: string; version: string },
) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of operations) {
    const parameters: unknown[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }))
    if (op.query) {
      const schema = jsonSchema(op.query, 'input') as {
        properties?: Record<string, unknown>
        required?: string[]
      }
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        parameters.push({
          name,
          in: 'query',
          required: schema.required?.includes(name) ?? false,
          schema: property,
        })
      }
    }
    const responses: Record<string, unknown> = {
      [op.response.status]: op.response.schema
        ? {
            description: op.response.description,
            content: { 'application/json': { schema: jsonSchema(op.response.schema, 'output') } },
          }
        : { description: op.response.description },
    }
    for (const status of [400, 401, 403, ...op.errors]) {
      responses[status] = {
        description: ERROR_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      }
    }
    paths[op.path] ??= {}
    const entry = paths[op.path] as Record<string, unknown>
    entry[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      operationId: `${op.method}_${op.path
        .replace(/[{}]/g, '')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .replace(/^_|_$/g, '')}`,
      security: [{ bearer: [] }],
      'x-scopes': op.scopes,
      description: op.scopes.length > 0 ? `Needs any of: ${op.scopes.join(', ')}` : undefined,
      parameters,
      requestBody: op.body
        ? {
            required: true,
            content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
          }
        : undefined,
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/api/v2' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  }
}
