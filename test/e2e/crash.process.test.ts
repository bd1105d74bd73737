import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { managementOf, type Started, startAssent, waitForHttp } from '../support/process.js'
import { freePort } from '../support/serve.js'
import { tempDir } from '../support/temp.js'

const TOKEN = 'crash-test-admin-token-0123456789abcdefgh'
const COOKIE = 'assent_csrf=crash-test-browser-cookie-value'
const running: Started[] = []
const cleanups: (() => void)[] = []

afterEach(() => {
  for (const started of running.splice(0)) started.child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0)) cleanup()
})

async function start(env: Record<string, string>) {
  const started = startAssent({
    ASSENT_ADMIN_TOKEN: TOKEN,
    LOG_LEVEL: 'warn',
    ASSENT_RATE_LIMIT_ANSWERS: '0',
    ASSENT_RATE_LIMIT_CREATES: '0',
    ...env,
  })
  running.push(started)
  await waitForHttp(`http://127.0.0.1:${env.PORT}/healthz`)
  return started
}

const api = managementOf(TOKEN)

describe('crash safety (DESIGN §6)', () => {
  it('after SIGKILL mid-load, every answer acknowledged with 303 is there, and none is half-applied', {
    timeout: 90_000,
  }, async () => {
    const temp = tempDir()
    cleanups.push(temp.remove)
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const env = {
      PORT: String(port),
      ASSENT_PUBLIC_URL: base,
      DATABASE_URL: `sqlite:${join(temp.dir, 'assent.sqlite')}`,
    }
    const first = await start(env)

    const COUNT = 400
    const sessions: { id: string; user: string; csrf: string; rendition: string }[] = []
    for (let i = 0; i < COUNT; i++) {
      const user = `crash-user-${i}`
      const { body: created } = await api(base, 'POST', '/consent-requests', {
        client_id: DEMO.clientId,
        user_id: user,
        audience: DEMO.audience,
        scope: 'openid read:messages write:messages',
        redirect_uri: DEMO.redirectUri,
        return_to: `${base}/demo/done`,
      })
      expect(created.status).toBe('pending')
      const html = await (
        await fetch(`${base}/consent/${created.id}`, { headers: { cookie: COOKIE } })
      ).text()
      sessions.push({
        id: created.id,
        user,
        csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
        rendition: /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? '',
      })
    }

    /** Answers acknowledged with 303, and the verifier each handed out. */
    const acknowledged = new Map<string, string>()
    const statuses: number[] = []
    let next = 0
    const worker = async () => {
      while (next < sessions.length) {
        const session = sessions[next++]
        if (!session) return
        try {
          const res = await fetch(`${base}/consent/${session.id}`, {
            method: 'POST',
            redirect: 'manual',
            headers: { cookie: COOKIE, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              action: 'accept',
              csrf: session.csrf,
              rendition: session.rendition,
            }).toString(),
          })
          if (res.status === 303) {
            const back = new URL(res.headers.get('location') ?? '')
            acknowledged.set(session.id, back.searchParams.get('consent_verifier') ?? '')
          } else statuses.push(res.status)
        } catch {
          return // the server is gone
        }
      }
    }
    const workers = Array.from({ length: 16 }, worker)
    // Kill it once part of the answers are in, while others are in flight.
    const deadline = Date.now() + 20_000
    while (acknowledged.size < COUNT / 4) {
      if (Date.now() > deadline || statuses.length > 0)
        throw new Error(`answers failed: ${statuses.slice(0, 5).join(', ')}`)
      await new Promise((r) => setTimeout(r, 2))
    }
    first.child.kill('SIGKILL')
    await Promise.all(workers)
    await first.exited
    expect(acknowledged.size).toBeGreaterThan(0)
    expect(acknowledged.size).toBeLessThan(COUNT)

    await start(env)
    let accepted = 0
    for (const session of sessions) {
      const { body: request } = await api(base, 'GET', `/consent-requests/${session.id}`)
      const grantsOf = async () =>
        (await api(base, 'GET', `/grants?user_id=${encodeURIComponent(session.user)}`)).body as {
          scope: string[]
        }[]
      // An answer grants nothing by itself, acknowledged or not (DESIGN §3.2).
      expect(await grantsOf()).toEqual([])
      const verifier = acknowledged.get(session.id)
      if (verifier !== undefined) {
        // Every acknowledged answer survived (answered, its outcome told only by the verify),
        // and its verifier still redeems it.
        expect(request.status).toBe('answered')
        const { body: decision } = await api(
          base,
          'POST',
          `/consent-requests/${session.id}/verify`,
          {
            consent_verifier: verifier,
          },
        )
        expect(decision.status).toBe('accepted')
        expect(decision.scope).toBe('openid read:messages write:messages')
        expect((await grantsOf())[0]?.scope).toEqual(['openid', 'read:messages', 'write:messages'])
        accepted++
      } else {
        expect(['pending', 'answered']).toContain(request.status)
      }
    }
    expect(accepted).toBe(acknowledged.size)
  })

  it('on SIGTERM, finishes the request in flight, then exits 0', async () => {
    const temp = tempDir()
    cleanups.push(temp.remove)
    const port = await freePort()
    const started = await start({
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(temp.dir, 'assent.sqlite')}`,
    })
    const body = JSON.stringify({
      identifier: 'https://drain.example/',
      scopes: [{ value: 'read:x' }],
    })
    // Send the headers and half of the body, stop the server, then send the rest.
    const answered = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v2/resource-servers',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.write(body.slice(0, 10))
      setTimeout(() => {
        started.child.kill('SIGTERM')
        setTimeout(() => req.end(body.slice(10)), 300)
      }, 200)
    })
    expect(await answered).toBe(201)
    expect(await started.exited).toBe(0)
    // Stopped: no new connection is accepted.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
  })
})
