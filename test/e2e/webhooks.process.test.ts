import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { managementOf, type Started, startAssent, waitForHttp } from '../support/process.js'
import { startReceiver } from '../support/receiver.js'
import { freePort } from '../support/serve.js'
import { tempDir } from '../support/temp.js'

const TOKEN = 'webhook-test-admin-token-0123456789abcdef'
const COOKIE = 'assent_csrf=webhook-test-browser-cookie-value'
const running: Started[] = []
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const started of running.splice(0)) started.child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

describe('webhooks across a crash (DESIGN §3.8)', () => {
  it('an event written with its change is delivered after SIGKILL and a restart, none lost', {
    timeout: 90_000,
  }, async () => {
    const temp = tempDir()
    cleanups.push(temp.remove)
    const [port, receiverPort] = [await freePort(), await freePort()]
    const base = `http://127.0.0.1:${port}`
    const env = {
      PORT: String(port),
      ASSENT_PUBLIC_URL: base,
      DATABASE_URL: `sqlite:${join(temp.dir, 'assent.sqlite')}`,
      ASSENT_ADMIN_TOKEN: TOKEN,
      ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1',
      ASSENT_RATE_LIMIT_ANSWERS: '0',
      ASSENT_RATE_LIMIT_CREATES: '0',
      LOG_LEVEL: 'error',
    }
    const start = async () => {
      const started = startAssent(env)
      running.push(started)
      await waitForHttp(`${base}/healthz`)
      return started
    }
    const api = async (method: string, path: string, body?: unknown) =>
      (await managementOf(TOKEN)(base, method, path, body)).body

    const first = await start()
    // The receiver is not listening yet: every attempt fails.
    await api('POST', '/webhooks', {
      url: `http://127.0.0.1:${receiverPort}/hooks`,
      events: ['consent.accepted'],
    })
    const COUNT = 20
    for (let i = 0; i < COUNT; i++) {
      const created = await api('POST', '/consent-requests', {
        client_id: DEMO.clientId,
        user_id: `webhook-user-${i}`,
        audience: DEMO.audience,
        scope: 'openid read:messages',
        redirect_uri: DEMO.redirectUri,
        return_to: `${base}/demo/done`,
      })
      const html = await (
        await fetch(`${base}/consent/${created.id}`, { headers: { cookie: COOKIE } })
      ).text()
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
      const rendition = /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? ''
      const answer = await fetch(`${base}/consent/${created.id}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: COOKIE,
          'content-type': 'application/x-www-form-urlencoded',
          origin: base,
        },
        body: new URLSearchParams({ action: 'accept', csrf, rendition }).toString(),
      })
      const verifier = new URL(answer.headers.get('location') ?? '').searchParams.get(
        'consent_verifier',
      )
      const decision = await api('POST', `/consent-requests/${created.id}/verify`, {
        consent_verifier: verifier,
      })
      expect(decision.status).toBe('accepted')
    }
    // Killed between the changes and their delivery.
    first.child.kill('SIGKILL')
    await first.exited

    const receiver = await startReceiver(receiverPort)
    cleanups.push(receiver.close)
    await start()
    const deadline = Date.now() + 60_000
    while (new Set(receiver.received.map((r) => r.headers['webhook-id'])).size < COUNT) {
      if (Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const users = new Set(receiver.received.map((r) => JSON.parse(r.body).data.user_id))
    expect(users.size).toBe(COUNT)
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(COUNT)
  })
})
