import { compactVerify, createLocalJWKSet } from 'jose'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it, onTestFinished } from 'vitest'
import { silentLogger } from '../../src/logger.js'
import { DEMO } from '../../src/services/demo.js'
import { createWebhookWorker } from '../../src/services/webhooks/webhooks.js'
import { adminSignIn } from '../support/admin.js'
import { consentBrowser, csrfOf, demoRequest } from '../support/consent.js'
import { expectError, type Management } from '../support/management.js'
import { startReceiver } from '../support/receiver.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite), { env: { ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1' } })

const SAME_SITE = { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }

/** The user grants the demo client what it asks for, through the page and the AS's verify. */
async function grant(userId: string = DEMO.userId) {
  const browser = consentBrowser(t)
  const created = await api(
    'POST',
    '/consent-requests',
    demoRequest({ user_id: userId, scope: 'openid profile read:messages write:messages' }),
  )
  const page = await browser.visit(created.body.id)
  const answered = await browser.answer(created.body.id, 'accept', page)
  expect((await browser.redeem(answered)).body.status).toBe('accepted')
}

async function portalLink(userId: string = DEMO.userId, body: Record<string, unknown> = {}) {
  const res = await api('POST', `/users/${encodeURIComponent(userId)}/portal-sessions`, body)
  expect(res.status).toBe(201)
  return res.body as { url: string; expires_at: string }
}

/** The `name=value` of the cookie called `name` that a response sets, or `''`. */
function setCookie(res: Response, name: string) {
  const set = res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`))
  return set?.split(';')[0] ?? ''
}

/** Loads a link's "Continue" page as a browser holding `cookie`: the page, its token and cookie. */
async function linkPage(url: string, cookie = '') {
  const res = await t.app.request(new URL(url).pathname, { headers: cookie ? { cookie } : {} })
  const html = await res.text()
  const link = setCookie(res, 'assent_account_link')
  return {
    res,
    html,
    csrf: csrfOf(html),
    // What the browser sends next: the link page's cookie beside the ones it had.
    cookie: [cookie, link].filter(Boolean).join('; '),
  }
}

/** Presses "Continue" on a link's page. */
function continueLink(
  url: string,
  page: { cookie: string; csrf: string },
  headers: Record<string, string> = SAME_SITE,
) {
  return t.app.request(new URL(url).pathname, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(page.cookie ? { cookie: page.cookie } : {}),
      ...headers,
    },
    body: new URLSearchParams({ csrf: page.csrf }).toString(),
  })
}

/**
 * Opens the link as a browser holding `cookie` does, page then "Continue": the session cookie it
 * gets, or the answer when it gets none.
 */
async function open(url: string, cookie = '') {
  const page = await linkPage(url, cookie)
  if (page.res.status !== 200) return { res: page.res, cookie: '' }
  const res = await continueLink(url, page)
  return { res, cookie: setCookie(res, 'assent_account') }
}

async function apps(cookie: string, query = '') {
  const res = await t.app.request(`/account/apps${query}`, { headers: { cookie } })
  const html = await res.text()
  return { res, html, csrf: csrfOf(html) }
}

function revoke(
  clientId: string,
  session: { cookie: string; csrf: string },
  headers: Record<string, string> = SAME_SITE,
) {
  return t.app.request(`/account/apps/${encodeURIComponent(clientId)}/revoke`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: session.cookie,
      ...headers,
    },
    body: new URLSearchParams({ csrf: session.csrf }).toString(),
  })
}

async function signedIn(userId: string = DEMO.userId) {
  const { cookie } = await open((await portalLink(userId)).url)
  const page = await apps(cookie)
  // A page without cards has no form; the token is the one its forms would carry.
  const csrf = page.csrf || (await t.deps.csrf.token('account', cookie.split('=')[1] ?? ''))
  return { cookie, csrf, html: page.html }
}

describe('POST /api/v2/users/{id}/portal-sessions (DESIGN §3.7)', () => {
  it('answers a single-use link valid 5 minutes, holding 256 random bits', async () => {
    const link = await portalLink(DEMO.userId, { ui_locales: 'fr' })
    expect(link.url).toMatch(/^http:\/\/localhost:3000\/account\/session\/[A-Za-z0-9_-]{43}$/)
    expect(link.expires_at).toBe(new Date(t.clock.now().getTime() + 300_000).toISOString())
  })

  it('stores only the hash of the link', async () => {
    const link = await portalLink()
    const secret = new URL(link.url).pathname.split('/').pop() ?? ''
    expect(await t.store.portalSessions.link(secret, t.clock.now())).toBeUndefined()
  })

  it('refuses a return_to the tenant does not allow, unknown fields, and a token without the scope', async () => {
    expectError(
      await api('POST', '/users/u1/portal-sessions', { return_to: 'https://evil.example/' }),
      400,
      'invalid_body',
    )
    expectError(await api('POST', '/users/u1/portal-sessions', { extra: 1 }), 400, 'invalid_body')
    const ok = await api('POST', '/users/u1/portal-sessions', {
      return_to: 'http://localhost:3000/demo/done',
    })
    expect(ok.status).toBe(201)
  })

  it('is in the OpenAPI document with its scope', async () => {
    const doc = await api('GET', '/openapi.json')
    const op = doc.body.paths['/users/{id}/portal-sessions'].post
    expect(op['x-scopes']).toEqual(['create:portal_sessions'])
    expect(op.responses['201']).toBeDefined()
  })
})

describe('the connected-apps page (DESIGN §3.7)', () => {
  it('trades the link for a 30-minute HttpOnly session and lists the granted app', async () => {
    await grant()
    const { res, cookie } = await open((await portalLink()).url)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/account/apps')
    expect(res.headers.getSetCookie()).toEqual([
      expect.stringMatching(
        /^assent_account=[\w-]{43}; Max-Age=1800; Path=\/; HttpOnly; SameSite=Lax$/,
      ),
    ])
    const page = await apps(cookie)
    expect(page.res.status).toBe(200)
    expect(page.html).toContain('<html lang="en" dir="ltr">')
    expect(page.html.match(/data-testid="connected-app"/g)).toHaveLength(1)
    expect(page.html).toContain('<bdi>Mail Helper</bdi>')
    const text = page.html.replace(/<\/?bdi>/g, '')
    expect(text).toContain('Messages: read and write your messages')
    expect(text).toContain('Profile: access your name and picture')
    expect(page.html).toContain('Allowed on November 24, 2026')
    expect(page.html).toContain(`action="/account/apps/${DEMO.clientId}/revoke"`)
    expect(page.html).toContain('href="/account/receipts.json"')
    expect(page.html).not.toContain('<script')
  })

  it('speaks the language the AS asked for', async () => {
    await grant()
    const { cookie } = await open((await portalLink(DEMO.userId, { ui_locales: 'de' })).url)
    const { html } = await apps(cookie)
    expect(html).toContain('<html lang="de" dir="ltr">')
    expect(html).toContain('Verbundene Apps')
    expect(html).toContain('Zugriff entziehen')
    const ar = await open((await portalLink(DEMO.userId, { ui_locales: 'ar' })).url)
    expect((await apps(ar.cookie)).html).toContain('<html lang="ar" dir="rtl">')
  })

  it('links back to return_to when the AS gave one', async () => {
    const { cookie } = await open(
      (await portalLink(DEMO.userId, { return_to: 'http://localhost:3000/demo/done' })).url,
    )
    const { html } = await apps(cookie)
    expect(html).toContain('href="http://localhost:3000/demo/done"')
    expect(html).toContain('data-testid="no-apps"')
  })

  it('a link opens once: the second time is a translated 410 page', async () => {
    const link = await portalLink(DEMO.userId, { ui_locales: 'fr' })
    expect((await open(link.url)).res.status).toBe(303)
    const again = await t.app.request(new URL(link.url).pathname, {
      headers: { 'accept-language': 'fr' },
    })
    expect(again.status).toBe(410)
    expect(await again.text()).toContain('Ce lien ne peut pas être utilisé')
  })

  it('an expired link opens nothing', async () => {
    const link = await portalLink()
    t.clock.advance(300_001)
    const { res, cookie } = await open(link.url)
    expect(res.status).toBe(410)
    expect(cookie).toBe('')
    const made = await t.app.request('/account/session/not-a-token')
    expect(made.status).toBe(410)
  })

  it('without a session, or after 30 minutes, the page is a translated 401', async () => {
    const none = await t.app.request('/account/apps', { headers: { 'accept-language': 'es' } })
    expect(none.status).toBe(401)
    expect(await none.text()).toContain('Tu sesión ha terminado')
    const { cookie } = await signedIn()
    t.clock.advance(30 * 60_000 - 1000)
    expect((await apps(cookie)).res.status).toBe(200)
    t.clock.advance(2000)
    expect((await apps(cookie)).res.status).toBe(401)
    const json = await t.app.request('/account/receipts.json', { headers: { cookie } })
    expect(json.status).toBe(401)
  })

  it('shows one user only their own apps', async () => {
    await grant('auth0|someone-else')
    const { html } = await signedIn()
    expect(html).not.toContain('data-testid="connected-app"')
  })
})

describe('the connected-apps page says whose it is (DESIGN §3.7)', () => {
  it('carries the tenant’s logo and colour, and names the user once', async () => {
    await t.store.tenants.updateSettings(t.tenant.id, {
      ...t.tenant.settings,
      branding: { logo_url: 'https://cdn.acme.example/logo.png', primary_color: '#0a5c36' },
    })
    // The AS names the user when it asks (DESIGN §3.1); the page names them as the prompt did.
    await api('POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: DEMO.userId,
      user_name: 'Ana Silva',
      audience: DEMO.audience,
      scope: 'openid',
      redirect_uri: DEMO.redirectUri,
    })
    const { html } = await signedIn()
    expect(html).toContain(
      '<img class="tenant-logo" src="https://cdn.acme.example/logo.png" alt="\u2068Acme\u2069 logo"',
    )
    expect(html).toMatch(/<style nonce="[^"]+">:root \{ --brand: #0a5c36; \}<\/style>/)
    expect(html).toContain('<p data-testid="signed-in-as">Signed in as <bdi>Ana Silva</bdi></p>')
    expect(html.split('Ana Silva')).toHaveLength(2)
  })

  it('with no app, says so once instead of introducing a list that is not there', async () => {
    const empty = await signedIn()
    expect(empty.html).toContain('<p class="message" data-testid="no-apps">No app has access')
    expect(empty.html).not.toContain('These apps can access')
    await grant()
    const full = await apps(empty.cookie)
    expect(full.html).toContain('These apps can access your <bdi>Acme</bdi> account.')
    expect(full.html).not.toContain('data-testid="no-apps"')
  })

  it('has the prompt’s compact language picker, whose choice holds through a removal', async () => {
    await grant()
    const session = await signedIn()
    expect(session.html).toContain('<form method="get" class="language-picker"')
    expect(session.html).toContain('<select id="language-select" name="ui_locales">')
    expect(session.html).toContain('<option value="en" lang="en" selected>English</option>')
    expect(session.html.match(/<option /g)?.length).toBe(t.deps.i18n.locales.length)

    const fr = await apps(session.cookie, '?ui_locales=fr')
    expect(fr.html).toContain('<html lang="fr" dir="ltr">')
    expect(fr.html).toContain('<option value="fr" lang="fr" selected>')
    expect(fr.html).toContain(`action="/account/apps/${DEMO.clientId}/revoke?ui_locales=fr"`)
    const ar = await apps(session.cookie, '?ui_locales=ar')
    expect(ar.html).toContain('<html lang="ar" dir="rtl">')

    const res = await t.app.request(`/account/apps/${DEMO.clientId}/revoke?ui_locales=fr`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: session.cookie,
        ...SAME_SITE,
      },
      body: new URLSearchParams({ csrf: session.csrf }).toString(),
    })
    expect(res.headers.get('location')).toBe(`/account/apps?removed=${DEMO.clientId}&ui_locales=fr`)
    const receipts = await api(
      'GET',
      `/consent-receipts?user_id=${encodeURIComponent(DEMO.userId)}`,
    )
    expect(receipts.body.find((r: { action: string }) => r.action === 'revoke').locale).toBe('fr')
  })

  it('refuses a ui_locales that is not one language tag, and never echoes it', async () => {
    const session = await signedIn()
    for (const bad of ['"><script>alert(1)</script>', 'x'.repeat(36), 'en fr', 'en-']) {
      const res = await apps(session.cookie, `?ui_locales=${encodeURIComponent(bad)}`)
      expect(res.res.status).toBe(400)
      expect(res.html).not.toContain('<script>')
    }
    // A tag the tenant offers no translation for falls back, as on the prompt.
    expect((await apps(session.cookie, '?ui_locales=tlh')).html).toContain('<html lang="en"')
  })
})

describe('a portal link signs in only on a same-origin "Continue" (DESIGN §3.7)', () => {
  it('a GET shows the page, and neither uses the link nor starts a session', async () => {
    await grant()
    const link = await portalLink(DEMO.userId, { ui_locales: 'fr' })
    const page = await linkPage(link.url)
    expect(page.res.status).toBe(200)
    expect(page.res.headers.get('cache-control')).toBe('no-store')
    expect(page.html).toContain('<html lang="fr" dir="ltr">')
    expect(page.html).toContain(`<form method="post" action="${new URL(link.url).pathname}"`)
    expect(page.html).toContain('Continuer</button>')
    expect(page.html).not.toContain('data-testid="switch-notice"')
    expect(page.html).not.toContain('<script')
    // Its only cookie anchors the form's token; it signs nothing in.
    expect(page.res.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^assent_account_link=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/),
    ])
    // Opened again, and by a link scanner's HEAD: still unused.
    expect((await linkPage(link.url)).res.status).toBe(200)
    const head = await t.app.request(new URL(link.url).pathname, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.getSetCookie()).toEqual([])
    expect(await head.text()).toBe('')
    const { res, cookie } = await open(link.url)
    expect(res.status).toBe(303)
    expect((await apps(cookie)).html).toContain('data-testid="connected-app"')
  })

  it.each([
    ['a cross-site post', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site post from another origin', { 'sec-fetch-site': 'same-site' }],
    ['a post from a foreign Origin', { origin: 'https://evil.example' }],
    ['a post from an opaque origin', { origin: 'null' }],
  ])('refuses %s with 403, starting nothing and leaving the link usable', async (_, headers) => {
    const link = await portalLink()
    const page = await linkPage(link.url)
    const res = await continueLink(link.url, page, headers)
    expect(res.status).toBe(403)
    expect(setCookie(res, 'assent_account')).toBe('')
    expect((await open(link.url)).res.status).toBe(303)
  })

  it('refuses a post without the page’s token or its cookie, or with another link’s token', async () => {
    const link = await portalLink()
    const page = await linkPage(link.url)
    const other = await linkPage((await portalLink()).url, page.cookie)
    for (const forged of [
      { ...page, csrf: '' },
      { ...page, cookie: '' },
      { ...page, csrf: other.csrf },
    ]) {
      const res = await continueLink(link.url, forged)
      expect(res.status).toBe(403)
      expect(setCookie(res, 'assent_account')).toBe('')
    }
    expect((await continueLink(link.url, page)).status).toBe(303)
  })

  it('tells a browser signed in as another user who it is and who it becomes', async () => {
    await t.store.users.remember(t.tenant.id, {
      userId: 'auth0|bob',
      name: 'Bob <b>Builder</b>',
      email: null,
    })
    const ana = await signedIn()
    const link = await portalLink('auth0|bob')
    const page = await linkPage(link.url, ana.cookie)
    expect(page.res.status).toBe(200)
    expect(page.html).toContain(
      `data-testid="switch-notice">You are signed in as <bdi>Ana Silva</bdi>. Continuing will switch to <bdi>Bob &lt;b&gt;Builder&lt;/b&gt;</bdi>.</p>`,
    )
    // Continuing ends Ana's session and starts Bob's.
    const res = await continueLink(link.url, page)
    expect(res.status).toBe(303)
    expect((await apps(ana.cookie)).res.status).toBe(401)
    expect((await apps(setCookie(res, 'assent_account'))).res.status).toBe(200)
    // Signed in as the link's own user, nothing to tell.
    const again = await linkPage((await portalLink()).url, ana.cookie)
    expect(again.html).not.toContain('data-testid="switch-notice"')
  })

  it('reopened in the browser that used it, the link goes to the page while the session lasts', async () => {
    const link = await portalLink()
    const page = await linkPage(link.url)
    const first = await continueLink(link.url, page)
    const cookie = setCookie(first, 'assent_account')
    for (const res of [
      await t.app.request(new URL(link.url).pathname, { headers: { cookie } }),
      // "Continue" pressed twice, or sent again by the back button.
      await continueLink(link.url, { ...page, cookie: `${page.cookie}; ${cookie}` }),
    ]) {
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/account/apps')
      expect(setCookie(res, 'assent_account')).toBe('')
    }
    expect((await apps(cookie)).res.status).toBe(200)
    // Another browser, or another session of this one, finds it spent.
    expect((await linkPage(link.url)).res.status).toBe(410)
    expect((await continueLink(link.url, page)).status).toBe(410)
    const other = await signedIn()
    expect((await linkPage(link.url, other.cookie)).res.status).toBe(410)
    // Once the session is over, so is the link.
    t.clock.advance(30 * 60_000 + 1000)
    expect((await linkPage(link.url, cookie)).res.status).toBe(410)
  })

  it('a link for another tenant’s user opens nothing there, and stays usable here', async () => {
    const link = await portalLink()
    await t.store.tenants.create({
      id: 'globex',
      domains: ['globex.example'],
      settings: { friendly_name: 'Globex', flags: {} },
    })
    const path = new URL(link.url).pathname
    const page = await t.app.request(path, { headers: { host: 'localhost:3000' } })
    expect(page.status).toBe(200)
    const form = {
      cookie: setCookie(page, 'assent_account_link'),
      csrf: /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '',
    }
    const post = (host: string) =>
      continueLink(link.url, form, { host, 'sec-fetch-site': 'same-origin' })
    expect((await t.app.request(path, { headers: { host: 'globex.example' } })).status).toBe(410)
    expect((await post('globex.example')).status).toBe(410)
    expect((await post('localhost:3000')).status).toBe(303)
  })
})

describe('Remove access (DESIGN §3.7)', () => {
  it('deletes the grants, writes a signed revoke receipt and queues grant.revoked, then confirms', async () => {
    const receiver = await startReceiver()
    onTestFinished(receiver.close)
    const hook = await api('POST', '/webhooks', { url: receiver.url, events: ['grant.revoked'] })
    await grant()
    const session = await signedIn()
    const res = await revoke(DEMO.clientId, session)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/account/apps?removed=${DEMO.clientId}`)

    const after = await apps(session.cookie, `?removed=${DEMO.clientId}`)
    expect(after.html).toContain('data-testid="revoked-notice"')
    expect(after.html).toContain('<bdi>Mail Helper</bdi> no longer has access to your account.')
    expect(after.html).not.toContain('data-testid="connected-app"')
    expect((await api('GET', `/grants?user_id=${encodeURIComponent(DEMO.userId)}`)).body).toEqual(
      [],
    )

    const receipts = await api(
      'GET',
      `/consent-receipts?user_id=${encodeURIComponent(DEMO.userId)}`,
    )
    const receipt = receipts.body.find((r: { action: string }) => r.action === 'revoke')
    expect(receipt).toMatchObject({
      user_id: DEMO.userId,
      client_id: DEMO.clientId,
      client_name: 'Mail Helper',
      audience: DEMO.audience,
      granted_scopes: expect.arrayContaining(['openid', 'profile', 'read:messages']),
      lines: ['Profile: access your name and picture', 'Messages: read and write your messages'],
      locale: 'en',
    })
    const keys = await t.app.request('/.well-known/assent-receipt-keys.json')
    const verified = await compactVerify(receipt.jws, createLocalJWKSet(await keys.json()))
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toMatchObject({
      receipt_id: receipt.receipt_id,
      action: 'revoke',
    })

    // The outbox holds grant.revoked, signed per Standard Webhooks when delivered.
    const worker = createWebhookWorker({
      store: t.store,
      // Signed now: a receiver refuses a timestamp more than five minutes off its clock.
      now: () => new Date(Math.max(Date.now(), t.clock.now().getTime())),
      log: silentLogger,
      allowHttpLoopback: true,
    })
    expect(await worker.runOnce()).toBe(1)
    const [delivery] = receiver.received
    const event = new Webhook(hook.body.secret).verify(
      delivery?.body ?? '',
      (delivery?.headers ?? {}) as Record<string, string>,
    ) as { type: string; data: Record<string, unknown> }
    expect(event.type).toBe('grant.revoked')
    expect(event.data).toMatchObject({
      user_id: DEMO.userId,
      client_id: DEMO.clientId,
      receipt_id: receipt.receipt_id,
    })
  })

  it('refuses a missing or wrong form token, and a cross-site post, with 403', async () => {
    await grant()
    const session = await signedIn()
    expect((await revoke(DEMO.clientId, { ...session, csrf: '' })).status).toBe(403)
    expect((await revoke(DEMO.clientId, { ...session, csrf: 'x'.repeat(43) })).status).toBe(403)
    expect(
      (
        await revoke(DEMO.clientId, session, {
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        })
      ).status,
    ).toBe(403)
    expect((await revoke(DEMO.clientId, session, { 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    )
    // Another session's token is not this one's.
    const other = await signedIn()
    expect((await revoke(DEMO.clientId, { ...session, csrf: other.csrf })).status).toBe(403)
    expect((await api('GET', '/grants')).body).toHaveLength(1)
  })

  it('takes back only what this user granted: another user’s app is a 404, their grant stays', async () => {
    await grant('auth0|someone-else')
    const session = await signedIn()
    const res = await revoke(DEMO.clientId, session)
    expect(res.status).toBe(404)
    expect((await api('GET', '/grants?user_id=auth0%7Csomeone-else')).body).toHaveLength(1)
    expect((await revoke('no-such-client', session)).status).toBe(404)
  })

  it('asks to confirm: the form opens under a disclosure, no script', async () => {
    await grant()
    const { html } = await signedIn()
    expect(html).toMatch(
      new RegExp(
        '<details class="confirm app-actions" data-testid="remove-access">\\s*' +
          '<summary class="button secondary"[^>]*>Remove access</summary>\\s*' +
          `<form method="post" action="/account/apps/${DEMO.clientId}/revoke"[^>]*>[\\s\\S]*?` +
          '<bdi>Mail Helper</bdi> will no longer be able to access your account.[\\s\\S]*?' +
          '<button type="submit" class="button danger"[^>]*>Yes, remove access</button>\\s*' +
          '</form>\\s*</details>',
      ),
    )
    // The only submit button of a card is the confirmation's.
    const card = /<section class="app-card"[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
    expect(card.match(/type="submit"/g)).toHaveLength(1)
  })

  it('confirms only a removal that happened', async () => {
    await grant()
    const session = await signedIn()
    const page = await apps(session.cookie, `?removed=${DEMO.clientId}`)
    expect(page.html).not.toContain('data-testid="revoked-notice"')
    expect(page.html).toContain('data-testid="connected-app"')
  })

  it('without a session, a revoke is a 401 and changes nothing', async () => {
    await grant()
    const res = await revoke(DEMO.clientId, { cookie: '', csrf: '' })
    expect(res.status).toBe(401)
    expect((await api('GET', '/grants')).body).toHaveLength(1)
  })
})

describe('Download my consent records', () => {
  it('gives the user their receipts, claims and JWS, as a JSON attachment', async () => {
    await grant()
    await grant('auth0|someone-else')
    const session = await signedIn()
    const res = await t.app.request('/account/receipts.json', {
      headers: { cookie: session.cookie },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=/)
    const body = await res.json()
    expect(body.user_id).toBe(DEMO.userId)
    expect(body.receipts).toHaveLength(1)
    expect(body.receipts[0]).toMatchObject({ action: 'accept', user_id: DEMO.userId })
    expect(body.receipts[0].jws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
  })
})

describe('the admin user page', () => {
  it('lists, read-only, the user’s connected apps and receipts', async () => {
    await grant()
    const { cookie } = await adminSignIn(t)
    const page = async () => {
      const res = await t.app.request(`/admin/users/${encodeURIComponent(DEMO.userId)}`, {
        headers: { cookie },
      })
      expect(res.status).toBe(200)
      return (await res.text()).replace(/<\/?bdi>/g, '')
    }
    let html = await page()
    expect(html).toContain('data-testid="user-connected-apps"')
    expect(html).toMatch(/Mail Helper <code>mail-helper<\/code>/)
    expect(html).toContain('<li>Messages: read and write your messages</li>')
    expect(html).toContain('data-testid="user-receipts"')
    expect(html).toMatch(/<td>accept<\/td>\s*<td>Mail Helper/)

    const session = await signedIn()
    expect((await revoke(DEMO.clientId, session)).status).toBe(303)
    html = await page()
    expect(html).toContain('No app has access.')
    expect(html).toMatch(/<td>revoke<\/td>\s*<td>Mail Helper/)
  })
})
