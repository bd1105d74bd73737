import { type Context, Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppEnv } from '../app/env.js'
import type { AppDeps } from '../app/types.js'
import { limitBody } from '../http/body-limit.js'
import { CSRF_FIELD } from '../http/csrf.js'
import { readForm } from '../http/forms.js'
import { renderPage } from '../http/render.js'
import { useLocale } from '../middleware/i18n.js'
import { accountAppsModel } from '../presenters/account-page.js'
import { promptMode } from '../presenters/consent-page.js'
import { receiptJson } from '../presenters/receipt-json.js'
import { PORTAL_SESSION_TTL_MS } from '../services/portal.js'

/** The connected-apps session: HttpOnly, only under `/account` (DESIGN §3.7, §6). */
const SESSION_COOKIE = 'assent_account'
/** What the page's forms are about, for their CSRF tokens (bound to the session cookie). */
const CSRF_PURPOSE = 'account'

const revokeForm = z.object({ [CSRF_FIELD]: z.string().max(128).optional() })
const clientIdParam = z.string().min(1).max(300)

/**
 * Connected apps (DESIGN §3.7): `GET /account/session/{token}` trades a portal link for a
 * session; `GET /account/apps` lists what the user granted, each with a "Remove access" form;
 * `GET /account/receipts.json` hands over their consent records.
 */
export function accountRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { portal, csrf } = deps

  /** The session the cookie names (401 page without one), and the page's language. */
  async function signedIn(c: Context<AppEnv>) {
    const secret = getCookie(c, SESSION_COOKIE)
    const session = await portal.session(c.get('tenant'), secret)
    return { session, secret: secret ?? '', tr: useLocale(c, deps, session.uiLocales) }
  }

  app.get('/session/:token', async (c) => {
    const opened = await portal.open(
      c.get('tenant'),
      c.req.param('token'),
      getCookie(c, SESSION_COOKIE),
    )
    setCookie(c, SESSION_COOKIE, opened.secret, {
      path: '/account',
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.config.publicUrl.protocol === 'https:',
      maxAge: PORTAL_SESSION_TTL_MS / 1000,
    })
    c.header('Cache-Control', 'no-store')
    return c.redirect('/account/apps', 303)
  })

  app.get('/apps', async (c) => {
    const tenant = c.get('tenant')
    const { session, secret, tr } = await signedIn(c)
    const removed = clientIdParam.safeParse(c.req.query('removed'))
    const page = await portal.page(tenant, session, removed.success ? removed.data : undefined)
    const model = accountAppsModel(
      {
        tenant,
        page,
        mode: promptMode(tenant),
        csrf: await csrf.token(CSRF_PURPOSE, secret),
        returnTo: session.returnTo,
      },
      tr,
    )
    return renderPage(c, deps, 'account-apps', model, { title: model.text.title, tr })
  })

  app.post('/apps/:clientId/revoke', limitBody('form'), async (c) => {
    const { session, secret, tr } = await signedIn(c)
    const form = await readForm(c, revokeForm)
    await csrf.check(CSRF_PURPOSE, secret, form[CSRF_FIELD])
    const clientId = c.req.param('clientId')
    await portal.revoke(c.get('tenant'), session, clientId, tr.locale)
    c.header('Cache-Control', 'no-store')
    return c.redirect(`/account/apps?removed=${encodeURIComponent(clientId)}`, 303)
  })

  app.get('/receipts.json', async (c) => {
    const { session } = await signedIn(c)
    const receipts = await portal.receipts(c.get('tenant'), session)
    c.header('Cache-Control', 'no-store')
    c.header('Content-Disposition', 'attachment; filename="consent-records.json"')
    return c.json({ user_id: session.userId, receipts: receipts.map(receiptJson) })
  })

  return app
}
