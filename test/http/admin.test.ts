import { describe, expect, it } from 'vitest'

import { DEMO } from '../../src/services/demo.js'
import { adminSignIn, listLines } from '../support/admin.js'
import { consentBrowser, csrfOf } from '../support/consent.js'
import { startIssuer } from '../support/jwks.js'
import { management } from '../support/management.js'
import { createTestApp, eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

const get = (path: string, cookie: string) => t.app.request(path, { headers: { cookie } })

async function flagForm(cookie: string, query = '') {
  const html = await (await get(`/admin/preview${query}`, cookie)).text()
  return {
    csrf:
      /action="\/admin\/preview\/flag">\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(
        html,
      )?.[1] ?? '',
    back: /name="back" value="([^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '',
    html,
  }
}

function post(path: string, cookie: string, fields: Record<string, string>) {
  return t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(fields).toString(),
  })
}

describe('admin sign-in (DESIGN §5)', () => {
  it('sends /admin/* to the sign-in page without a session', async () => {
    for (const path of ['/admin', '/admin/preview', '/admin/preview?audience=x']) {
      const res = await t.app.request(path)
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toMatch(/^\/admin\/(login|preview)$/)
    }
    expect((await t.app.request('/admin/preview')).headers.get('location')).toBe('/admin/login')
    const flip = await post('/admin/preview/flag', '', { value: 'on', csrf: 'x' })
    expect(flip.status).toBe(303)
    expect(flip.headers.get('location')).toBe('/admin/login')
  })

  it('signs in with the admin token: an HttpOnly, SameSite=Strict session of eight hours', async () => {
    const { res, setCookie } = await adminSignIn(t)
    expect(res.status).toBe(303)
    // Signed in, the console lands on its first section (DESIGN §5).
    expect(res.headers.get('location')).toBe('/admin')
    expect(setCookie).toMatch(
      /^assent_admin=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/,
    )
  })

  it('refuses a wrong token with the form again, and keeps no session', async () => {
    const { res, setCookie } = await adminSignIn(t, 'not-the-token')
    expect(res.status).toBe(401)
    expect(await res.text()).toContain('That token was not accepted')
    expect(setCookie).toBeUndefined()
  })

  it.each([
    ['a forged form token', { token: 'x', csrf: 'forged' }, {}],
    ['no form token', { token: 'x' }, {}],
    [
      'a post from another site',
      { token: 'x', csrf: 'forged' },
      { 'sec-fetch-site': 'cross-site' },
    ],
    ['a post from an opaque origin', { token: 'x' }, { origin: 'null' }],
  ])('refuses a sign-in with %s: 403, no session', async (_, form, headers) => {
    const res = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ ...form, token: t.adminToken }).toString(),
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('set-cookie') ?? '').not.toContain('assent_admin=')
  })

  it('ends the session after eight hours, and on sign-out', async () => {
    const { cookie } = await adminSignIn(t)
    expect((await get('/admin/preview', cookie)).status).toBe(200)
    const { csrf } = await flagForm(cookie)
    const out = await post('/admin/logout', cookie, { csrf })
    expect(out.status).toBe(303)
    expect((await get('/admin/preview', cookie)).status).toBe(303)

    const again = await adminSignIn(t)
    t.clock.advance(8 * 60 * 60 * 1000 + 1)
    expect((await get('/admin/preview', again.cookie)).status).toBe(303)
  })

  it('ends no later than the management token it was opened with', async () => {
    const issuer = await startIssuer()
    const scoped = await createTestApp({
      env: { ASSENT_MGMT_JWKS_URL: issuer.jwksUrl, ASSENT_MGMT_ISSUER: issuer.issuer },
    })
    try {
      const token = await issuer.sign({
        aud: 'https://localhost/api/v2/',
        scope: 'read:tenant_settings',
        exp: Math.floor(Date.now() / 1000) + 120,
      })
      const { cookie, setCookie } = await adminSignIn(scoped, token)
      expect(setCookie).toMatch(/Max-Age=(1[01]\d|120)\b/)
      const preview = () => scoped.app.request('/admin/preview', { headers: { cookie } })
      expect((await preview()).status).toBe(200)
      scoped.clock.advance(121_000)
      expect((await preview()).status).toBe(303)
    } finally {
      await scoped.close()
      await issuer.close()
    }
  })
})

describe('the preview', () => {
  it('shows the boxes when granular consent is on, the unverified notice, and who will be asked again', async () => {
    const api = management(t)
    const browser = consentBrowser(t)
    // A user grants everything; then a description changes.
    const created = await api('POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: 'preview-user',
      audience: DEMO.audience,
      scope: 'openid read:messages read:contacts',
      redirect_uri: DEMO.redirectUri,
      return_to: 'http://localhost:3000/demo/done',
    })
    const page = await browser.visit(created.body.id)
    await browser.redeem(await browser.answer(created.body.id, 'accept', page))
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      scopes: [
        { value: 'read:messages', description: 'Read your messages' },
        { value: 'write:messages', description: 'Send messages as you' },
        { value: 'read:contacts', description: 'Read AND export all contacts' },
      ],
    })
    await api('PATCH', '/tenants/settings', { flags: { enable_granular_consent: true } })
    await api('PATCH', `/clients/${DEMO.clientId}`, { is_verified: false })

    const { cookie } = await adminSignIn(t)
    const html = await (await get('/admin/preview', cookie)).text()
    expect(html).toContain('<input type="checkbox" class="scope-choice" checked disabled')
    expect(html).toContain('data-testid="unverified-notice"')
    expect(html).toContain(
      'Its description or label changed since users granted it: 1 user will be asked again.',
    )
  })

  it('renders both ways, through the same code as the live page: the lines are equal', async () => {
    const { cookie } = await adminSignIn(t)
    const scope = 'openid profile read:messages write:messages read:contacts'
    for (const locale of ['en', 'fr', 'ar']) {
      const query = `?audience=${encodeURIComponent(DEMO.audience)}&client_id=${DEMO.clientId}&scope=${encodeURIComponent(scope)}&locale=${locale}`
      const html = await (await get(`/admin/preview${query}`, cookie)).text()
      const grouped = listLines(html, 'scope-lines-grouped')
      const descriptions = listLines(html, 'scope-lines-descriptions')

      for (const [flag, lines] of [
        [false, grouped],
        [true, descriptions],
      ] as const) {
        await t.store.tenants.updateSettings(t.tenant.id, {
          ...t.tenant.settings,
          flags: { use_scope_descriptions_for_consent: flag },
        })
        const tenant = (await t.store.tenants.get(t.tenant.id)) ?? t.tenant
        const request = await t.deps.consentFlow.open(tenant, {
          clientId: DEMO.clientId,
          userId: `preview-${locale}`,
          audience: DEMO.audience,
          scope,
          redirectUri: DEMO.redirectUri,
          returnTo: 'http://localhost:3000/demo/done',
          uiLocales: locale,
        })
        const live = await (await t.app.request(`/consent/${request.id}`)).text()
        expect(listLines(live, 'scope-lines')).toEqual(lines)
      }
      expect(grouped.length).toBeGreaterThan(0)
      expect(descriptions).not.toEqual(grouped)
      await t.store.tenants.updateSettings(t.tenant.id, t.tenant.settings)
    }
  })

  it('takes every scope of the API when none is given, and marks the live mode', async () => {
    const { cookie } = await adminSignIn(t)
    const html = await (await get('/admin/preview', cookie)).text()
    expect(listLines(html, 'scope-lines-grouped')).toEqual([
      'Messages: read and write your messages',
      'Contacts: read your contacts',
    ])
    expect(listLines(html, 'scope-lines-descriptions')).toEqual([
      'Read your messages',
      'Send messages as you',
      'See your contacts',
    ])
    expect(html).toMatch(
      /Grouped by resource \(flag off\) <span class="badge" data-testid="live-mode">Live now<\/span>/,
    )
  })

  it('renders the chosen locale, Arabic right to left', async () => {
    const { cookie } = await adminSignIn(t)
    const html = await (await get('/admin/preview?locale=ar', cookie)).text()
    expect(html).toContain('<div class="card preview-card" lang="ar" dir="rtl">')
  })

  it('warns about what will read badly', async () => {
    const api = management(t)
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      scopes: [{ value: 'read:messages', description: 'Read your messages' }, { value: 'admin' }],
    })
    await api('POST', '/clients', { client_id: 'nologo', name: 'No Logo' })
    const { cookie } = await adminSignIn(t)
    const html = await (
      await get(
        '/admin/preview?client_id=nologo&scope=read:messages&scope=admin&scope=name&scope=delete:all&locale=de',
        cookie,
      )
    ).text()
    expect(html).toContain('Worth a look')
    expect(html).toContain('users read the raw scope value. <code><bdi>admin</bdi></code>')
    expect(html).toContain(
      'Reserved names no API can define: dropped from every prompt. <code><bdi>name</bdi></code>',
    )
    expect(html).toContain(
      'Not defined by this API: dropped from every prompt. <code><bdi>delete:all</bdi></code>',
    )
    expect(html).toContain('No description written for this language')
    expect(html).toContain('This client has no logo')
  })
})

describe('admin pages isolate what tenants and admins wrote (DESIGN §6)', () => {
  it('shows the tenant, API, client and scope names in <bdi>, or FSI…PDI where markup cannot go', async () => {
    const login = await (await t.app.request('/admin/login')).text()
    expect(login).toContain("Sign in to preview <bdi>Acme</bdi>'s consent prompt")

    const { cookie } = await adminSignIn(t)
    const html = await (await get(`/admin/preview?client_id=${DEMO.clientId}`, cookie)).text()
    expect(html).toContain('<strong><bdi>Acme</bdi></strong> · Assent admin')
    // An <option> holds text only.
    expect(html).toContain(`>\u2068Messages API\u2069 (\u2068${DEMO.audience}\u2069)</option>`)
    expect(html).toContain('selected>\u2068Mail Helper\u2069</option>')
    expect(html).toContain('<code><bdi>read:messages</bdi></code>')
    // The previewed prompts, through the live page's view code.
    expect(html).toContain('Authorize <bdi>Mail Helper</bdi>')
  })
})

describe('flipping the flag', () => {
  it('flips with CSRF, comes back to the same preview, and the next live prompt follows', async () => {
    const { cookie } = await adminSignIn(t)
    const query = `?client_id=${DEMO.clientId}&locale=fr`
    const { csrf, back } = await flagForm(cookie, query)
    expect(back).toBe(query)
    expect(
      (await post('/admin/preview/flag', cookie, { value: 'on', back, csrf: 'forged' })).status,
    ).toBe(403)
    expect((await post('/admin/preview/flag', cookie, { value: 'on', back })).status).toBe(403)
    // Refused: the tenant still has no value of its own, so the flag is at its default (off).
    expect(
      (await t.store.tenants.get(t.tenant.id))?.settings.flags.use_scope_descriptions_for_consent,
    ).toBeUndefined()

    const flipped = await post('/admin/preview/flag', cookie, { value: 'on', back, csrf })
    expect(flipped.status).toBe(303)
    expect(flipped.headers.get('location')).toBe(`/admin/preview${query}&done=saved`)
    const after = await (await get(`/admin/preview${query}`, cookie)).text()
    expect(after).toMatch(
      /Scope descriptions \(flag on\) <span class="badge" data-testid="live-mode">/,
    )

    const start = await t.app.request('/demo')
    const live = await (await t.app.request(start.headers.get('location') ?? '')).text()
    expect(listLines(live, 'scope-lines')).toContain('Read your messages')
  })

  it('is disabled, with the reason, for a token without update:tenant_settings — and refused if posted anyway', async () => {
    const issuer = await startIssuer()
    const scoped = await createTestApp({
      env: { ASSENT_MGMT_JWKS_URL: issuer.jwksUrl, ASSENT_MGMT_ISSUER: issuer.issuer },
    })
    try {
      const token = await issuer.sign({
        aud: 'https://localhost/api/v2/',
        scope: 'read:tenant_settings',
      })
      const { cookie } = await adminSignIn(scoped, token)
      const html = await (
        await scoped.app.request('/admin/preview', { headers: { cookie } })
      ).text()
      expect(html).toContain('disabled aria-describedby="flip-reason"')
      expect(html).toContain('Your token lacks <code>update:tenant_settings</code>')
      const csrf = csrfOf(html)
      const res = await scoped.app.request('/admin/preview/flag', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ value: 'on', csrf }).toString(),
      })
      expect(res.status).toBe(403)
      expect(
        (await scoped.store.tenants.get(scoped.tenant.id))?.settings.flags
          .use_scope_descriptions_for_consent,
      ).toBeUndefined()
    } finally {
      await scoped.close()
      await issuer.close()
    }
  })
})
