import { expect } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import type { Management } from './management.js'
import type { TestApp } from './test-app.js'

/**
 * The body of `POST /api/v2/consent-requests` the demo AS sends for the demo client and user,
 * asking `openid read:messages`; `fields` add to it or replace what it holds.
 */
export function demoRequest(fields: Record<string, unknown> = {}) {
  return {
    client_id: DEMO.clientId,
    user_id: DEMO.userId,
    audience: DEMO.audience,
    scope: 'openid read:messages',
    redirect_uri: DEMO.redirectUri,
    return_to: 'http://localhost:3000/demo/done',
    ...fields,
  }
}

/** `POST /consent-requests` of `demoRequest` for the demo user by name, `fields` added to it. */
export function createRequest(api: Management, fields: Record<string, unknown> = {}) {
  return api('POST', '/consent-requests', demoRequest({ user_name: DEMO.userName, ...fields }))
}

/** `createRequest` for a request the user is to answer: its id, once created and pending. */
export async function openRequest(
  api: Management,
  fields: Record<string, unknown> = {},
): Promise<string> {
  const created = await createRequest(api, fields)
  expect(created.status).toBe(201)
  expect(created.body.status).toBe('pending')
  return created.body.id
}

export interface PageSession {
  readonly status: number
  readonly html: string
  readonly cookie: string
  readonly csrf: string
  /** The id of the page's render, which its form posts with the answer (DESIGN §3.2.2). */
  readonly rendition: string
}

/**
 * A browser on the consent pages of a test app, as the HTTP tests drive it: load a page keeping
 * its cookie and form token, post an answer, and redeem the answer's verifier as the AS does.
 */
export function consentBrowser(t: TestApp) {
  async function visit(id: string, cookie?: string): Promise<PageSession> {
    const res = await t.app.request(`/consent/${id}`, { headers: cookie ? { cookie } : {} })
    const html = await res.text()
    const setCookie = res.headers.get('set-cookie')
    return {
      status: res.status,
      html,
      cookie: setCookie ? (setCookie.split(';')[0] ?? '') : (cookie ?? ''),
      csrf: csrfOf(html),
      rendition: renditionOf(html),
    }
  }

  /** The same browser loading the page again in `locale`, as the language switcher does. */
  async function switchTo(id: string, session: PageSession, locale: string): Promise<PageSession> {
    const res = await t.app.request(`/consent/${id}?ui_locales=${locale}`, {
      headers: { cookie: session.cookie },
    })
    const html = await res.text()
    return { ...session, status: res.status, html, rendition: renditionOf(html) }
  }

  /** Posts the answer; `fields` adds form fields (e.g. `scopes`, once per checked line). */
  function answer(
    id: string,
    action: string,
    session: { cookie: string; csrf: string; rendition?: string },
    fields: [string, string][] = [],
    headers: Record<string, string> = {},
  ) {
    const page: [string, string][] =
      session.rendition === undefined ? [] : [['rendition', session.rendition]]
    const body = new URLSearchParams([
      ['action', action],
      ['csrf', session.csrf],
      ...page,
      ...fields,
    ])
    return t.app.request(`/consent/${id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: session.cookie,
        origin: t.deps.config.publicUrl.origin,
        'sec-fetch-site': 'same-origin',
        ...headers,
      },
      body: body.toString(),
    })
  }

  /** What the AS does when the browser comes back: redeem the verifier in the answer's 303. */
  async function redeem(res: Response) {
    const back = new URL(res.headers.get('location') ?? '')
    const id = back.searchParams.get('consent_request') ?? ''
    const verified = await t.app.request(`/api/v2/consent-requests/${id}/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ consent_verifier: back.searchParams.get('consent_verifier') ?? '' }),
    })
    return { status: verified.status, body: await verified.json() }
  }

  return { visit, switchTo, answer, redeem }
}

/** The consent-page browser of a test app, as `consentBrowser(t)` builds it. */
export type ConsentBrowser = ReturnType<typeof consentBrowser>

/** The form token a page's form posts back; `''` when the page has no form. */
export function csrfOf(html: string): string {
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
}

/** The `name=value` a browser sends back for a response's first `Set-Cookie`; `''` when none. */
export function cookieOf(res: Response): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
}

/** The id of the render a consent page's form posts back; `''` when the page has no form. */
export function renditionOf(html: string): string {
  return /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? ''
}

/** The checkboxes of a granular page: `[value, label text]` per optional line. */
export function checkboxes(html: string): { value: string; id: string }[] {
  return [
    ...html.matchAll(
      /<input type="checkbox" class="scope-choice" id="([^"]+)" name="scopes" value="([^"]*)"/g,
    ),
  ].map((m) => ({ id: m[1] ?? '', value: m[2] ?? '' }))
}
