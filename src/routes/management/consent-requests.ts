import { z } from 'zod'
import type { AppDeps } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { byAddress, enforceLimit } from '../../middleware/rate-limit.js'
import { createConsentRequest, readDecision, tenantBaseUrl } from '../../services/consent-flow.js'
import { defineOperation } from './operation.js'

const promptValue = /^(none|login|consent|select_account)( (none|login|consent|select_account))*$/

const createBody = z.strictObject({
  client_id: z.string().min(1).max(128),
  user_id: z.string().min(1).max(300),
  user_name: z.string().max(300).optional(),
  user_email: z.string().max(300).optional(),
  audience: z.string().min(1).max(600).optional(),
  scope: z.string().max(20_000),
  redirect_uri: z.url({ error: 'must be an absolute URL' }).max(2000),
  return_to: z.url({ error: 'must be an absolute URL' }).max(2000),
  state: z.string().max(2048).optional(),
  prompt: z
    .string()
    .regex(promptValue, 'must be space-separated none, login, consent or select_account')
    .optional(),
  ui_locales: z.string().max(200).optional(),
})

const createdSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'accepted', 'denied']),
  consent_url: z.string(),
  effective_scopes: z.array(z.string()),
  dropped_scopes: z.array(z.string()),
  granted_scopes: z.array(z.string()),
  expires_at: z.string(),
  error: z.string().optional(),
})

const decisionSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'accepted', 'denied']),
  user_id: z.string(),
  client_id: z.string(),
  audience: z.string().nullable(),
  granted_scopes: z.array(z.string()),
  scope: z.string(),
  error: z.string().optional(),
  permissions: z.array(z.string()).optional(),
})

/** `/consent-requests`: how an authorization server asks for consent and reads the answer (DESIGN §3). */
export function consentRequestOperations(deps: AppDeps) {
  const { store, config } = deps
  return [
    defineOperation({
      method: 'post',
      path: '/consent-requests',
      summary: 'Open a consent request; answers at once when no page is needed',
      tag: 'Consent requests',
      scopes: ['create:consent_requests'],
      body: createBody,
      response: { status: 201, schema: createdSchema, description: 'The consent request' },
      errors: [404, 413, 429],
      async handle({ c, tenant, body }) {
        // An AS calls for all of its users from few addresses: the limit that matters is per client.
        await enforceLimit(
          'creates',
          deps.limits.createsPerClient,
          `${tenant.id}/${encodeURIComponent(body.client_id)}`,
          deps.metrics,
        )
        await enforceLimit('creates', deps.limits.createsPerAddress, byAddress(c), deps.metrics)
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
        return {
          id: request.id,
          status: request.status,
          consent_url: new URL(`consent/${request.id}`, tenantBaseUrl(config.publicUrl, tenant))
            .href,
          effective_scopes: [...request.effectiveScopes],
          dropped_scopes: [...request.droppedScopes],
          granted_scopes: [...(request.grantedScopes ?? [])],
          expires_at: request.expiresAt.toISOString(),
          ...(request.error ? { error: request.error } : {}),
        }
      },
    }),
    defineOperation({
      method: 'get',
      path: '/consent-requests/{id}',
      summary: 'Read the decision: the scopes to put in the token',
      tag: 'Consent requests',
      scopes: ['read:consent_requests'],
      response: { status: 200, schema: decisionSchema, description: 'The decision' },
      errors: [404],
      async handle({ tenant, params }) {
        const request = await store.consentRequests.get(tenant.id, params.id ?? '')
        if (!request)
          throw new AppError(
            404,
            'inexistent_consent_request',
            'The consent request does not exist',
          )
        return readDecision(store, tenant, request)
      },
    }),
  ]
}
