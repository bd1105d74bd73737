import { cookieOf } from './consent.js'
import type { TestApp } from './test-app.js'

/** Signs in to the admin pages over HTTP as a browser does; returns the session cookie. */
export async function adminSignIn(t: TestApp, token = t.adminToken, host?: string) {
  const headers: Record<string, string> = host ? { host } : {}
  const page = await t.app.request('/admin/login', { headers })
  const loginCookie = cookieOf(page)
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  const res = await t.app.request('/admin/login', {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: loginCookie,
    },
    body: new URLSearchParams({ token, csrf }).toString(),
  })
  const session = res.headers.getSetCookie().find((c) => c.startsWith('assent_admin='))
  return { res, setCookie: session, cookie: session?.split(';')[0] ?? '' }
}

/** The `<li>` texts of the list marked `testid`, without the `<bdi>` around what admins wrote. */
export function listLines(html: string, testid: string): string[] {
  const list = new RegExp(`data-testid="${testid}"[^>]*>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? ''
  return [
    ...list.matchAll(/<span(?: id="[^"]*")?>((?:[^<]|<\/?bdi>)*)<\/span>(?:<\/summary>|<\/li>)/g),
  ].map((m) => (m[1] ?? '').replace(/<\/?bdi>/g, ''))
}
