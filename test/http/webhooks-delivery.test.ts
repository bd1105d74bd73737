import type { LookupAddress } from 'node:dns'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/logger.js'
import { createWebhookWorker } from '../../src/services/webhooks/webhooks.js'
import { consentBrowser, demoRequest } from '../support/consent.js'
import { expectError, management } from '../support/management.js'
import { startReceiver, startSilentServer } from '../support/receiver.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

const cleanups: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function app(env: Record<string, string> = {}) {
  const t = await createTestApp({ env })
  cleanups.push(t.close)
  return { t, api: management(t), browser: consentBrowser(t) }
}

/** A denied consent: one `consent.denied` event for every endpoint subscribed to it. */
async function deny(t: TestApp, userId: string) {
  const api = management(t)
  const browser = consentBrowser(t)
  const request = (await api('POST', '/consent-requests', demoRequest({ user_id: userId }))).body
  const page = await browser.visit(request.id)
  await browser.redeem(await browser.answer(request.id, 'deny', page))
}

const worker = (
  t: TestApp,
  options: { resolve?: (host: string) => Promise<LookupAddress[]> } = {},
) =>
  createWebhookWorker({
    store: t.store,
    now: t.clock.now,
    log: silentLogger,
    allowHttpLoopback: t.deps.config.webhookAllowHttpLoopback,
    ...options,
  })

describe('webhooks reach public addresses only (DESIGN §3.8)', () => {
  it.each([
    'https://2130706433/x',
    'https://0177.0.0.1/x',
    'https://0x7f.1/x',
    'https://127.1/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[::ffff:7f00:1]/x',
    'https://[::7f00:1]/x',
    'https://[::1]/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/x',
    'https://[fd00::1]/x',
    'https://0.0.0.0/x',
    'https://localhost/x',
    'https://hooks.localhost/x',
  ])('refuses to register %s, and to change a URL to it', async (url) => {
    const { api } = await app()
    const refused = await api('POST', '/webhooks', { url, events: ['consent.denied'] })
    expectError(refused, 400, 'invalid_body')
    expect(refused.body.message).toMatch(
      /url must point at a public address: .*(not a public|this machine)/,
    )
    const hook = (
      await api('POST', '/webhooks', { url: 'https://hooks.example/x', events: ['consent.denied'] })
    ).body
    expectError(await api('PATCH', `/webhooks/${hook.id}`, { url }), 400, 'invalid_body')
    expect((await api('GET', '/webhooks')).body.map((h: { url: string }) => h.url)).toEqual([
      'https://hooks.example/x',
    ])
  })

  it('refuses at delivery a name that resolves to loopback: the reason recorded, nothing sent', async () => {
    const { t, api } = await app()
    const receiver = await startReceiver()
    cleanups.push(receiver.close)
    const hook = (
      await api('POST', '/webhooks', { url: 'https://hooks.example/x', events: ['consent.denied'] })
    ).body
    // Stored without the check registration makes.
    await t.store.webhooks.create(t.tenant.id, {
      id: 'wh_localhost',
      url: 'https://localhost/x',
      events: ['consent.denied'],
      secret: hook.secret,
      createdAt: t.clock.now(),
    })
    await deny(t, 'user-1')
    // A public name today, the receiver on loopback tomorrow (DNS rebinding).
    const resolve = async (): Promise<LookupAddress[]> => {
      return [
        { address: '93.184.215.14', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]
    }
    expect(await worker(t, { resolve }).runOnce()).toBe(2)
    const attempts = async (id: string) =>
      (await api('GET', `/webhooks/${id}/deliveries`)).body.map(
        (d: { status: number | null; error: string }) => ({ status: d.status, error: d.error }),
      )
    expect(await attempts(hook.id)).toEqual([
      { status: null, error: 'refused: 127.0.0.1 is loopback, not a public address' },
    ])
    // A URL that could not be registered is refused before any lookup.
    expect(await attempts('wh_localhost')).toEqual([
      {
        status: null,
        error:
          'url must point at a public address: localhost is this machine, not a public address',
      },
    ])
    expect(receiver.received).toEqual([])
  })

  it('lets the loopback flag allow loopback only', async () => {
    const { api } = await app({ ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1' })
    expect(
      (await api('POST', '/webhooks', { url: 'http://127.0.0.1:9/x', events: ['consent.denied'] }))
        .status,
    ).toBe(201)
    for (const url of ['https://10.0.0.1/x', 'http://hooks.example/x', 'https://[fe80::1]/x'])
      expectError(
        await api('POST', '/webhooks', { url, events: ['consent.denied'] }),
        400,
        'invalid_body',
      )
  })
})

describe('fair webhook delivery (DESIGN §3.8)', () => {
  it('serves a healthy endpoint while ten that never answer are still hanging', {
    timeout: 60_000,
  }, async () => {
    const { t, api } = await app({ ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1' })
    const dead = await Promise.all(Array.from({ length: 10 }, () => startSilentServer()))
    for (const server of dead) cleanups.push(server.close)
    const receiver = await startReceiver()
    cleanups.push(receiver.close)
    // The dead endpoints first: oldest-first would hand them every slot.
    const deadHooks = []
    for (const server of dead)
      deadHooks.push(
        (await api('POST', '/webhooks', { url: server.url, events: ['consent.denied'] })).body,
      )
    const healthy = (
      await api('POST', '/webhooks', { url: receiver.url, events: ['consent.denied'] })
    ).body
    const EVENTS = 3
    for (let i = 0; i < EVENTS; i++) await deny(t, `user-${i}`)

    const running = worker(t)
    cleanups.push(() => running.stop())
    running.start(50)
    // More events for the healthy endpoint than it may have in flight: the last is claimed
    // when a slot frees, not when the dead endpoints' attempts end.
    const hanging = () => dead.every((server) => server.open() === 2)
    for (let i = 0; i < 400 && (receiver.received.length < EVENTS || !hanging()); i++)
      await new Promise((resolve) => setTimeout(resolve, 25))
    expect(receiver.received).toHaveLength(EVENTS)
    // Meanwhile every dead endpoint holds its two requests open, and none has timed out yet.
    expect(dead.map((server) => server.open())).toEqual(dead.map(() => 2))
    for (const hook of deadHooks)
      expect((await api('GET', `/webhooks/${hook.id}/deliveries`)).body).toEqual([])
    // The receiver counts a delivery when it arrives; the worker records it once the 204 is
    // back, a moment later.
    const settled = async () =>
      (await api('GET', `/webhooks/${healthy.id}/deliveries`)).body.map(
        (d: { status: number }) => d.status,
      )
    for (let i = 0; i < 40 && (await settled()).length < EVENTS; i++)
      await new Promise((resolve) => setTimeout(resolve, 25))
    expect(await settled()).toEqual([204, 204, 204])

    // Then each dead attempt settles on its own, with the timeout as its reason.
    await running.stop()
    for (const hook of deadHooks) {
      const attempts = (await api('GET', `/webhooks/${hook.id}/deliveries`)).body
      expect(attempts).toHaveLength(2)
      for (const attempt of attempts)
        expect(attempt).toMatchObject({ status: null, error: 'no answer within 5 s' })
    }
  })

  it('allows a tenant twenty endpoints, and refuses a twenty-first with 409', async () => {
    const { api } = await app()
    const created = []
    for (let i = 0; i < 20; i++)
      created.push(
        await api('POST', '/webhooks', {
          url: `https://hooks.example/${i}`,
          events: ['consent.denied'],
        }),
      )
    expect(created.map((answer) => answer.status)).toEqual(created.map(() => 201))
    const more = { url: 'https://hooks.example/21', events: ['consent.denied'] }
    const refused = await api('POST', '/webhooks', more)
    expectError(refused, 409, 'conflict')
    expect(refused.body.message).toMatch(/at most 20/)
    expect((await api('GET', '/webhooks')).body).toHaveLength(20)
    expect((await api('DELETE', `/webhooks/${created[0]?.body.id}`)).status).toBe(204)
    expect((await api('POST', '/webhooks', more)).status).toBe(201)
  })

  it('disables an endpoint after a day of failed attempts, sends it nothing, and PATCH enables it again', async () => {
    const { t, api } = await app({ ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1' })
    const receiver = await startReceiver()
    cleanups.push(receiver.close)
    receiver.setUp(false)
    const hook = (await api('POST', '/webhooks', { url: receiver.url, events: ['consent.denied'] }))
      .body
    const delivery = worker(t)
    await deny(t, 'user-1')
    expect(await delivery.runOnce()).toBe(1)
    // Failing for almost a day is not yet a day.
    t.clock.advance(23 * 60 * 60 * 1000)
    await deny(t, 'user-2')
    await delivery.runOnce()
    expect((await api('GET', '/webhooks')).body[0].status).toBe('enabled')

    t.clock.advance(60 * 60 * 1000)
    await deny(t, 'user-3')
    await delivery.runOnce()
    expect((await api('GET', '/webhooks')).body[0]).toMatchObject({
      id: hook.id,
      status: 'disabled',
    })
    const disabled = (await api('GET', '/logs')).body.find(
      (entry: { details: { action: string } }) => entry.details.action === 'webhook.disable',
    )
    expect(disabled).toMatchObject({
      user_name: 'webhook delivery',
      details: { via: 'system', target: hook.id, after: { status: 'disabled' } },
    })

    // Disabled: its events are kept, and not sent, however long it waits.
    receiver.setUp(true)
    await deny(t, 'user-4')
    t.clock.advance(2 * 60 * 60 * 1000)
    const attempts = (await api('GET', `/webhooks/${hook.id}/deliveries?per_page=100`)).body.length
    expect(await delivery.runOnce()).toBe(0)
    expect(receiver.received).toEqual([])

    const enabled = await api('PATCH', `/webhooks/${hook.id}`, { status: 'enabled' })
    expect(enabled.status).toBe(200)
    expect(enabled.body).toMatchObject({ id: hook.id, status: 'enabled' })
    expect(enabled.body.secret).toBeUndefined()
    const update = (await api('GET', '/logs')).body.find(
      (entry: { details: { action: string } }) => entry.details.action === 'webhook.update',
    )
    expect(update.details).toMatchObject({
      via: 'api',
      target: hook.id,
      before: { status: 'disabled' },
      after: { status: 'enabled' },
    })
    // What waited is sent now: the event of the disabled time, and those still within their day.
    expect(await delivery.runOnce()).toBeGreaterThan(0)
    expect(receiver.received.map((r) => JSON.parse(r.body).data.user_id)).toContain('user-4')
    expect(
      (await api('GET', `/webhooks/${hook.id}/deliveries?per_page=100`)).body.length,
    ).toBeGreaterThan(attempts)
  })

  it('answers 404 for a PATCH of an unknown endpoint, and 400 for an empty or unknown change', async () => {
    const { api } = await app()
    expectError(
      await api('PATCH', '/webhooks/wh_nope', { status: 'enabled' }),
      404,
      'inexistent_webhook',
    )
    const hook = (
      await api('POST', '/webhooks', { url: 'https://hooks.example/x', events: ['consent.denied'] })
    ).body
    expectError(await api('PATCH', `/webhooks/${hook.id}`, {}), 400, 'invalid_body')
    expectError(
      await api('PATCH', `/webhooks/${hook.id}`, { status: 'paused' }),
      400,
      'invalid_body',
    )
    expectError(await api('PATCH', `/webhooks/${hook.id}`, { secret: 'x' }), 400, 'invalid_body')
  })
})
