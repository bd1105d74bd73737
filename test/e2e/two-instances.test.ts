import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js'
import { managementOf, type Started, startAssent, waitForHttp } from '../support/process.js'
import { freePort } from '../support/serve.js'

const TOKEN = 'two-instances-admin-token-0123456789abcdef'

describe.skipIf(!TEST_DATABASE_URL)('two instances on one PostgreSQL database (DESIGN §7)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  let a: Started
  let b: Started
  let urlA: string
  let urlB: string

  beforeAll(async () => {
    database = await createTestDatabase()
    const [portA, portB] = [await freePort(), await freePort()]
    urlA = `http://127.0.0.1:${portA}`
    urlB = `http://127.0.0.1:${portB}`
    // Behind a load balancer both answer at one public URL; here that is A's.
    const env = (port: number) => ({
      PORT: String(port),
      DATABASE_URL: database.url,
      ASSENT_ADMIN_TOKEN: TOKEN,
      ASSENT_PUBLIC_URL: urlA,
      ASSENT_DEMO: '1',
      LOG_LEVEL: 'warn',
      ASSENT_RATE_LIMIT_ADMIN_LOGIN: '4',
    })
    // Started together on an empty database: migrations and seeding must not race.
    a = startAssent(env(portA))
    b = startAssent(env(portB))
    await Promise.all([waitForHttp(`${urlA}/healthz`), waitForHttp(`${urlB}/healthz`)])
  })

  afterAll(async () => {
    for (const instance of [a, b]) instance?.child.kill('SIGTERM')
    await Promise.all([a?.exited, b?.exited])
    await database?.drop()
  })

  const api = managementOf(TOKEN)

  async function openOn(base: string) {
    const created = await api(base, 'POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: `user-${Math.random()}`,
      audience: DEMO.audience,
      scope: 'openid read:messages',
      redirect_uri: DEMO.redirectUri,
      return_to: `${urlA}/demo/done`,
      state: 's',
    })
    expect(created.status).toBe(201)
    const page = await fetch(`${base}/consent/${created.body.id}`)
    const html = await page.text()
    return {
      id: created.body.id as string,
      html,
      cookie: (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
      rendition: /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? '',
    }
  }

  const answerOn = (
    base: string,
    session: { id: string; cookie: string; csrf: string; rendition: string },
    action = 'accept',
  ) =>
    fetch(`${base}/consent/${session.id}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: session.cookie,
        origin: urlA,
      },
      body: new URLSearchParams({
        action,
        csrf: session.csrf,
        rendition: session.rendition,
      }).toString(),
    })

  it('started once: one tenant, one demo, both healthy', async () => {
    expect(
      (await api(urlA, 'GET', '/resource-servers')).body.map(
        (s: { identifier: string }) => s.identifier,
      ),
    ).toEqual([DEMO.audience])
    expect(
      (await api(urlB, 'GET', '/clients')).body.map((c: { client_id: string }) => c.client_id),
    ).toEqual([DEMO.clientId])
  })

  it('a request made on A, shown by A, is answered on B and read on A', async () => {
    const session = await openOn(urlA)
    expect(session.html).toContain('<bdi>Messages</bdi>: read your <bdi>messages</bdi>')
    const answered = await answerOn(urlB, session)
    expect(answered.status).toBe(303)
    const verifier = new URL(answered.headers.get('location') ?? '').searchParams.get(
      'consent_verifier',
    )
    const decision = await api(urlA, 'POST', `/consent-requests/${session.id}/verify`, {
      consent_verifier: verifier,
    })
    expect(decision.body).toMatchObject({ status: 'accepted', scope: 'openid read:messages' })
    expect((await api(urlB, 'GET', `/consent-requests/${session.id}`)).body).toMatchObject({
      scope: 'openid read:messages',
    })
  })

  it('of two answers racing on A and B, exactly one wins', async () => {
    const session = await openOn(urlA)
    const results = await Promise.all([
      answerOn(urlA, session, 'accept'),
      answerOn(urlB, session, 'deny'),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([303, 409])
  })

  it('a flag flipped on B shows on A’s renders as soon as A hears of it', async () => {
    expect(
      (
        await api(urlB, 'PATCH', '/tenants/settings', {
          flags: { use_scope_descriptions_for_consent: true },
        })
      ).status,
    ).toBe(200)
    // A learns of it by PostgreSQL's NOTIFY, which arrives on A's own connection: not
    // necessarily before this test's next request does.
    let session = await openOn(urlA)
    for (let i = 0; i < 100 && !session.html.includes('Read your messages'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      session = await openOn(urlA)
    }
    expect(session.html).toContain('Read your messages')
    expect(session.html).not.toContain('<bdi>Messages</bdi>: read your <bdi>messages</bdi>')
  })

  it('one identifier created on both at once: one 201, one 409', async () => {
    const body = { identifier: 'https://race.example/', scopes: [{ value: 'read:x' }] }
    const results = await Promise.all([
      api(urlA, 'POST', '/resource-servers', body),
      api(urlB, 'POST', '/resource-servers', body),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([201, 409])
  })

  it('shares rate-limit counters: two instances allow the limit once, not twice', async () => {
    const attempt = (base: string) =>
      fetch(`${base}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'token=guess&csrf=x',
      })
    const statuses: number[] = []
    for (const base of [urlA, urlB, urlA, urlB, urlA, urlB])
      statuses.push((await attempt(base)).status)
    expect(statuses).toEqual([403, 403, 403, 403, 429, 429])
  })

  it('drains and exits 0 on SIGTERM', async () => {
    b.child.kill('SIGTERM')
    expect(await b.exited).toBe(0)
    expect((await fetch(`${urlA}/healthz`)).status).toBe(200)
  })
})
