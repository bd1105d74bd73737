import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppDeps, AppEnv } from '../app/types.js'
import { AppError, ConflictError, errorBody } from '../errors.js'
import { pageShell, pageTranslator } from '../presenters/page.js'

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

/** API clients get JSON (DESIGN §4.1); browsers get a page in their language. */
function wantsJson(c: Context<AppEnv>): boolean {
  if (c.req.path.startsWith('/api/')) return true
  const accept = c.req.header('accept') ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  // The store's answer to a taken identifier, name or id, wherever it is met (DESIGN §4.1).
  if (err instanceof ConflictError) return new AppError(409, 'conflict', err.message)
  if (err instanceof HTTPException) {
    if (err.status === 413)
      return new AppError(413, 'payload_too_large', 'Request body is larger than 64 KiB')
    if (err.status < 500)
      return new AppError(err.status, 'invalid_body', err.message || 'Bad request')
  }
  return new AppError(500, 'internal_error', 'Internal error')
}

export function respondWithError(c: Context<AppEnv>, deps: AppDeps, error: AppError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value)
  c.header('Cache-Control', 'no-store')
  if (wantsJson(c)) return c.json(errorBody(error), error.status)
  const tr = deps.i18n.translator(c.get('locale') ?? pageTranslator(c, deps).locale)
  const kind = PAGE_KIND[error.status] ?? 'server'
  const title = tr.t(`errors.${kind}.title`)
  const html = deps.views.render('error', {
    page: pageShell(c, deps, tr, title),
    text: {
      status: tr.t('errors.status', { status: error.status }),
      title,
      body: tr.t(`errors.${kind}.body`),
    },
  })
  return c.html(html, error.status)
}

export function errorHandler(deps: AppDeps): ErrorHandler<AppEnv> {
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

export function notFoundHandler(deps: AppDeps): NotFoundHandler<AppEnv> {
  return function notFound(c) {
    return respondWithError(
      c,
      deps,
      new AppError(404, 'not_found', `Cannot ${c.req.method} ${c.req.path}`),
    )
  }
}
