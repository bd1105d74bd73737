import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { accountAppsModel, accountContinueModel } from '../presenters/account-page.js'
import { languageChoices, promptMode } from '../presenters/consent-page.js'
import { receiptJson } from '../presenters/receipt-json.js'
import { PORTAL_SESSION_TTL_MS } from '../services/portal.js'
import type { AppEnv } from '../web/context.js'
import { PAGE_COOKIES, pageCookies } from '../web/edge/cookies.js'
import { CSRF_FIELD } from '../web/edge/csrf.js'
import { readForm } from '../web/edge/forms.js'
import { parseQuery } from '../web/edge/validate.js'
import { limitBody } from '../web/middleware/body-limit.js'
import { languagePick, tenantLocales, useLocale, withPick } from '../web/render/locale.js'
import { renderPage } from '../web/render/render.js'
import type { AppDeps } from './deps.js'

/** The connected-apps session (DESIGN §3.7, §6). */
const SESSION_COOKIE = PAGE_COOKIES.account
/** What the page's forms are about, for their CSRF tokens (bound to the session cookie). */
const CSRF_PURPOSE = 'account'
/** A link's "Continue" form is about that link alone (its token bound to the link cookie). */
const linkPurpose = (token: string) => `portal-link:${token}`

const tokenForm = z.object({ [CSRF_FIELD]: z.string().max(128).optional() })
const clientIdParam = z.string().min(1).max(300)

/**
 * Connected apps (DESIGN §3.7): `GET /account/session/{token}` shows a portal link's "Continue"
 * page, whose same-origin `POST` trades the link for a session; `GET /account/apps` lists what the
 * user granted, each with a "Remove access" form; `GET /account/receipts.json` hands over their
 * consent records.
 */
export function accountRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { portal, csrf } = deps
  const cookies = pageCookies({ secure: deps.config.publicUrl.protocol === 'https:' })
  const sessionCookie = (c: Context<AppEnv>) => csrf.sentCookie(c, SESSION_COOKIE)

  /**
   * The session the cookie names (401 page without one), and the page's language: the one picked
   * on the page (`?ui_locales=`), then the one the AS asked for.
   */
  async function signedIn(c: Context<AppEnv>) {
    const secret = sessionCookie(c)
    const session = await portal.session(c.get('tenant'), secret)
    const picked = parseQuery(c, languagePick).ui_locales
    const tr = useLocale(c, deps, withPick(picked, session.uiLocales))
    return { session, secret: secret ?? '', tr, picked }
  }

  // A GET uses nothing up and starts no session: another site can send a browser here, and
  // must not sign it in as the link's user (login CSRF).
  app.get('/session/:token', async (c) => {
    const tenant = c.get('tenant')
    const token = c.req.param('token')
    const visit = await portal.visit(tenant, token, sessionCookie(c))
    c.header('Cache-Control', 'no-store')
    if (visit.state === 'reopened') return c.redirect('/account/apps', 303)
    const tr = useLocale(c, deps, visit.link.uiLocales)
    const browser = csrf.browserCookie(c, PAGE_COOKIES.accountLink)
    const model = accountContinueModel(
      {
        tenant,
        switching: visit.switching,
        action: `/account/session/${token}`,
        csrf: await csrf.token(linkPurpose(token), browser),
      },
      tr,
    )
    return renderPage(c, deps, 'account-continue', model, { title: model.text.title, tr })
  })

  // Only this POST, same-origin (the pages' check) and carrying the page's token, uses the link.
  app.post('/session/:token', limitBody('form'), async (c) => {
    const token = c.req.param('token')
    const form = await readForm(c, tokenForm)
    const link = csrf.sentCookie(c, PAGE_COOKIES.accountLink)
    await csrf.check(linkPurpose(token), link, form[CSRF_FIELD])
    const opened = await portal.open(c.get('tenant'), token, sessionCookie(c))
    c.header('Cache-Control', 'no-store')
    if (opened) {
      const maxAge = PORTAL_SESSION_TTL_MS / 1000
      c.header('Set-Cookie', cookies.set(SESSION_COOKIE, opened.secret, maxAge), { append: true })
    }
    return c.redirect('/account/apps', 303)
  })

  app.get('/apps', async (c) => {
    const tenant = c.get('tenant')
    const { session, secret, tr, picked } = await signedIn(c)
    const removed = clientIdParam.safeParse(c.req.query('removed'))
    const page = await portal.page(tenant, session, removed.success ? removed.data : undefined)
    const model = accountAppsModel(
      {
        tenant,
        page,
        mode: promptMode(tenant),
        csrf: await csrf.token(CSRF_PURPOSE, secret),
        returnTo: session.returnTo,
        now: deps.now(),
        languages: languageChoices(tenantLocales(tenant, deps.i18n.locales), deps.i18n),
        picked,
      },
      tr,
    )
    return renderPage(c, deps, 'account-apps', model, { title: model.text.title, tr })
  })

  app.post('/apps/:clientId/revoke', limitBody('form'), async (c) => {
    const { session, secret, tr, picked } = await signedIn(c)
    const form = await readForm(c, tokenForm)
    await csrf.check(CSRF_PURPOSE, secret, form[CSRF_FIELD])
    const clientId = c.req.param('clientId')
    await portal.revoke(c.get('tenant'), session, clientId, tr.locale)
    c.header('Cache-Control', 'no-store')
    const keep = picked ? `&ui_locales=${encodeURIComponent(picked)}` : ''
    return c.redirect(`/account/apps?removed=${encodeURIComponent(clientId)}${keep}`, 303)
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
