import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { serveEachTest } from '../support/serve.js'

// The consent page writes its headers as a plain record that Node sends as it is, and every
// other response gets the same security headers after its handler (src/http/response.ts). Over
// a real server, where `app.request` would go through web `Headers` instead.
const served = serveEachTest()

async function openRequest() {
  return served.t.deps.consentFlow.open(served.t.tenant, {
    clientId: DEMO.clientId,
    userId: DEMO.userId,
    audience: DEMO.audience,
    scope: DEMO.scope,
    redirectUri: DEMO.redirectUri,
    returnTo: 'http://localhost:3000/demo/done',
  })
}

const SECURITY = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
}

describe('response headers over a socket', () => {
  it('sends the consent page with its own policy, the security headers and one cookie', async () => {
    const request = await openRequest()
    const first = await fetch(`${served.url}/consent/${request.id}`)
    expect(first.status).toBe(200)
    expect(Object.fromEntries(first.headers)).toMatchObject(SECURITY)
    expect(first.headers.get('content-type')).toBe('text/html; charset=UTF-8')
    expect(first.headers.get('cache-control')).toBe('no-store')
    expect(first.headers.get('content-security-policy')).toContain(
      "form-action 'self' http://localhost:3000 https://mail-helper.example;",
    )
    expect(first.headers.get('x-request-id')).toMatch(/^[\w-]{22}$/)
    const cookies = first.headers.getSetCookie()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatch(/^assent_csrf=[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/)
    const html = await first.text()
    expect(Number(first.headers.get('content-length'))).toBe(Buffer.byteLength(html))

    // The same browser again: no new cookie, the same page.
    const cookie = (cookies[0] as string).split(';')[0] as string
    const again = await fetch(`${served.url}/consent/${request.id}`, { headers: { cookie } })
    expect(again.status).toBe(200)
    expect(again.headers.getSetCookie()).toEqual([])
    expect(Object.fromEntries(again.headers)).toMatchObject(SECURITY)
    expect(await again.text()).toContain('name="action" value="accept"')
  })

  it('echoes a plain X-Request-Id and replaces one that is not', async () => {
    const request = await openRequest()
    const kept = await fetch(`${served.url}/consent/${request.id}`, {
      headers: { 'x-request-id': 'trace-42=ab' },
    })
    expect(kept.headers.get('x-request-id')).toBe('trace-42=ab')
    for (const given of ['a b', 'x'.repeat(65), '<script>']) {
      const res = await fetch(`${served.url}/healthz`, { headers: { 'x-request-id': given } })
      expect(res.headers.get('x-request-id')).not.toBe(given)
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{22}$/)
    }
  })

  it('gives error pages, JSON answers and assets the same security headers', async () => {
    for (const path of ['/consent/nope', '/nowhere', '/healthz', '/api/v2/clients']) {
      const res = await fetch(`${served.url}${path}`)
      expect(Object.fromEntries(res.headers), path).toMatchObject(SECURITY)
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-request-id'), path).toMatch(/^[\w-]{22}$/)
      await res.arrayBuffer()
    }
  })
})

describe('a first view that fails after binding', () => {
  it('still hands the browser its cookie, so it can come back to its request', async () => {
    const request = await openRequest()
    const views = served.t.deps.views
    const render = views.render
    // The prompt fails to render after the request is bound; the error page still renders.
    views.render = (view, model) => {
      if (view === 'consent') throw new Error('render failed')
      return render.call(views, view, model)
    }
    let failed: Response
    try {
      failed = await fetch(`${served.url}/consent/${request.id}`)
    } finally {
      views.render = render
    }
    expect(failed.status).toBe(500)
    const cookie = (failed.headers.getSetCookie()[0] ?? '').split(';')[0] as string
    expect(cookie).toMatch(/^assent_csrf=[\w-]+$/)
    await failed.arrayBuffer()
    // Bound to that cookie: the same browser sees its prompt, another one does not.
    const again = await fetch(`${served.url}/consent/${request.id}`, { headers: { cookie } })
    expect(again.status).toBe(200)
    await again.arrayBuffer()
    const other = await fetch(`${served.url}/consent/${request.id}`)
    expect(other.status).toBe(403)
    await other.arrayBuffer()
  })
})

describe('responses the handlers did not shape', () => {
  it('answers something thrown that is not an Error with a 500 that has every header', async () => {
    served.t.store.ping = () => Promise.reject('the database went away')
    const res = await fetch(`${served.url}/healthz`, { headers: { accept: 'application/json' } })
    expect(res.status).toBe(500)
    expect(Object.fromEntries(res.headers)).toMatchObject(SECURITY)
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{22}$/)
    expect(await res.json()).toMatchObject({ statusCode: 500, errorCode: 'internal_error' })
  })
})
