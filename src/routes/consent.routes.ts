import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../app/types.js'
import { DECLINED_ERROR, stillDefined } from '../consent/index.js'
import { AppError } from '../errors.js'
import { clientIp } from '../http/client-ip.js'
import { CSRF_COOKIE, CSRF_FIELD, type Csrf } from '../http/csrf.js'
import { rateLimit } from '../middleware/rate-limit.js'
import { consentPageModel, promptMode } from '../presenters/consent-page.js'
import { pageShell, pageTranslator } from '../presenters/page.js'

/** Consent request ids are 128-bit base64url strings (DESIGN §3.1). */
export const consentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)

/**
 * The consent request a page is about, by an id from the URL, or a translated 404 page; the
 * page's language is then the request's (`ui_locales` first).
 */
export async function pageRequest(c: Context<AppEnv>, deps: AppDeps, rawId: string | undefined) {
  pageTranslator(c, deps)
  const id = consentIdSchema.safeParse(rawId)
  const request = id.success
    ? await deps.store.consentRequests.get(c.get('tenant').id, id.data)
    : undefined
  if (!request) throw new AppError(404, 'inexistent_consent_request', 'Consent request not found')
  return { request, tr: pageTranslator(c, deps, request.uiLocales) }
}

const answerForm = z.object({
  action: z.enum(['accept', 'deny']),
  [CSRF_FIELD]: z.string().min(1).max(128),
})

/**
 * Refuses a form posted from another site. The page sends no referrer, so browsers send
 * `Origin: null` with its form (Fetch §3.1); `Sec-Fetch-Site` still tells a cross-site post.
 */
function assertSameOrigin(c: Context<AppEnv>, publicUrl: URL): void {
  const origin = c.req.header('origin')
  const site = c.req.header('sec-fetch-site')
  const requestOrigin = new URL(c.req.url).origin
  if (origin && origin !== 'null' && origin !== publicUrl.origin && origin !== requestOrigin) {
    throw new AppError(403, 'invalid_csrf', 'Cross-origin form post')
  }
  if (site && site !== 'same-origin' && site !== 'none')
    throw new AppError(403, 'invalid_csrf', 'Cross-site form post')
}

/** `GET /consent/{id}` shows the prompt; `POST /consent/{id}` answers it (DESIGN §3.2). */
export function consentRoutes(deps: AppDeps, csrf: Csrf) {
  const app = new Hono<AppEnv>()

  app.get('/:id', async (c) => {
    const tenant = c.get('tenant')
    const { request, tr } = await pageRequest(c, deps, c.req.param('id'))
    if (request.status !== 'pending')
      throw new AppError(409, 'already_answered', 'Consent request already answered')
    if (deps.now() >= request.expiresAt)
      throw new AppError(410, 'expired', 'Consent request expired')

    const [client, api] = await Promise.all([
      deps.store.clients.get(tenant.id, request.clientId),
      request.audience ? deps.store.resourceServers.find(tenant.id, request.audience) : undefined,
    ])
    if (!client)
      throw new AppError(404, 'inexistent_client', 'The client of this request no longer exists')
    const scopes = stillDefined(request.promptScopes, api ?? null)
    const asked = new Set(scopes)
    const alreadyGranted = stillDefined(request.effectiveScopes, api ?? null).filter(
      (scope) => !asked.has(scope) && scope !== 'openid',
    ).length

    let cookie = getCookie(c, CSRF_COOKIE)
    if (!cookie || cookie.length > 128) {
      cookie = csrf.newCookieValue()
      setCookie(c, CSRF_COOKIE, cookie, {
        path: '/consent',
        httpOnly: true,
        sameSite: 'Lax',
        secure: deps.config.publicUrl.protocol === 'https:',
      })
    }
    // Browsers hold every redirect after a form post to form-action (CSP3 §6.2.1): the answer's
    // 303 leads to the AS, which sends the browser on to the client's redirect URI.
    c.get('formActions').push(new URL(request.returnTo).origin, new URL(request.redirectUri).origin)

    const model = consentPageModel(
      {
        tenant,
        client,
        api: api ?? null,
        userName: request.userName ?? request.userId,
        redirectUri: request.redirectUri,
        scopes,
        alreadyGranted,
        mode: promptMode(tenant),
        formAction: `/consent/${request.id}`,
        csrf: await csrf.token(request.id, cookie),
      },
      tr,
    )
    deps.metrics.promptsShown.inc({ mode: promptMode(tenant) })
    c.header('Cache-Control', 'no-store')
    return c.html(
      deps.views.render('consent', { ...model, page: pageShell(c, deps, tr, model.text.title) }),
    )
  })

  app.post(
    '/:id',
    rateLimit('answers_per_ip', deps.limits.answersPerIp, clientIp, deps.metrics),
    bodyLimit({
      maxSize: 64 * 1024,
      onError: () => {
        throw new AppError(413, 'payload_too_large', 'Form larger than 64 KiB')
      },
    }),
    async (c) => {
      const tenant = c.get('tenant')
      const { request } = await pageRequest(c, deps, c.req.param('id'))
      assertSameOrigin(c, deps.config.publicUrl)

      if (
        !/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(
          c.req.header('content-type') ?? '',
        )
      ) {
        throw new AppError(400, 'invalid_body', 'Expected a form')
      }
      // A malformed multipart body throws while parsing: that is the sender's error, a 400.
      const form = answerForm.safeParse(await c.req.parseBody().catch(() => undefined))
      if (!form.success)
        throw new AppError(
          400,
          'invalid_body',
          'The form must carry action=accept|deny and its token',
        )
      if (!(await csrf.verify(request.id, getCookie(c, CSRF_COOKIE), form.data[CSRF_FIELD]))) {
        deps.metrics.answers.inc({ outcome: 'forbidden' })
        throw new AppError(403, 'invalid_csrf', 'The form token does not match')
      }

      const api = request.audience
        ? await deps.store.resourceServers.find(tenant.id, request.audience)
        : undefined
      const at = deps.now()
      const answered = await deps.store.consentRequests.answer(
        tenant.id,
        request.id,
        form.data.action === 'accept'
          ? { action: 'accept', at, scopes: stillDefined(request.effectiveScopes, api ?? null) }
          : { action: 'deny', at, error: DECLINED_ERROR },
      )
      deps.metrics.answers.inc({
        outcome: answered.outcome === 'answered' ? answered.request.status : answered.outcome,
      })
      if (answered.outcome === 'already_answered')
        throw new AppError(409, 'already_answered', 'Consent request already answered')
      if (answered.outcome === 'expired')
        throw new AppError(410, 'expired', 'Consent request expired')
      if (answered.outcome === 'not_found')
        throw new AppError(404, 'inexistent_consent_request', 'Consent request not found')

      const back = new URL(request.returnTo)
      back.searchParams.set('consent_request', request.id)
      if (request.state !== null) back.searchParams.set('state', request.state)
      c.header('Cache-Control', 'no-store')
      return c.redirect(back.href, 303)
    },
  )

  return app
}
