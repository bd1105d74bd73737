import type { RouteHandler } from '@hono/zod-openapi'
import type { AppDeps, AppEnv } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { clientIp } from '../../http/client-ip.js'
import { enforceLimit } from '../../middleware/rate-limit.js'
import {
  createConsentRequest,
  readDecision,
  tenantBaseUrl,
} from '../../services/consent-requests.js'
import type * as routes from './consent-requests.routes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/** The handlers of `/consent-requests` (DESIGN §3). */
export function consentRequestHandlers(deps: AppDeps) {
  const { store, config } = deps

  const create: Handler<'create'> = async (c) => {
    const tenant = c.get('tenant')
    const body = c.req.valid('json')
    // An AS calls for all of its users from few addresses: the limit that matters is per client.
    enforceLimit(
      'creates',
      deps.limits.createsPerClient,
      `${tenant.id}\u0000${body.client_id}`,
      deps.metrics,
    )
    enforceLimit('creates', deps.limits.createsPerIp, clientIp(c), deps.metrics)
    const request = await createConsentRequest(
      {
        store,
        now: deps.now,
        ttlSeconds: config.requestTtlSeconds,
        defaultReturnUrls: config.allowedReturnUrls,
      },
      tenant,
      {
        clientId: body.client_id,
        userId: body.user_id,
        userName: body.user_name,
        userEmail: body.user_email,
        audience: body.audience,
        scope: body.scope,
        redirectUri: body.redirect_uri,
        returnTo: body.return_to,
        state: body.state,
        prompt: body.prompt,
        uiLocales: body.ui_locales,
      },
    )
    deps.metrics.requestsCreated.inc({ status: request.status })
    return c.json(
      {
        id: request.id,
        status: request.status,
        consent_url: new URL(`consent/${request.id}`, tenantBaseUrl(config.publicUrl, tenant)).href,
        effective_scopes: [...request.effectiveScopes],
        dropped_scopes: [...request.droppedScopes],
        granted_scopes: [...(request.grantedScopes ?? [])],
        expires_at: request.expiresAt.toISOString(),
        ...(request.error ? { error: request.error } : {}),
      },
      201,
    )
  }

  const get: Handler<'get'> = async (c) => {
    const tenant = c.get('tenant')
    const request = await store.consentRequests.get(tenant.id, c.req.valid('param').id)
    if (!request)
      throw new AppError(404, 'inexistent_consent_request', 'The consent request does not exist')
    return c.json(await readDecision(store, tenant, request), 200)
  }

  return { create, get }
}
