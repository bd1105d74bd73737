import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { cookieOf, csrfOf, demoRequest, renditionOf } from '../support/consent.js'
import { serveEachTest } from '../support/serve.js'

// Bodies are limited and read as Node's socket delivers them (src/web/middleware/body-limit.ts):
// these tests go through a real server, where `app.request` would hand the app a web Request.
const served = serveEachTest()

const auth = () => ({ authorization: `Bearer ${served.t.adminToken}` })

/** One raw HTTP request whose body is written in `pieces`, `pauseMs` apart. */
function send(
  path: string,
  headers: Record<string, string | number>,
  pieces: (string | Buffer)[],
  options: { pauseMs?: number; abortAfter?: number; hold?: boolean } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${served.url}${path}`, { method: 'POST', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers })
        if (options.hold) req.destroy()
      })
    })
    req.on('error', reject)
    let i = 0
    const next = () => {
      if (options.abortAfter !== undefined && i === options.abortAfter) {
        req.destroy()
        resolve({ status: 0, body: '', headers: {} })
        return
      }
      const piece = pieces[i++]
      if (piece === undefined) {
        // `hold`: the rest of the body never comes; only the server's answer ends this.
        if (!options.hold) req.end()
        return
      }
      req.write(piece)
      setTimeout(next, options.pauseMs ?? 0)
    }
    next()
  })
}

const openRequest = () => JSON.stringify(demoRequest({ user_id: 'socket-user' }))

async function resourceServerCount(): Promise<number> {
  const res = await fetch(`${served.url}/api/v2/resource-servers`, { headers: auth() })
  return ((await res.json()) as unknown[]).length
}

describe('request bodies read from the socket', () => {
  it('takes a JSON body and a form answer sent in slow pieces, as a real client may', async () => {
    const json = openRequest()
    const created = await send(
      '/api/v2/consent-requests',
      { ...auth(), 'content-type': 'application/json' },
      [json.slice(0, 10), json.slice(10, 40), json.slice(40)],
      { pauseMs: 20 },
    )
    expect(created.status).toBe(201)
    const id = JSON.parse(created.body).id as string

    const page = await fetch(`${served.url}/consent/${id}`)
    const cookie = cookieOf(page)
    const html = await page.text()
    const csrf = csrfOf(html)
    const rendition = renditionOf(html)
    const form = `action=accept&csrf=${encodeURIComponent(csrf)}&rendition=${rendition}&__proto__=x`
    const answered = await send(
      `/consent/${id}`,
      {
        'content-type': 'application/x-www-form-urlencoded',
        cookie,
        origin: served.t.deps.config.publicUrl.origin,
      },
      [form.slice(0, 7), form.slice(7)],
      { pauseMs: 20 },
    )
    expect(answered.status).toBe(303)
    expect(String(answered.headers.location)).toContain('consent_verifier=')
    // A field named __proto__ is only a field: nothing else took it as an object's prototype.
    expect(({} as { x?: unknown }).x).toBeUndefined()
  })

  it('refuses a body past 1 MiB sent without a length (chunked), and writes nothing', async () => {
    const before = await resourceServerCount()
    const chunk = Buffer.alloc(256 * 1024, 'a')
    const res = await send(
      '/api/v2/resource-servers',
      { ...auth(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      [Buffer.from('{"identifier":"https://big/","name":"'), chunk, chunk, chunk, chunk, chunk],
    )
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).errorCode).toBe('payload_too_large')
    expect(await resourceServerCount()).toBe(before)
  })

  it('refuses a declared length past the limit before reading any of it', async () => {
    // The client announces 5 MiB, sends a few bytes and waits: the 413 comes without the rest.
    const res = await send(
      '/api/v2/resource-servers',
      { ...auth(), 'content-type': 'application/json', 'content-length': 5 * 1024 * 1024 },
      ['{"identifier":'],
      { hold: true },
    )
    expect(res.status).toBe(413)
    const form = await send(
      '/consent/abcdefghijklmnopqrstuv',
      { 'content-type': 'application/x-www-form-urlencoded', 'content-length': 70_000 },
      ['action=accept'],
      { hold: true },
    )
    expect(form.status).toBe(413)
    expect((await fetch(`${served.url}/healthz`)).status).toBe(200)
  })

  it('answers a caller without a valid token before reading any of its body', async () => {
    // 900 KB announced, a few bytes sent: the 401 comes without the server waiting for the rest,
    // so nobody without a token can make it hold a megabyte per connection.
    const res = await send(
      '/api/v2/resource-servers',
      {
        authorization: 'Bearer nope',
        'content-type': 'application/json',
        'content-length': 900_000,
      },
      ['{"identifier":'],
      { hold: true },
    )
    expect(res.status).toBe(401)
  })

  it('survives a client that hangs up halfway through its body', async () => {
    const json = openRequest()
    const res = await send(
      '/api/v2/consent-requests',
      { ...auth(), 'content-type': 'application/json', 'content-length': json.length },
      [json.slice(0, 20), json.slice(20, 40)],
      { abortAfter: 2, pauseMs: 10 },
    )
    expect(res.status).toBe(0)
    const after = await send(
      '/api/v2/consent-requests',
      { ...auth(), 'content-type': 'application/json' },
      [json],
    )
    expect(after.status).toBe(201)
  })
})
