import { createHash, randomBytes } from 'node:crypto'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../app/types.js'
import { AppError } from '../errors.js'
import type { Csrf } from '../http/csrf.js'
import { type createTokenVerifier, hasAnyScope } from '../middleware/management-auth.js'
import { pageShell } from '../presenters/page.js'
import { previewModel } from '../presenters/preview-page.js'

export const ADMIN_COOKIE = 'assent_admin'
const LOGIN_COOKIE = 'assent_admin_login'
const SESSION_SECONDS = 8 * 60 * 60
const FLIP_SCOPE = 'update:tenant_settings'

const hash = (value: string) => createHash('sha256').update(value).digest('hex')

const loginForm = z.object({
  token: z.string().trim().min(1).max(8192),
  csrf: z.string().min(1).max(128),
})
const flagForm = z.object({
  value: z.enum(['on', 'off']),
  csrf: z.string().min(1).max(128),
  back: z
    .string()
    .max(4000)
    .regex(/^(\?[^\s#]*)?$/)
    .optional(),
})
const logoutForm = z.object({ csrf: z.string().min(1).max(128) })

function formLimit() {
  return bodyLimit({
    maxSize: 64 * 1024,
    onError: () => {
      throw new AppError(413, 'payload_too_large', 'Form larger than 64 KiB')
    },
  })
}

async function readForm<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.output<T>> {
  if (
    !/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(
      c.req.header('content-type') ?? '',
    )
  ) {
    throw new AppError(400, 'invalid_body', 'Expected a form')
  }
  const parsed = schema.safeParse(await c.req.parseBody().catch(() => undefined))
  if (!parsed.success) throw new AppError(400, 'invalid_body', 'The form is incomplete')
  return parsed.data
}

/**
 * The admin pages (DESIGN §5): sign-in with a management token, a server-side session of eight
 * hours, and the tenant-flag preview. Admin text is English; the previewed prompt speaks the
 * chosen locale.
 */
export function adminRoutes(
  deps: AppDeps,
  csrf: Csrf,
  verifyToken: ReturnType<typeof createTokenVerifier>,
) {
  const app = new Hono<AppEnv>()
  const secure = deps.config.publicUrl.protocol === 'https:'
  const en = deps.i18n.translator('en')

  async function renderLogin(c: Context<AppEnv>, status: 200 | 400 | 401, error: string | null) {
    let cookie = getCookie(c, LOGIN_COOKIE)
    if (!cookie || cookie.length > 128) {
      cookie = csrf.newCookieValue()
      setCookie(c, LOGIN_COOKIE, cookie, {
        path: '/admin',
        httpOnly: true,
        sameSite: 'Strict',
        secure,
      })
    }
    c.header('Cache-Control', 'no-store')
    return c.html(
      deps.views.render('admin-login', {
        page: pageShell(c, deps, en, 'Sign in · Assent admin'),
        tenantName: c.get('tenant').settings.friendly_name,
        csrf: await csrf.token('admin-login', cookie),
        error,
      }),
      status,
    )
  }

  const requireSession: MiddlewareHandler<AppEnv> = async function requireAdminSession(c, next) {
    const cookie = getCookie(c, ADMIN_COOKIE)
    const session =
      cookie && cookie.length <= 128
        ? await deps.store.adminSessions.get(hash(cookie), deps.now())
        : undefined
    if (!cookie || !session || session.tenantId !== c.get('tenant').id)
      return c.redirect('/admin/login', 303)
    c.set('admin', session)
    c.set('adminCookie', cookie)
    await next()
  }

  app.get('/', (c) => c.redirect('/admin/preview', 303))

  app.get('/login', (c) => renderLogin(c, 200, null))

  app.post('/login', formLimit(), async (c) => {
    const form = await readForm(c, loginForm).catch(() => undefined)
    if (!form) return renderLogin(c, 400, 'Paste a management token to sign in.')
    if (!(await csrf.verify('admin-login', getCookie(c, LOGIN_COOKIE), form.csrf))) {
      throw new AppError(403, 'invalid_csrf', 'The sign-in form could not be verified')
    }
    const tenant = c.get('tenant')
    const scopes = await verifyToken(form.token, tenant)
    if (!scopes)
      return renderLogin(
        c,
        401,
        'That token was not accepted. Use the admin token or a management access token for this tenant.',
      )

    const id = randomBytes(32).toString('base64url')
    const now = deps.now()
    await deps.store.adminSessions.purgeExpired(now)
    await deps.store.adminSessions.create(
      {
        id: hash(id),
        tenantId: tenant.id,
        scopes: scopes === 'all' ? 'all' : [...scopes],
        expiresAt: new Date(now.getTime() + SESSION_SECONDS * 1000),
      },
      now,
    )
    deleteCookie(c, LOGIN_COOKIE, { path: '/admin' })
    setCookie(c, ADMIN_COOKIE, id, {
      path: '/admin',
      httpOnly: true,
      sameSite: 'Strict',
      secure,
      maxAge: SESSION_SECONDS,
    })
    return c.redirect('/admin/preview', 303)
  })

  app.use('*', requireSession)

  app.post('/logout', formLimit(), async (c) => {
    const form = await readForm(c, logoutForm)
    if (!(await csrf.verify('admin', c.get('adminCookie'), form.csrf))) {
      throw new AppError(403, 'invalid_csrf', 'The form could not be verified')
    }
    await deps.store.adminSessions.delete(c.get('admin').id)
    deleteCookie(c, ADMIN_COOKIE, { path: '/admin' })
    return c.redirect('/admin/login', 303)
  })

  app.get('/preview', async (c) => {
    const tenant = c.get('tenant')
    const [apis, clients] = await Promise.all([
      deps.store.resourceServers.list(tenant.id, { page: 0, perPage: 100 }),
      deps.store.clients.list(tenant.id, { page: 0, perPage: 100 }),
    ])
    const query = c.req.query()
    const audience = query.audience?.slice(0, 600)
    const api =
      (audience
        ? apis.items.find((a) => a.identifier === audience || a.id === audience)
        : apis.items[0]) ?? null
    const client =
      (query.client_id
        ? clients.items.find((x) => x.clientId === query.client_id)
        : clients.items[0]) ?? null
    const scopeValues = c.req.queries('scope')
    const locale = deps.i18n.locales.includes(query.locale ?? '')
      ? (query.locale as string)
      : (tenant.settings.default_locale ?? 'en')
    const search = new URL(c.req.url).search
    const model = previewModel({
      tenant,
      apis: apis.items,
      clients: clients.items,
      api,
      client,
      scope: scopeValues ? scopeValues.join(' ').slice(0, 20_000) : undefined,
      tr: deps.i18n.translator(locale),
      locales: deps.i18n.locales,
      canFlip: hasAnyScope(
        c.get('admin').scopes === 'all' ? 'all' : new Set(c.get('admin').scopes),
        [FLIP_SCOPE],
      ),
      csrf: await csrf.token('admin', c.get('adminCookie')),
      back: search.length <= 4000 ? search : '',
    })
    c.header('Cache-Control', 'no-store')
    return c.html(
      deps.views.render('preview', {
        ...model,
        page: pageShell(c, deps, en, 'Consent prompt preview · Assent admin'),
      }),
    )
  })

  app.post('/preview/flag', formLimit(), async (c) => {
    const form = await readForm(c, flagForm)
    if (!(await csrf.verify('admin', c.get('adminCookie'), form.csrf))) {
      throw new AppError(403, 'invalid_csrf', 'The form could not be verified')
    }
    const admin = c.get('admin')
    if (!hasAnyScope(admin.scopes === 'all' ? 'all' : new Set(admin.scopes), [FLIP_SCOPE])) {
      throw new AppError(
        403,
        'insufficient_scope',
        `Insufficient scope, expected any of: ${FLIP_SCOPE}`,
      )
    }
    const tenant = c.get('tenant')
    await deps.store.tenants.updateSettings(tenant.id, {
      ...tenant.settings,
      flags: { ...tenant.settings.flags, use_scope_descriptions_for_consent: form.value === 'on' },
    })
    return c.redirect(`/admin/preview${form.back ?? ''}`, 303)
  })

  return app
}
