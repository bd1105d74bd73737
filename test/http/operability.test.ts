import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../../src/config/env.js'
import { createLogger } from '../../src/logger.js'
import { adminSignIn } from '../support/admin.js'
import { cookieOf, csrfOf, demoRequest, renditionOf } from '../support/consent.js'
import { management } from '../support/management.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

const body = (overrides: Record<string, unknown> = {}) =>
  demoRequest({ state: 'state-value-that-must-not-be-logged', ...overrides })

/** What `@hono/node-server` hands the app: the connection's peer address. */
const peer = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } })

async function visitAndAnswer(
  app: TestApp,
  id: string,
  action = 'accept',
  from = '127.0.0.1',
  headers: Record<string, string> = {},
) {
  const page = await app.app.request(`/consent/${id}`, {}, peer(from))
  const cookie = cookieOf(page)
  const html = await page.text()
  const csrf = csrfOf(html)
  const rendition = renditionOf(html)
  const res = await app.app.request(
    `/consent/${id}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
      body: new URLSearchParams({ action, csrf, rendition }).toString(),
    },
    peer(from),
  )
  return { res, cookie, csrf }
}

describe('logs', () => {
  it('log every request as JSON with its id, and never a token, a cookie, a CSRF value or state', async () => {
    const lines: string[] = []
    t = await createTestApp({ log: createLogger('info', { write: (line) => lines.push(line) }) })
    const created = await management(t)('POST', '/consent-requests', body())
    const { res, cookie, csrf } = await visitAndAnswer(t, created.body.id)
    expect(res.status).toBe(303)
    const admin = await adminSignIn(t)
    await t.app.request('/api/v2/clients', {
      headers: { authorization: 'Bearer wrong-token-value-xyz' },
    })

    const records = lines.map((line) => JSON.parse(line))
    expect(records.length).toBeGreaterThanOrEqual(5)
    for (const record of records) {
      expect(record).toMatchObject({
        level: 'info',
        msg: 'request',
        requestId: expect.any(String),
        status: expect.any(Number),
      })
    }
    expect(records.map((r) => r.route)).toEqual(
      expect.arrayContaining(['/api/v2/consent-requests', '/consent/:id', '/admin/login']),
    )
    const all = lines.join('\n')
    for (const secret of [
      t.adminToken,
      csrf,
      cookie.split('=')[1] ?? 'x',
      admin.cookie.split('=')[1] ?? 'x',
      'wrong-token-value-xyz',
      'state-value-that-must-not-be-logged',
    ]) {
      expect(secret.length).toBeGreaterThan(5)
      expect(all).not.toContain(secret)
    }
  })

  it('redacts a credential if one ever reaches a log line', () => {
    const lines: string[] = []
    createLogger('info', { write: (line) => lines.push(line) }).info('oops', {
      token: 'abc',
      nested: { authorization: 'Bearer x' },
    })
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      token: '[redacted]',
      nested: { authorization: '[redacted]' },
    })
  })
})

describe('GET /metrics', () => {
  it('counts prompts shown, answers by outcome, requests created, and request latency', async () => {
    t = await createTestApp()
    const api = management(t)
    const first = await api('POST', '/consent-requests', body())
    const session = await visitAndAnswer(t, first.body.id, 'accept')
    // The same form posted again: already answered.
    await t.app.request(`/consent/${first.body.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
      body: new URLSearchParams({ action: 'deny', csrf: session.csrf }).toString(),
    })
    const second = await api('POST', '/consent-requests', body({ user_id: 'other' }))
    await visitAndAnswer(t, second.body.id, 'deny')
    const res = await t.app.request('/metrics')
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    expect(text).toContain('assent_prompts_shown_total{mode="grouped"} 2')
    expect(text).toContain('assent_answers_total{outcome="accepted"} 1')
    expect(text).toContain('assent_answers_total{outcome="denied"} 1')
    expect(text).toContain('assent_answers_total{outcome="already_answered"} 1')
    expect(text).toContain('assent_consent_requests_created_total{status="pending"} 2')
    // prom-client writes `le` first; the order of labels carries no meaning in the format.
    expect(text).toMatch(
      /assent_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/consent\/:id",status="3xx"\} 2/,
    )
    expect(text).toMatch(/# TYPE assent_http_request_duration_seconds histogram/)
  })

  it("exposes the process's memory, event-loop lag and GC beside each app's own counts", async () => {
    t = await createTestApp()
    const other = await createTestApp()
    try {
      await management(t)('POST', '/consent-requests', body())
      for (const app of [t, other]) {
        const text = await (await app.app.request('/metrics')).text()
        expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m)
        expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m)
        expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram')
      }
      // Counts stay per app; only the process's metrics are shared.
      expect(await (await t.app.request('/metrics')).text()).toContain(
        'assent_consent_requests_created_total{status="pending"} 1',
      )
      expect(await (await other.app.request('/metrics')).text()).not.toContain(
        'assent_consent_requests_created_total{',
      )
    } finally {
      await other.close()
    }
  })
})

describe('GET /metrics with ASSENT_METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789abcdef'

  it('is open when no token is set', async () => {
    t = await createTestApp()
    expect((await t.app.request('/metrics')).status).toBe(200)
  })

  it('asks for the token as a bearer credential when one is set', async () => {
    t = await createTestApp({ env: { ASSENT_METRICS_TOKEN: token } })
    const scrape = (authorization?: string) =>
      t?.app.request('/metrics', {
        headers: {
          // What Prometheus sends.
          accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5',
          ...(authorization ? { authorization } : {}),
        },
      })

    const missing = await scrape()
    expect(missing?.status).toBe(401)
    expect(missing?.headers.get('www-authenticate')).toBe('Bearer')
    expect(await missing?.json()).toMatchObject({ statusCode: 401, errorCode: 'invalid_token' })
    for (const wrong of [
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}x`,
      `Basic ${Buffer.from(`x:${token}`).toString('base64')}`,
      `Bearer ${t.adminToken}`,
    ]) {
      const refused = await scrape(wrong)
      expect(refused?.status).toBe(401)
      expect(refused?.headers.get('www-authenticate')).toMatch(/^Bearer\b/)
      expect(await refused?.text()).not.toContain('assent_')
    }

    const scraped = await scrape(`Bearer ${token}`)
    expect(scraped?.status).toBe(200)
    expect(await scraped?.text()).toContain('# TYPE assent_http_request_duration_seconds histogram')
    // Only /metrics is guarded.
    expect((await t.app.request('/healthz')).status).toBe(200)
  })

  it('refuses a token a scraper could not send, at start', () => {
    expect(() => loadConfig({ ASSENT_METRICS_TOKEN: 'has spaces in the middle of it' })).toThrow(
      /ASSENT_METRICS_TOKEN/,
    )
  })
})

describe('rate limits (429 with Retry-After)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('limits answers from one address, with a translated page, and lets them through again later', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    t = await createTestApp({ env: { ASSENT_RATE_LIMIT_ANSWERS: '2' } })
    const api = management(t)
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 3; i++) {
      const created = await api(
        'POST',
        '/consent-requests',
        body({ user_id: `u${i}`, ui_locales: 'fr' }),
      )
      last = (await visitAndAnswer(t, created.body.id, 'accept', '192.0.2.7')).res
      statuses.push(last.status)
    }
    expect(statuses).toEqual([303, 303, 429])
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await last?.text()).toContain('Too many attempts')
    vi.setSystemTime(Date.now() + 60_001)
    const created = await api('POST', '/consent-requests', body({ user_id: 'later' }))
    expect((await visitAndAnswer(t, created.body.id, 'accept', '192.0.2.7')).res.status).toBe(303)
  })

  it('a flood of answers to unknown ids from one address does not lock out a user at another', async () => {
    t = await createTestApp({ env: { ASSENT_RATE_LIMIT_ANSWERS: '5' } })
    for (let i = 0; i < 12; i++) {
      const res = await t.app.request(
        `/consent/${'A'.repeat(21)}${i % 10}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'action=accept',
        },
        peer('198.51.100.9'),
      )
      expect([404, 429]).toContain(res.status)
    }
    const created = await management(t)('POST', '/consent-requests', body())
    expect((await visitAndAnswer(t, created.body.id, 'accept', '203.0.113.5')).res.status).toBe(303)
  })

  it('keys IPv6 clients by their /64, so one host cannot spread a flood over its addresses', async () => {
    t = await createTestApp({ env: { ASSENT_RATE_LIMIT_ANSWERS: '2' } })
    const api = management(t)
    const statuses: number[] = []
    for (const from of [
      '2001:db8:1:2::1',
      '2001:db8:1:2:aaaa::9',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
    ]) {
      const created = await api('POST', '/consent-requests', body({ user_id: from }))
      statuses.push((await visitAndAnswer(t, created.body.id, 'accept', from)).res.status)
    }
    expect(statuses).toEqual([303, 303, 429])
    const other = await api('POST', '/consent-requests', body({ user_id: 'other-net' }))
    expect((await visitAndAnswer(t, other.body.id, 'accept', '2001:db8:1:3::1')).res.status).toBe(
      303,
    )
  })

  it('ignores X-Forwarded-For unless the peer is a trusted proxy, then keys on the real client', async () => {
    // Untrusted: a client that rotates X-Forwarded-For is still one address.
    t = await createTestApp({ env: { ASSENT_RATE_LIMIT_ANSWERS: '1' } })
    let api = management(t)
    const first = await api('POST', '/consent-requests', body({ user_id: 'a' }))
    const second = await api('POST', '/consent-requests', body({ user_id: 'b' }))
    const spoof = (ip: string) => ({ 'x-forwarded-for': ip })
    expect(
      (await visitAndAnswer(t, first.body.id, 'accept', '192.0.2.1', spoof('10.1.1.1'))).res.status,
    ).toBe(303)
    expect(
      (await visitAndAnswer(t, second.body.id, 'accept', '192.0.2.1', spoof('10.2.2.2'))).res
        .status,
    ).toBe(429)
    await t.close()

    // Trusted proxy: two clients behind it are two addresses; a third hop it appends is believed.
    t = await createTestApp({
      env: { ASSENT_RATE_LIMIT_ANSWERS: '1', ASSENT_TRUSTED_PROXIES: '10.0.0.0/8' },
    })
    api = management(t)
    const viaProxy = async (client: string) => {
      const created = await api('POST', '/consent-requests', body({ user_id: client }))
      return (
        await visitAndAnswer(t as TestApp, created.body.id, 'accept', '10.0.0.2', spoof(client))
      ).res.status
    }
    expect(await viaProxy('198.51.100.1')).toBe(303)
    expect(await viaProxy('198.51.100.2')).toBe(303)
    expect(await viaProxy('198.51.100.1')).toBe(429)
  })

  it('limits admin sign-in attempts from one address', async () => {
    t = await createTestApp({ env: { ASSENT_RATE_LIMIT_ADMIN_LOGIN: '3' } })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const res = await t.app.request(
        '/admin/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: `guess-${i}`, csrf: 'x' }).toString(),
        },
        peer('192.0.2.99'),
      )
      statuses.push(res.status)
    }
    expect(statuses).toEqual([403, 403, 403, 429])
    const metrics = await (await t.app.request('/metrics')).text()
    expect(metrics).toContain('assent_rate_limited_total{limit="admin_login"} 1')
  })

  it('limits the demo per address, and refuses an oversized ui_locales', async () => {
    t = await createTestApp({ env: { ASSENT_RATE_LIMIT_DEMO: '2', ASSENT_DEMO: '1' } })
    const long = await t.app.request(
      `/demo?ui_locales=${'fr '.repeat(100)}`,
      {},
      peer('192.0.2.50'),
    )
    expect(long.status).toBe(400)
    expect((await t.app.request('/demo', {}, peer('192.0.2.50'))).status).toBe(303)
    expect((await t.app.request('/demo', {}, peer('192.0.2.50'))).status).toBe(429)
    expect((await t.app.request('/demo', {}, peer('192.0.2.51'))).status).toBe(303)
  })

  it('limits consent requests per client, in the error format', async () => {
    t = await createTestApp({ env: { ASSENT_RATE_LIMIT_CREATES: '2' } })
    const api = management(t)
    expect((await api('POST', '/consent-requests', body())).status).toBe(201)
    expect((await api('POST', '/consent-requests', body())).status).toBe(201)
    const refused = await api('POST', '/consent-requests', body())
    expect(refused.status).toBe(429)
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Too many requests, try again later',
      errorCode: 'too_many_requests',
    })
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    const metrics = await (await t.app.request('/metrics')).text()
    expect(metrics).toContain('assent_rate_limited_total{limit="creates"} 1')
  })
})
