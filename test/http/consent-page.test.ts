import { describe, expect, it } from 'vitest'
import { limits } from '../../src/config/env.js'
import type { CreateConsentRequestInput } from '../../src/services/consent/flow.js'
import { DEMO } from '../../src/services/demo.js'
import { consentBrowser, cookieOf } from '../support/consent.js'
import { htmlForm } from '../support/html-form.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

async function openRequest(overrides: Partial<CreateConsentRequestInput> = {}) {
  return t.deps.consentFlow.open(t.tenant, {
    clientId: DEMO.clientId,
    userId: DEMO.userId,
    userName: DEMO.userName,
    audience: DEMO.audience,
    scope: DEMO.scope,
    redirectUri: DEMO.redirectUri,
    returnTo: 'http://localhost:3000/demo/done',
    state: 'xyz',
    ...overrides,
  })
}

function lines(html: string): string[] {
  const list = /<ul[^>]*data-testid="scope-lines"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [
    ...list.matchAll(
      /<li>[\s\S]*?<span(?: id="[^"]*")?>([\s\S]*?)<\/span>(?:<\/summary>[\s\S]*?)?<\/li>/g,
    ),
  ].map((m) => (m[1] ?? '').replace(/<\/?bdi>/g, ''))
}

describe('GET /consent/{id} (DESIGN §3.2)', () => {
  it('renders the grouped prompt with the contract markup', async () => {
    const request = await openRequest()
    const res = await t.app.request(`/consent/${request.id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain('<html lang="en" dir="ltr">')
    expect(lines(html)).toEqual([
      'Profile: access your name and picture',
      'Offline access: keep access when you are not using the app',
      'Messages: read and write your messages',
      'Contacts: read your contacts',
    ])
    expect(html).toContain(`<form method="post" action="/consent/${request.id}"`)
    expect(html).toContain('name="action" value="accept"')
    expect(html).toContain('name="action" value="deny"')
    expect(html).toMatch(/<input type="hidden" name="csrf" value="[A-Za-z0-9_-]{43}">/)
    expect(html).toContain('Authorize <bdi>Mail Helper</bdi>')
    expect(html).toContain(
      '<bdi>Mail Helper</bdi> is requesting access to your <bdi>Acme</bdi> account.',
    )
    expect(html).toContain('You will be sent to <bdi>mail-helper.example</bdi>')
    // The user is named once, under the buttons (DESIGN §3.2.1), not greeted and named again.
    expect(html.split('ana@example.com')).toHaveLength(2)
    expect(html).toContain('Signed in as <bdi>ana@example.com</bdi>')
    expect(html).not.toContain('Hi <bdi>')
    expect(html).not.toMatch(/<script/i)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('set-cookie')).toMatch(
      /^assent_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/,
    )
  })

  it('sends the security headers of DESIGN §6, and lets the form lead to the return URL', async () => {
    const request = await openRequest()
    const res = await t.app.request(`/consent/${request.id}`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("script-src 'none'")
    expect(csp).toContain("form-action 'self' http://localhost:3000 https://mail-helper.example;")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('speaks the language of ui_locales, then Accept-Language', async () => {
    const fr = await openRequest({ uiLocales: 'fr-CA en' })
    const html = await (
      await t.app.request(`/consent/${fr.id}`, { headers: { 'accept-language': 'de' } })
    ).text()
    expect(html).toContain('<html lang="fr" dir="ltr">')
    expect(lines(html)).toContain('Messages\u202F: lire et écrire vos messages')

    const plain = await openRequest()
    const de = await (
      await t.app.request(`/consent/${plain.id}`, {
        headers: { 'accept-language': 'de-AT,de;q=0.9' },
      })
    ).text()
    expect(de).toContain('<html lang="de" dir="ltr">')
    expect(lines(de)).toContain('Nachrichten: Ihre Nachrichten lesen und schreiben')
  })

  it('keeps the translator cache bounded whatever Accept-Language and ui_locales say', async () => {
    const request = await openRequest({ uiLocales: 'x-hostile-0 qq-Zzzz-0' })
    const first = await t.app.request(`/consent/${request.id}`)
    const cookie = cookieOf(first)
    for (let i = 0; i < 2000; i++) {
      const res = await t.app.request(`/consent/${request.id}`, {
        headers: {
          cookie,
          'accept-language': `x-h${i}, qq-${i.toString(36)};q=0.9, de-X${i};q=0.1`,
        },
      })
      expect(res.status).toBe(200)
      // Whatever reaches the translator directly falls back to English, without a cache entry.
      expect(t.deps.i18n.translator(`zz-${i}`).locale).toBe('en')
    }
    // Made when first served: English and German here, and never one per name asked for.
    expect(t.deps.i18n.cachedTranslators).toBeGreaterThanOrEqual(2)
    expect(t.deps.i18n.cachedTranslators).toBeLessThanOrEqual(t.deps.i18n.locales.length)
    expect(t.deps.i18n.cachedTranslators).toBeLessThanOrEqual(limits.translators)
  })

  it('renders Arabic right to left', async () => {
    const request = await openRequest({ uiLocales: 'ar' })
    const html = await (await t.app.request(`/consent/${request.id}`)).text()
    expect(html).toContain('<html lang="ar" dir="rtl">')
    expect(html).toContain('قبول')
  })

  it('renders Traditional Chinese for a Hong Kong browser, never Simplified', async () => {
    const request = await openRequest()
    const html = await (
      await t.app.request(`/consent/${request.id}`, { headers: { 'accept-language': 'zh-HK' } })
    ).text()
    expect(html).toContain('<html lang="zh-TW" dir="ltr">')
  })

  it("offers the tenant's languages in one GET form that re-renders with ui_locales", async () => {
    await t.store.tenants.updateSettings(t.tenant.id, {
      ...t.tenant.settings,
      enabled_locales: ['en', 'de', 'ar'],
    })
    const request = await openRequest({ uiLocales: 'ar en' })
    const first = await t.app.request(`/consent/${request.id}?ui_locales=en`)
    const cookie = cookieOf(first)
    const html = await first.text()
    expect(html).not.toContain('data-testid="languages"')
    const picker = htmlForm(html, (form) => form.attrs.get('data-testid') === 'language-picker')
    // No action: the form goes to the page's own path, so no request id is written into it.
    expect(picker.method).toBe('get')
    expect(picker.attrs.has('action')).toBe(false)
    expect(picker.entries()).toEqual([['ui_locales', 'en']])
    const form = /<form[^>]*data-testid="language-picker"[\s\S]*?<\/form>/.exec(html)?.[0] ?? ''
    expect(form).toContain('<label for="language-select">Language</label>')
    expect(form).toContain('<select id="language-select" name="ui_locales">')
    expect(form).toContain('<option value="en" lang="en" selected>English</option>')
    expect(form).toContain('<option value="de" lang="de">Deutsch</option>')
    expect(form).toContain('<option value="ar" lang="ar">العربية</option>')
    expect(form).toContain('<button type="submit"')
    expect(form).not.toContain('Français')
    expect(form).not.toContain(request.id)
    expect(html).not.toContain('<script')

    // The user's pick wins over the request's ui_locales, for this view.
    const de = await (
      await t.app.request(`/consent/${request.id}?ui_locales=de`, { headers: { cookie } })
    ).text()
    expect(de).toContain('<html lang="de" dir="ltr">')
    expect(de).toContain('<option value="de" lang="de" selected>Deutsch</option>')
    // A language the tenant disabled is not offered; asking for it falls back to the request's.
    const fr = await (
      await t.app.request(`/consent/${request.id}?ui_locales=fr`, { headers: { cookie } })
    ).text()
    expect(fr).toContain('<html lang="ar" dir="rtl">')
    const bad = await t.app.request(`/consent/${request.id}?ui_locales=%3Cscript%3E`, {
      headers: { cookie },
    })
    expect(bad.status).toBe(400)
  })

  it('lists descriptions when the tenant flag is on', async () => {
    await t.store.tenants.updateSettings(t.tenant.id, {
      ...t.tenant.settings,
      flags: { use_scope_descriptions_for_consent: true },
    })
    const request = await openRequest()
    const html = await (await t.app.request(`/consent/${request.id}`)).text()
    expect(lines(html)).toEqual([
      'Profile: access your name and picture',
      'Offline access: keep access when you are not using the app',
      'Read your messages',
      'Send messages as you',
      'See your contacts',
    ])
  })

  it('escapes what admins and users wrote, and hides logos that are not https', async () => {
    await t.store.clients.create(t.tenant.id, {
      clientId: 'evil',
      name: '<img src=x onerror=alert(1)>',
      description: '',
      logoUri: 'javascript:alert(1)',
      isFirstParty: false,
      callbacks: ['https://x.example/cb'],
      appType: null,
    })
    const request = await openRequest({
      clientId: 'evil',
      userName: '"><script>alert(1)</script>',
      redirectUri: 'https://x.example/cb',
    })
    const html = await (await t.app.request(`/consent/${request.id}`)).text()
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).not.toContain('javascript:')
    expect(html).toContain('class="client-logo client-initial"')
  })
})

describe('what someone else wrote is isolated on every page (DESIGN §6)', () => {
  /** The page without its <bdi> elements and FSI…PDI runs: what is left is the service's own. */
  const outsideIsolates = (html: string) =>
    html.replace(/<bdi>[^<]*<\/bdi>/g, '').replace(/\u2068[^\u2068\u2069]*\u2069/g, '')
  const body = (html: string) => /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? ''

  it('wraps the client, tenant, user, host and the admin’s words in <bdi> on an English page', async () => {
    await t.store.resourceServers.update(t.tenant.id, 'rs_demo_messages', {
      scopes: [
        { value: 'read:messages', description: 'Read your messages' },
        { value: 'frob:messages', description: '' },
      ],
    })
    const request = await openRequest({ scope: 'openid profile read:messages frob:messages' })
    const first = await t.app.request(`/consent/${request.id}`)
    // The same browser again, later.
    const cookie = cookieOf(first)
    const html = await first.text()
    expect(html).toContain('<html lang="en" dir="ltr">')
    expect(html).toContain(
      '<h1 class="prompt-title" id="title">Authorize <bdi>Mail Helper</bdi></h1>',
    )
    expect(html).toContain(
      '<p class="message"><bdi>Mail Helper</bdi> is requesting access to your <bdi>Acme</bdi> account.</p>',
    )
    expect(html).toContain('<p>You will be sent to <bdi>mail-helper.example</bdi></p>')
    expect(html).toContain('<p>Signed in as <bdi>ana@example.com</bdi></p>')
    // Lines: the service's words bare, the admin's (resource, unknown action) isolated.
    expect(html).toContain('<span>Profile: access your name and picture</span></summary>')
    expect(html).toContain(
      '<span><bdi>Messages</bdi>: read and <bdi>frob</bdi> your <bdi>messages</bdi></span></li>',
    )
    // None of the names is left outside an isolate in the body.
    for (const name of ['Mail Helper', 'Acme', 'ana@example.com', 'mail-helper.example'])
      expect(outsideIsolates(body(html))).not.toContain(name)
    // Where markup cannot go, Unicode isolates stand in, in English too.
    expect(html).toContain('<title>Authorize \u2068Mail Helper\u2069</title>')
    expect(html).toContain('alt="\u2068Mail Helper\u2069 logo"')
    expect(html).toContain('alt="\u2068Acme\u2069 logo"')

    await t.store.tenants.updateSettings(t.tenant.id, {
      ...t.tenant.settings,
      flags: { use_scope_descriptions_for_consent: true },
    })
    const described = await (
      await t.app.request(`/consent/${request.id}`, { headers: { cookie } })
    ).text()
    expect(described).toContain('<span><bdi>Read your messages</bdi></span></li>')
    expect(described).toContain('<span><bdi>frob:messages</bdi></span></li>')
  })

  it('shows a stored user name full of bidi overrides isolated and escaped', async () => {
    // The API refuses these characters now; a row written before that, or by hand, still shows.
    const spoof = '\u202Egnp.exe<b>&"\u2066'
    const opened = await openRequest({ uiLocales: 'en' })
    const id = 'RLOxRLOxRLOxRLOxRLOx00'
    await t.store.consentRequests.create({ ...opened, id, userName: spoof })
    await t.store.clients.update(t.tenant.id, DEMO.clientId, { name: `Mail \u202EHelper` })

    const res = await t.app.request(`/consent/${id}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    const escaped = '\u202Egnp.exe&lt;b&gt;&amp;&quot;\u2066'
    expect(html).toContain(`<p>Signed in as <bdi>${escaped}</bdi></p>`)
    expect(html).toContain('Authorize <bdi>Mail \u202EHelper</bdi>')
    expect(html).not.toContain('<b>')
    // Every override sits inside a <bdi> or an FSI…PDI run, whose end ends it (UAX #9 BD8, X6a).
    expect(outsideIsolates(html)).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/)
    expect(html).toContain('<title>Authorize \u2068Mail \u202EHelper\u2069</title>')
  })
})

describe('error pages', () => {
  it('answers an unknown id with a translated 404 page', async () => {
    const res = await t.app.request('/consent/AAAAAAAAAAAAAAAAAAAAAA', {
      headers: { 'accept-language': 'fr' },
    })
    expect(res.status).toBe(404)
    const html = await res.text()
    expect(html).toContain('<html lang="fr" dir="ltr">')
    expect(html).toContain('Cette demande est introuvable')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
  })

  it('answers a malformed id with the same 404 page, not an error', async () => {
    const res = await t.app.request(`/consent/${encodeURIComponent("'; drop table x; --")}`)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('We can&#39;t find this request')
  })

  it('answers an expired request with a 410 page in the request’s language', async () => {
    const request = await openRequest({ uiLocales: 'ja' })
    t.clock.advance(601_000)
    const res = await t.app.request(`/consent/${request.id}`)
    expect(res.status).toBe(410)
    const html = await res.text()
    expect(html).toContain('<html lang="ja" dir="ltr">')
    expect(html).toContain('このリクエストは期限切れです')
  })

  it('answers a request that needs no page with 409', async () => {
    const request = await openRequest({ prompt: 'none' })
    expect(request.status).toBe('denied')
    const res = await t.app.request(`/consent/${request.id}`)
    expect(res.status).toBe(409)
  })

  it('answers JSON to API clients', async () => {
    const res = await t.app.request('/consent/AAAAAAAAAAAAAAAAAAAAAA', {
      headers: { accept: 'application/json' },
    })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Consent request not found',
      errorCode: 'inexistent_consent_request',
    })
  })

  it('answers unknown paths with a 404 page', async () => {
    const res = await t.app.request('/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  })
})

describe('branded error pages with a way back (DESIGN §3.2.1)', () => {
  const backLink = /<a [^>]*href="([^"]*)" data-testid="back-link">/

  async function brand() {
    await t.store.tenants.updateSettings(t.tenant.id, {
      ...t.tenant.settings,
      branding: { ...t.tenant.settings.branding, primary_color: '#0f766e' },
    })
  }

  it('gives the bound browser a way back from an answered request, and nobody else', async () => {
    await brand()
    const browser = consentBrowser(t)
    const request = await openRequest({ state: 'secret-state' })
    const page = await browser.visit(request.id)
    expect((await browser.answer(request.id, 'accept', page)).status).toBe(303)

    const again = await browser.visit(request.id, page.cookie)
    expect(again.status).toBe(409)
    const href = (backLink.exec(again.html)?.[1] ?? '').replaceAll('&amp;', '&')
    const back = new URL(href)
    expect(back.origin + back.pathname).toBe('http://localhost:3000/demo/done')
    expect([...back.searchParams]).toEqual([
      ['consent_request', request.id],
      ['error', 'access_denied'],
    ])
    expect(again.html).not.toContain('secret-state')
    expect(again.html).toContain('class="tenant-logo" src="http://localhost:3000/assets/acme.svg"')
    expect(again.html).toContain('--brand: #0f766e;')
    // A second post from the same browser: the same way back.
    const twice = await browser.answer(request.id, 'accept', page)
    expect(twice.status).toBe(409)
    expect(backLink.exec(await twice.text())?.[1]).toBe(backLink.exec(again.html)?.[1])

    // Another browser learns nothing of the request: branding only.
    const stranger = await browser.visit(request.id)
    expect(stranger.status).toBe(403)
    expect(stranger.html).toContain('class="tenant-logo"')
    for (const secret of ['back-link', 'demo/done', 'Mail Helper', DEMO.userName, request.id])
      expect(stranger.html).not.toContain(secret)
    const strangerPost = await browser.answer(request.id, 'accept', {
      cookie: stranger.cookie,
      csrf: page.csrf,
    })
    expect(strangerPost.status).toBe(403)
    expect(await strangerPost.text()).not.toContain('back-link')
  })

  it('gives a way back from an expired request only once a browser was bound to it', async () => {
    const browser = consentBrowser(t)
    const opened = await openRequest()
    const page = await browser.visit(opened.id)
    const unopened = await openRequest()
    t.clock.advance(601_000)

    const expired = await browser.visit(opened.id, page.cookie)
    expect(expired.status).toBe(410)
    expect(expired.html).toContain('data-testid="back-link"')
    expect(expired.html).toContain(`consent_request=${opened.id}&amp;error=access_denied`)
    const posted = await browser.answer(opened.id, 'accept', page)
    expect(posted.status).toBe(410)
    expect(await posted.text()).toContain('data-testid="back-link"')

    // Nobody has shown this one's page: whoever holds the link gets no way into the AS.
    const never = await browser.visit(unopened.id)
    expect(never.status).toBe(410)
    expect(never.html).not.toContain('back-link')
  })

  it('brands the 404 page and shows nothing of a request', async () => {
    await brand()
    const res = await t.app.request('/consent/AAAAAAAAAAAAAAAAAAAAAA')
    expect(res.status).toBe(404)
    const html = await res.text()
    expect(html).toContain('class="tenant-logo"')
    expect(html).toContain('alt="\u2068Acme\u2069 logo"')
    expect(html).toContain('--brand: #0f766e;')
    expect(html).not.toContain('back-link')
  })
})

describe('GET / (DESIGN §3.2.1)', () => {
  it("says what the service is, with the tenant's name and logo and nobody's data", async () => {
    const request = await openRequest()
    const res = await t.app.request('/')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<html lang="en" dir="ltr">')
    expect(html).toContain('<h1 id="title"><bdi>Acme</bdi> app permissions</h1>')
    expect(html).toContain('class="tenant-logo" src="http://localhost:3000/assets/acme.svg"')
    for (const secret of ['Mail Helper', DEMO.clientId, DEMO.userName, request.id])
      expect(html).not.toContain(secret)
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })

  it('speaks the browser’s language, right to left in Hebrew', async () => {
    const he = await (await t.app.request('/', { headers: { 'accept-language': 'he' } })).text()
    expect(he).toContain('<html lang="he" dir="rtl">')
    expect(he).toContain('הרשאות אפליקציות של <bdi>Acme</bdi>')
    const ru = await (await t.app.request('/?ui_locales=ru')).text()
    expect(ru).toContain('Разрешения приложений <bdi>Acme</bdi>')
  })

  it("shows each tenant's name on its own host, and none on a host no tenant serves", async () => {
    await t.store.tenants.create({
      id: 'globex',
      domains: ['globex.example'],
      settings: { ...t.tenant.settings, friendly_name: 'Globex', branding: {} },
    })
    const globex = await (await t.app.request('/', { headers: { host: 'globex.example' } })).text()
    expect(globex).toContain('<bdi>Globex</bdi> app permissions')
    expect(globex).not.toContain('Acme')
    const res = await t.app.request('/', { headers: { host: 'elsewhere.example' } })
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('Acme')
  })
})

describe('demo, health and assets', () => {
  it('GET /demo opens a fresh request and redirects to its page', async () => {
    const res = await t.app.request('/demo')
    expect(res.status).toBe(303)
    const location = res.headers.get('location') ?? ''
    expect(location).toMatch(/^\/consent\/[A-Za-z0-9_-]{22}$/)
    const page = await t.app.request(location)
    expect(lines(await page.text())).toContain('Messages: read and write your messages')
  })

  it('GET /healthz is 200 once the store answers', async () => {
    const res = await t.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('serves the stylesheet fingerprinted, cached for a year', async () => {
    const request = await openRequest()
    const html = await (await t.app.request(`/consent/${request.id}`)).text()
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1] ?? ''
    expect(href).toMatch(/^\/assets\/assent\.[0-9a-f]{12}\.css$/)
    const css = await t.app.request(href)
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const etag = css.headers.get('etag') ?? ''
    expect((await t.app.request(href, { headers: { 'if-none-match': etag } })).status).toBe(304)
    expect((await t.app.request('/assets/nothing.css')).status).toBe(404)
  })
})
