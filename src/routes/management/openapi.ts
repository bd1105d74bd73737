import { createRoute, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../web/context.js'
import { jsonBody, validationHook } from '../../web/edge/validate.js'
import { requireScopes } from '../../web/middleware/management-auth.js'

/** The error body of DESIGN §4.1; every error answer of the document refers to it. */
const errorSchema = z
  .strictObject({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    errorCode: z.string(),
  })
  .openapi('Error')

const ERROR_TEXT = {
  400: 'Invalid request body or query string',
  401: 'Missing or invalid token',
  403: 'Insufficient scope',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone: the consent request expired',
  413: 'Request body larger than 1 MiB',
  429: 'Too many requests',
} as const

type ErrorStatus = keyof typeof ERROR_TEXT

const errorResponse = (status: ErrorStatus) => ({
  description: ERROR_TEXT[status],
  content: { 'application/json': { schema: errorSchema } },
})

type ErrorResponse = ReturnType<typeof errorResponse>

/** A JSON answer of `schema`. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

/** A required JSON body of `schema`. */
export const jsonRequest = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
})

interface ManagementRouteConfig
  extends Omit<RouteConfig, 'tags' | 'security' | 'middleware' | 'operationId' | 'description'> {
  readonly tag: string
  /** The caller needs any one of these. */
  readonly scopes: readonly string[]
  /** Errors this operation answers besides 400, 401 and 403. */
  readonly errors: readonly ErrorStatus[]
}

/**
 * One Management API endpoint: `createRoute` with the scope guard as its first middleware, the
 * JSON envelope check when it takes a body, and what the document says of both (`x-scopes`, the
 * bearer scheme, the error answers).
 */
export function managementRoute<R extends ManagementRouteConfig>({
  tag,
  scopes,
  errors,
  ...route
}: R) {
  const content = route.request?.body?.content['application/json']
  const body = content && 'schema' in content ? content.schema : undefined
  const middleware: MiddlewareHandler<AppEnv>[] = [requireScopes(scopes)]
  if (body instanceof z.ZodType) middleware.push(jsonBody(body))
  const statuses: ErrorStatus[] = [400, 401, 403, ...errors]
  const responses = Object.fromEntries(
    statuses.map((status) => [status, errorResponse(status)]),
  ) as Record<400 | 401 | 403 | R['errors'][number], ErrorResponse>
  return createRoute({
    ...route,
    tags: [tag],
    operationId: `${route.method}_${route.path
      .replace(/[{}]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')}`,
    description: `Needs any of: ${scopes.join(', ')}`,
    security: [{ bearer: [] }],
    'x-scopes': [...scopes],
    middleware,
    responses: { ...route.responses, ...responses },
  })
}

/** A router for Management API routes: failed validation answers in the Auth0 error format. */
export function createRouter() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
  })
  return app
}

/** The OpenAPI 3.1 document of a router's routes, written from the schemas that validate them. */
export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Assent Management API', version: '2' },
    servers: [{ url: '/api/v2' }],
  })
}
