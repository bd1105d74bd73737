import { describe, expect, it } from 'vitest'
import { consentBrowser, demoRequest } from '../support/consent.js'
import { management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

// The body limit through hono's public API, in process: a body without a declared length is
// counted as it streams, and the body it lets through is what every reader of the request sees.
let t: TestApp

eachTestApp((suite) => ({ t } = suite))

async function openPage() {
  const created = await management(t)('POST', '/consent-requests', demoRequest())
  const id = created.body.id as string
  return { id, session: await consentBrowser(t).visit(id) }
}

/** A body as a stream of `pieces`: no length is declared, so only counting can limit it. */
function streamed(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    pull(controller) {
      const piece = pieces.shift()
      if (piece === undefined) controller.close()
      else controller.enqueue(encoder.encode(piece))
    },
  })
}

const post = (id: string, cookie: string, type: string, body: BodyInit) =>
  t.app.request(`/consent/${id}`, {
    method: 'POST',
    headers: {
      'content-type': type,
      cookie,
      origin: t.deps.config.publicUrl.origin,
      'sec-fetch-site': 'same-origin',
    },
    body,
    duplex: 'half',
  } as RequestInit)

describe('request body limit', () => {
  it('refuses a streamed form past 64 KiB with no declared length, and records nothing', async () => {
    const { id, session } = await openPage()
    const form = `action=accept&csrf=${session.csrf}&rendition=${session.rendition}&pad=`
    const res = await post(
      id,
      session.cookie,
      'application/x-www-form-urlencoded',
      streamed([form, 'x'.repeat(40_000), 'x'.repeat(40_000)]),
    )
    expect(res.status).toBe(413)
    expect((await management(t)('GET', `/consent-requests/${id}`)).body.status).toBe('pending')
  })

  it('hands a streamed form under the limit to the form reader whole', async () => {
    const { id, session } = await openPage()
    const form = `action=accept&csrf=${encodeURIComponent(session.csrf)}&rendition=${session.rendition}`
    const res = await post(
      id,
      session.cookie,
      'application/x-www-form-urlencoded',
      streamed([form.slice(0, 9), form.slice(9)]),
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toContain('consent_verifier=')
  })

  it('reads a multipart answer from the same body', async () => {
    const { id, session } = await openPage()
    const form = new FormData()
    form.set('action', 'accept')
    form.set('csrf', session.csrf)
    form.set('rendition', session.rendition)
    const encoded = new Response(form)
    const res = await post(
      id,
      session.cookie,
      encoded.headers.get('content-type') ?? '',
      await encoded.arrayBuffer(),
    )
    expect(res.status).toBe(303)
  })
})
