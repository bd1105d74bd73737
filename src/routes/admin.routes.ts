import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { landingSection } from '../presenters/admin-console.js'
import { previewModel } from '../presenters/preview-page.js'
import { sampleDetails } from '../services/consent/details.js'
import type { AppEnv } from '../web/context.js'
import { PAGE_COOKIES, pageCookies } from '../web/edge/cookies.js'
import { readForm } from '../web/edge/forms.js'
import { limitBody } from '../web/middleware/body-limit.js'
import type { createTokenVerifier } from '../web/middleware/management-auth.js'
import { byAddress, rateLimit } from '../web/middleware/rate-limit.js'
import { renderPage } from '../web/render/render.js'
import { adminApiRoutes } from './admin/apis.routes.js'
import { adminClientRoutes } from './admin/clients.routes.js'
import { afterChange, allow, can, renderConsole, sessionScopes } from './admin/console.js'
import { adminInsightRoutes } from './admin/insights.routes.js'
import { adminLabelRoutes } from './admin/labels.routes.js'
import { adminLogRoutes } from './admin/logs.routes.js'
import { adminRoleRoutes } from './admin/roles.routes.js'
import { adminSettingsRoutes } from './admin/settings.routes.js'
import { adminUserRoutes } from './admin/users.routes.js'
import { adminWebhookRoutes } from './admin/webhooks.routes.js'
import type { AppDeps } from './deps.js'

const ADMIN_COOKIE = PAGE_COOKIES.admin
const LOGIN_COOKIE = PAGE_COOKIES.adminLogin
const FLIP_SCOPE = 'update:tenant_settings'

const loginForm = z.object({
  token: z.string().trim().min(1).max(8192),
  csrf: z.string().max(128).optional(),
})
const flagForm = z.object({
  value: z.enum(['on', 'off']),
  csrf: z.string().max(128).optional(),
  back: z
    .string()
    .max(4000)
    .regex(/^(\?[^\s#]*)?$/)
    .optional(),
})
const logoutForm = z.object({ csrf: z.string().max(128).optional() })

/**
 * The admin pages (DESIGN §5): sign-in with a management token, a server-side session of eight
 * hours, and the tenant-flag preview. Admin text is English; the previewed prompt speaks the
 * chosen locale.
 */
export function adminRoutes(deps: AppDeps, verifyToken: ReturnType<typeof createTokenVerifier>) {
  const app = new Hono<AppEnv>()
  const { csrf } = deps
  const cookies = pageCookies({ secure: deps.config.publicUrl.protocol === 'https:' })
  const en = deps.i18n.translator('en')
  // Guessing a management token through the sign-in form is refused after a few tries.
  const loginLimit = rateLimit(
    'admin_login',
    deps.limits.adminLoginPerAddress,
    byAddress,
    deps.metrics,
  )

  async function renderLogin(c: Context<AppEnv>, status: 200 | 400 | 401, error: string | null) {
    const cookie = csrf.browserCookie(c, LOGIN_COOKIE)
    const model = {
      tenantName: c.get('tenant').settings.friendly_name,
      csrf: await csrf.token('admin-login', cookie),
      error,
    }
    return renderPage(c, deps, 'admin-login', model, {
      title: 'Sign in · Assent admin',
      tr: en,
      status,
    })
  }

  const requireSession: MiddlewareHandler<AppEnv> = async function requireAdminSession(c, next) {
    const cookie = csrf.sentCookie(c, ADMIN_COOKIE)
    const session = await deps.adminSessions.find(c.get('tenant').id, cookie)
    if (!cookie || !session) return c.redirect('/admin/login', 303)
    c.set('admin', session)
    c.set('adminCookie', cookie)
    c.set('actor', { subject: session.subject ?? 'admin token', via: 'console' })
    await next()
  }

  app.get('/login', (c) => renderLogin(c, 200, null))

  app.post('/login', loginLimit, limitBody('form'), async (c) => {
    const form = await readForm(c, loginForm).catch(() => undefined)
    if (!form) return renderLogin(c, 400, 'Paste a management token to sign in.')
    await csrf.check('admin-login', csrf.sentCookie(c, LOGIN_COOKIE), form.csrf)
    const tenant = c.get('tenant')
    const verified = await verifyToken(form.token, tenant)
    if (!verified)
      return renderLogin(
        c,
        401,
        'That token was not accepted. Use the admin token or a management access token for this tenant.',
      )

    // A session ends no later than the token it was opened with (DESIGN §6).
    const { secret, seconds } = await deps.adminSessions.open({ tenantId: tenant.id, ...verified })
    c.header('Set-Cookie', cookies.set(LOGIN_COOKIE, '', 0), { append: true })
    c.header('Set-Cookie', cookies.set(ADMIN_COOKIE, secret, Math.max(1, Math.floor(seconds))), {
      append: true,
    })
    return c.redirect('/admin', 303)
  })

  app.use('*', requireSession)
  app.get('/', (c) => c.redirect(landingSection(sessionScopes(c)), 303))
  app.route('/apis', adminLabelRoutes(deps))
  app.route('/apis', adminApiRoutes(deps))
  app.route('/roles', adminRoleRoutes(deps))
  app.route('/users', adminUserRoutes(deps))
  app.route('/clients', adminClientRoutes(deps))
  app.route('/settings', adminSettingsRoutes(deps))
  app.route('/webhooks', adminWebhookRoutes(deps))
  app.route('/logs', adminLogRoutes(deps))
  app.route('/insights', adminInsightRoutes(deps))

  app.post('/logout', limitBody('form'), async (c) => {
    const form = await readForm(c, logoutForm)
    await csrf.check('admin', c.get('adminCookie'), form.csrf)
    await deps.adminSessions.close(c.get('admin'))
    c.header('Set-Cookie', cookies.set(ADMIN_COOKIE, '', 0), { append: true })
    return c.redirect('/admin/login', 303)
  })

  app.get('/preview', async (c) => {
    const tenant = c.get('tenant')
    const query = c.req.query()
    const { apis, clients, api, client, askedAgain } = await deps.preview.subjects(tenant.id, {
      audience: query.audience?.slice(0, 600),
      clientId: query.client_id,
    })
    const scopeValues = c.req.queries('scope')
    const locale = deps.i18n.locales.includes(query.locale ?? '')
      ? (query.locale as string)
      : (tenant.settings.default_locale ?? 'en')
    // The flag's form comes back here; the message of a previous change does not come with it.
    const url = new URL(c.req.url)
    url.searchParams.delete('done')
    const search = url.search
    const model = previewModel({
      tenant,
      apis,
      clients,
      api,
      client,
      scope: scopeValues ? scopeValues.join(' ').slice(0, 20_000) : undefined,
      tr: deps.i18n.translator(locale),
      locales: deps.i18n.locales,
      canFlip: can(c, FLIP_SCOPE),
      csrf: await csrf.token('admin', c.get('adminCookie')),
      back: search.length <= 4000 ? search : '',
      askedAgain,
      device: query.flow === 'device',
      details: sampleDetails(query.authorization_details, api?.authorizationDetails),
    })
    return renderConsole(
      c,
      deps,
      { view: 'preview', section: 'preview', title: 'Consent prompt preview' },
      model,
    )
  })

  app.post('/preview/flag', limitBody('form'), async (c) => {
    const form = await readForm(c, flagForm)
    await csrf.check('admin', c.get('adminCookie'), form.csrf)
    allow(c, FLIP_SCOPE)
    await deps.settings.update(c.get('actor'), c.get('tenant'), {
      flags: { use_scope_descriptions_for_consent: form.value === 'on' },
    })
    return afterChange(c, `/admin/preview${form.back ?? ''}`, 'saved')
  })

  return app
}
