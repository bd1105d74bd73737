import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import {
  AppError,
  ConflictError,
  type ConflictSubject,
  type ErrorCode,
  errorBody,
} from '../../errors.js'
import type { AppEnv } from '../context.js'
import type { WebDeps } from '../deps.js'
import { translatorOf } from '../render/locale.js'
import { renderPage } from '../render/render.js'

/** The translated page for each status a browser can meet (DESIGN §3.2). */
const PAGE_KIND: Record<number, string> = {
  400: 'badRequest',
  403: 'forbidden',
  404: 'notFound',
  409: 'answered',
  410: 'expired',
  413: 'badRequest',
  415: 'badRequest',
  429: 'rateLimited',
}

/** Pages a code of its own calls for, whatever its status. */
const CODE_KIND: Partial<Record<ErrorCode, string>> = {
  bound_elsewhere: 'boundElsewhere',
  portal_link_invalid: 'portalLink',
  portal_session_required: 'portalSession',
}

/** API clients and scrapers get JSON (DESIGN §4.1); browsers get a page in their language. */
function wantsJson(c: Context<AppEnv>): boolean {
  if (c.req.path.startsWith('/api/') || c.req.path === '/metrics') return true
  const accept = c.req.header('accept') ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

/** What a 409 says when the store reports a value already taken. */
const CONFLICT_MESSAGE: Record<ConflictSubject, string> = {
  resource_server: 'A resource server with the same identifier already exists',
  client: 'A client with the same client_id already exists',
  role: 'A role with the same name already exists',
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  if (err instanceof ConflictError)
    return new AppError(409, 'conflict', CONFLICT_MESSAGE[err.subject])
  if (err instanceof HTTPException) {
    if (err.status === 413)
      return new AppError(413, 'payload_too_large', 'Request body is too large')
    if (err.status < 500)
      return new AppError(err.status, 'invalid_body', err.message || 'Bad request')
  }
  return new AppError(500, 'internal_error', 'Internal error')
}

/**
 * The error as JSON or as a page in the browser's language, with the tenant's branding.
 * `back` is a way back to the authorization server, given only where the caller knows that this
 * browser is the one the request was bound to (DESIGN §3.2.1).
 */
export function respondWithError(
  c: Context<AppEnv>,
  deps: WebDeps,
  error: AppError,
  back?: string,
): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value)
  c.header('Cache-Control', 'no-store')
  if (wantsJson(c)) return c.json(errorBody(error), error.status)
  const tr = translatorOf(c, deps)
  const kind = CODE_KIND[error.code] ?? PAGE_KIND[error.status] ?? 'server'
  const title = tr.t(`errors.${kind}.title`)
  const text = {
    status: tr.t('errors.status', { status: error.status }),
    title,
    body: tr.t(`errors.${kind}.body`),
    back: tr.t('errors.back'),
  }
  const model = { text, back: back ?? null }
  return renderPage(c, deps, 'error', model, { title, tr, status: error.status })
}

export function errorHandler(deps: WebDeps): ErrorHandler<AppEnv> {
  return function onError(err, c) {
    const error = toAppError(err)
    if (!error.expose) {
      deps.log.error('request failed', {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        error:
          err instanceof Error
            ? { name: err.name, message: err.message, stack: err.stack }
            : String(err),
      })
    }
    return respondWithError(c, deps, error)
  }
}

export function notFoundHandler(deps: WebDeps): NotFoundHandler<AppEnv> {
  return function notFound(c) {
    return respondWithError(
      c,
      deps,
      new AppError(404, 'not_found', `Cannot ${c.req.method} ${c.req.path}`),
    )
  }
}
