import { Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { stillDefined } from '../consent/index.js'
import { AppError } from '../errors.js'
import { CSRF_COOKIE, type Csrf } from '../http/csrf.js'
import type { AppDeps, AppEnv } from '../http.js'
import { consentPageModel } from '../pages/consent-page.js'
import { pageShell, pageTranslator } from '../pages/page.js'

/** Consent request ids are 128-bit base64url strings (DESIGN §3.1). */
export const consentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)

/** `GET /consent/{id}`: the prompt (DESIGN §3.2). */
export function consentRoutes(deps: AppDeps, csrf: Csrf) {
  const app = new Hono<AppEnv>()

  app.get('/:id', async (c) => {
    const tenant = c.get('tenant')
    pageTranslator(c, deps)
    const id = consentIdSchema.safeParse(c.req.param('id'))
    const request = id.success
      ? await deps.store.consentRequests.get(tenant.id, id.data)
      : undefined
    if (!request) throw new AppError(404, 'inexistent_consent_request', 'Consent request not found')
    const tr = pageTranslator(c, deps, request.uiLocales)
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
    // The answer's 303 leads to the AS; browsers hold redirects after a form post to form-action.
    c.get('formActions').push(new URL(request.returnTo).origin)

    const model = consentPageModel(
      {
        tenant,
        client,
        api: api ?? null,
        userName: request.userName ?? request.userId,
        redirectUri: request.redirectUri,
        scopes,
        alreadyGranted,
        formAction: `/consent/${request.id}`,
        csrf: await csrf.token(request.id, cookie),
      },
      tr,
    )
    c.header('Cache-Control', 'no-store')
    return c.html(
      deps.views.render('consent', { ...model, page: pageShell(c, deps, tr, model.text.title) }),
    )
  })

  return app
}
