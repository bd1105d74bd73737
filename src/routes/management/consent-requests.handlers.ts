import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../web/context.js'
import { byAddress, enforceLimit } from '../../web/middleware/rate-limit.js'
import type { AppDeps } from '../deps.js'
import type * as routes from './consent-requests.routes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/** The handlers of `/consent-requests` (DESIGN §3): parse, call the consent flow, shape. */
export function consentRequestHandlers(deps: AppDeps) {
  const flow = deps.consentFlow

  const create: Handler<'create'> = async (c) => {
    const tenant = c.get('tenant')
    const body = c.req.valid('json')
    // An AS calls for all of its users from few addresses: the limit that matters is per client.
    await enforceLimit(
      'creates',
      deps.limits.createsPerClient,
      `${tenant.id}/${encodeURIComponent(body.client_id)}`,
      deps.metrics,
    )
    await enforceLimit('creates', deps.limits.createsPerAddress, byAddress(c), deps.metrics)
    const request = await flow.open(tenant, {
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
      granular: body.granular,
      requiredScopes: body.required_scopes,
      authorizationDetails: body.authorization_details,
      switchAccountUrl: body.switch_account_url,
      device:
        body.flow === 'device' && body.user_code !== undefined
          ? { userCode: body.user_code, name: body.device?.name ?? null }
          : undefined,
    })
    return c.json(
      {
        id: request.id,
        status: request.status,
        consent_url: flow.consentUrl(tenant, request),
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
    // The AS polls for the answer: never a copy still pending on this instance.
    const request = await flow.find(tenant, c.req.valid('param').id, { latest: true })
    return c.json(await flow.view(tenant, request), 200)
  }

  const verify: Handler<'verify'> = async (c) => {
    const { consent_verifier } = c.req.valid('json')
    return c.json(
      await flow.verify(c.get('tenant'), c.req.valid('param').id, consent_verifier),
      200,
    )
  }

  return { create, get, verify }
}
