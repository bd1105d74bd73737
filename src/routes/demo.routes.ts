import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../app/types.js'
import type { Tenant } from '../entities.js'
import { promptLineTexts, promptMode } from '../presenters/consent-page.js'
import { pageShell } from '../presenters/page.js'
import { createConsentRequest, readDecision } from '../services/consent-requests.js'
import type { Store } from '../store/port.js'
import { pageRequest } from './consent.routes.js'

/** The demo data of a first start: one API, one third-party client, one user. */
export const DEMO = {
  audience: 'https://messages.demo/',
  clientId: 'mail-helper',
  userId: 'auth0|demo-ana',
  userName: 'ana@example.com',
  redirectUri: 'https://mail-helper.example/callback',
  scope: 'openid profile read:messages write:messages read:contacts offline_access',
} as const

/** Seeds the demo into `tenant` once; later starts find it there and leave it as it is. */
export async function seedDemo(store: Store, tenant: Tenant, publicUrl: URL): Promise<void> {
  if (await store.clients.get(tenant.id, DEMO.clientId)) return
  await store.tenants.updateSettings(tenant.id, {
    ...tenant.settings,
    friendly_name: 'Acme',
    branding: {
      ...tenant.settings.branding,
      logo_url: new URL('/assets/acme.svg', publicUrl).href,
    },
  })
  await store.resourceServers.create(tenant.id, {
    id: 'rs_demo_messages',
    identifier: DEMO.audience,
    name: 'Messages API',
    scopes: [
      { value: 'read:messages', description: 'Read your messages' },
      { value: 'write:messages', description: 'Send messages as you' },
      { value: 'read:contacts', description: 'See your contacts' },
    ],
    enforcePolicies: false,
    allowOfflineAccess: true,
    skipConsentForVerifiableFirstPartyClients: true,
    tokenDialect: 'access_token',
    tokenLifetime: 86_400,
    signingAlg: 'RS256',
    isSystem: false,
  })
  await store.clients.create(tenant.id, {
    clientId: DEMO.clientId,
    name: 'Mail Helper',
    description: 'A third-party mail assistant',
    logoUri: new URL('/assets/mail-helper.svg', publicUrl).href,
    isFirstParty: false,
    callbacks: [DEMO.redirectUri],
    appType: 'regular_web',
  })
  await store.users.remember(tenant.id, {
    userId: DEMO.userId,
    name: 'Ana Silva',
    email: DEMO.userName,
  })
}

/** `GET /demo`: a fresh consent request for the demo client, and its page. */
export function demoRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  app.get('/', async (c) => {
    const request = await createConsentRequest(
      {
        store: deps.store,
        now: deps.now,
        ttlSeconds: deps.config.requestTtlSeconds,
        defaultReturnUrls: [deps.config.publicUrl.origin],
      },
      c.get('tenant'),
      {
        clientId: DEMO.clientId,
        userId: DEMO.userId,
        userName: DEMO.userName,
        audience: DEMO.audience,
        scope: DEMO.scope,
        redirectUri: DEMO.redirectUri,
        returnTo: new URL('/demo/done', deps.config.publicUrl).href,
        state: 'demo',
        // The demo always shows the page, even after an earlier Accept.
        prompt: 'consent',
        uiLocales: c.req.query('ui_locales'),
      },
    )
    c.header('Cache-Control', 'no-store')
    return c.redirect(`/consent/${request.id}`, 303)
  })

  // Where the answer comes back: stands in for the authorization server, and shows the decision.
  app.get('/done', async (c) => {
    const tenant = c.get('tenant')
    const { request, tr } = await pageRequest(c, deps, c.req.query('consent_request'))
    const [decision, client, api] = await Promise.all([
      readDecision(deps.store, tenant, request),
      deps.store.clients.get(tenant.id, request.clientId),
      request.audience ? deps.store.resourceServers.find(tenant.id, request.audience) : undefined,
    ])
    const values = { client: tr.isolate(client?.name ?? request.clientId) }
    const outcome = tr.t(`demo.${decision.status}`, values)
    c.header('Cache-Control', 'no-store')
    return c.html(
      deps.views.render('demo-done', {
        page: pageShell(c, deps, tr, tr.t('demo.title')),
        lines:
          decision.status === 'accepted'
            ? promptLineTexts(promptMode(tenant), decision.granted_scopes, api ?? null, tr)
            : [],
        scope: decision.status === 'accepted' ? decision.scope : null,
        text: {
          title: tr.t('demo.title'),
          outcome,
          scopeClaim: tr.t('demo.scopeClaim'),
          again: tr.t('demo.again'),
        },
      }),
    )
  })

  return app
}
