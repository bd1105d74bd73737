import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consentBrowser, csrfOf, renditionOf } from '../support/consent.js'
import { management } from '../support/management.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * Behind `https:` the cookies that bind a browser or sign it in are `__Host-` cookies (DESIGN §6):
 * `Secure`, `Path=/`, no `Domain`, so a sibling subdomain can neither set one nor shadow it.
 */
const PUBLIC = 'https://assent.example'
let t: TestApp
let api: ReturnType<typeof management>

beforeAll(async () => {
  t = await createTestApp({ env: { ASSENT_PUBLIC_URL: PUBLIC } })
  api = management(t)
})
afterAll(async () => {
  await t.close()
})

const SAME_ORIGIN = { origin: PUBLIC, 'sec-fetch-site': 'same-origin' }
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const pair = (setCookie: string | undefined) => setCookie?.split(';')[0] ?? ''

/** A `__Host-` cookie of that name, as RFC 6265bis §4.1.3.2 requires it. */
const hostCookie = (name: string, sameSite: 'Lax' | 'Strict', maxAge = '') =>
  new RegExp(
    `^__Host-${name}=[\\w-]+${maxAge && `; Max-Age=${maxAge}`}; Path=/; HttpOnly; Secure; SameSite=${sameSite}$`,
  )

/** A request that needs a prompt: each for a user who granted nothing yet. */
async function consentRequest(userId: string) {
  const created = await api('POST', '/consent-requests', {
    client_id: DEMO.clientId,
    user_id: userId,
    audience: DEMO.audience,
    scope: 'openid read:messages',
    redirect_uri: DEMO.redirectUri,
    return_to: `${PUBLIC}/demo/done`,
  })
  expect(created.body.status).toBe('pending')
  return created.body.id as string
}

describe('__Host- cookies on an https deployment (DESIGN §6)', () => {
  it('binds the consent page with __Host-assent_csrf, and the answer goes through with it', async () => {
    const browser = consentBrowser(t)
    const id = await consentRequest('auth0|https-answer')
    const first = await t.app.request(`/consent/${id}`)
    expect(first.status).toBe(200)
    const set = first.headers.getSetCookie()
    expect(set).toEqual([expect.stringMatching(hostCookie('assent_csrf', 'Lax'))])
    expect(set[0]).not.toMatch(/Domain=/i)
    const html = await first.text()
    const page = { cookie: pair(set[0]), csrf: csrfOf(html), rendition: renditionOf(html) }
    const answered = await browser.answer(id, 'accept', page)
    expect(answered.status).toBe(303)
    expect((await browser.redeem(answered)).body.status).toBe('accepted')
  })

  it('reads no unprefixed cookie: one a sibling subdomain tossed in is another browser', async () => {
    const browser = consentBrowser(t)
    const id = await consentRequest('auth0|https-tossed')
    const page = await browser.visit(id)
    const value = page.cookie.split('=')[1] ?? ''
    const tossed = await t.app.request(`/consent/${id}`, {
      headers: { cookie: `assent_csrf=${value}` },
    })
    expect(tossed.status).toBe(403)
    await tossed.arrayBuffer()
    const answer = await browser.answer(id, 'accept', { ...page, cookie: `assent_csrf=${value}` })
    expect(answer.status).toBe(403)
    expect((await browser.answer(id, 'accept', page)).status).toBe(303)
  })

  it('signs in to the admin pages with __Host-assent_admin (Strict)', async () => {
    const login = await t.app.request('/admin/login')
    const loginCookie = login.headers.getSetCookie()
    expect(loginCookie).toEqual([expect.stringMatching(hostCookie('assent_admin_login', 'Strict'))])
    const res = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { ...FORM, ...SAME_ORIGIN, cookie: pair(loginCookie[0]) },
      body: new URLSearchParams({ token: t.adminToken, csrf: csrfOf(await login.text()) }),
    })
    expect(res.status).toBe(303)
    const session = res.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('__Host-assent_admin='))
    expect(session).toMatch(hostCookie('assent_admin', 'Strict', '28800'))
    // The sign-in form's cookie is taken back as it was set: __Host-, Secure, Path=/.
    expect(res.headers.getSetCookie()).toContainEqual(
      '__Host-assent_admin_login=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict',
    )
    const cookie = pair(session)
    expect((await t.app.request('/admin/apis', { headers: { cookie } })).status).toBe(200)
    const unprefixed = cookie.replace('__Host-', '')
    const tossed = await t.app.request('/admin/apis', { headers: { cookie: unprefixed } })
    expect(tossed.status).toBe(303)
  })

  it('opens the connected-apps page with __Host-assent_account_link and __Host-assent_account', async () => {
    const link = await api('POST', `/users/${encodeURIComponent(DEMO.userId)}/portal-sessions`, {})
    const path = new URL(link.body.url).pathname
    const page = await t.app.request(path)
    expect(page.status).toBe(200)
    const linkCookie = page.headers.getSetCookie()
    expect(linkCookie).toEqual([expect.stringMatching(hostCookie('assent_account_link', 'Strict'))])
    const res = await t.app.request(path, {
      method: 'POST',
      headers: { ...FORM, ...SAME_ORIGIN, cookie: pair(linkCookie[0]) },
      body: new URLSearchParams({ csrf: csrfOf(await page.text()) }),
    })
    expect(res.status).toBe(303)
    const session = res.headers.getSetCookie()
    expect(session).toEqual([expect.stringMatching(hostCookie('assent_account', 'Lax', '1800'))])
    const cookie = pair(session[0])
    expect((await t.app.request('/account/apps', { headers: { cookie } })).status).toBe(200)
    const unprefixed = cookie.replace('__Host-', '')
    expect((await t.app.request('/account/apps', { headers: { cookie: unprefixed } })).status).toBe(
      401,
    )
  })
})
