import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AssentClient,
  AssentError,
  type ConsentDecision,
  readConsentReturn,
} from '../../src/client/index.js'
import { DEMO } from '../../src/services/demo.js'
import { FormBrowser } from '../support/form-browser.js'
import { freePort, listen } from '../support/serve.js'
import { tempDir } from '../support/temp.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let server: Awaited<ReturnType<typeof listen>>
let assent: AssentClient
let returnTo: string

beforeAll(async () => {
  const port = await freePort()
  returnTo = `http://127.0.0.1:${port}/as/resume`
  t = await createTestApp({
    env: {
      PORT: String(port),
      ASSENT_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ASSENT_ALLOWED_RETURN_URLS: returnTo,
    },
  })
  server = await listen(t.app, port)
  assent = new AssentClient({ url: server.url, token: t.adminToken })
})
afterAll(async () => {
  await server?.close()
  await t?.close()
})

const request = (userId: string, scope = 'openid profile read:messages') => ({
  client_id: DEMO.clientId,
  user_id: userId,
  user_name: userId,
  audience: DEMO.audience,
  scope,
  redirect_uri: DEMO.redirectUri,
  return_to: returnTo,
  state: 'as-state-1',
})

/** The user's browser: opens the page, answers it, and is sent back to return_to. */
async function answer(consentUrl: string, action: 'accept' | 'deny'): Promise<URL> {
  const browser = new FormBrowser()
  const page = new URL(consentUrl)
  const html = await (await browser.request(page)).text()
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  const rendition = /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? ''
  const res = await browser.postForm(page, { action, csrf, rendition }, page)
  expect(res.status).toBe(303)
  return new URL(res.headers.get('location') ?? '')
}

describe('AssentClient against a running Assent', () => {
  it('opens a request, reads it undecided, redeems the verifier, and reads the decision', async () => {
    const opened = await assent.createConsentRequest(request('client-ana'))
    expect(opened.status).toBe('pending')
    expect(opened.consent_url).toBe(`${server.url}/consent/${opened.id}`)
    expect(opened.effective_scopes).toEqual(['openid', 'profile', 'read:messages'])

    expect(await assent.getConsentRequest(opened.id)).toEqual({
      id: opened.id,
      status: 'pending',
      expires_at: opened.expires_at,
    })

    const back = readConsentReturn(await answer(opened.consent_url, 'accept'))
    expect(back.consent_request).toBe(opened.id)
    expect(back.state).toBe('as-state-1')

    const decision: ConsentDecision = await assent.verify(
      back.consent_request,
      back.consent_verifier,
    )
    expect(decision).toMatchObject({
      id: opened.id,
      status: 'accepted',
      user_id: 'client-ana',
      client_id: DEMO.clientId,
      audience: DEMO.audience,
      granted_scopes: ['openid', 'profile', 'read:messages'],
      scope: 'openid profile read:messages',
    })
    // A retry of the same verify returns the same decision (DESIGN §3.4).
    expect(await assent.verify(back.consent_request, back.consent_verifier)).toEqual(decision)
    expect(await assent.getConsentRequest(opened.id)).toMatchObject({
      status: 'accepted',
      scope: 'openid profile read:messages',
    })

    // Everything granted now: the next request is decided without a page.
    const again = await assent.createConsentRequest(request('client-ana'))
    expect(again).toMatchObject({ status: 'accepted', granted_scopes: decision.granted_scopes })
  })

  it('reads a decline as a decision, not an error', async () => {
    const opened = await assent.createConsentRequest(request('client-bo'))
    const back = readConsentReturn(await answer(opened.consent_url, 'deny'))
    expect(await assent.verify(back.consent_request, back.consent_verifier)).toMatchObject({
      status: 'denied',
      error: 'access_denied',
      granted_scopes: [],
    })
  })

  it('throws one AssentError carrying the error body', async () => {
    const opened = await assent.createConsentRequest(request('client-cy'))
    const notAnswered = await assent.verify(opened.id, 'x').catch((error: unknown) => error)
    expect(notAnswered).toBeInstanceOf(AssentError)

    const back = readConsentReturn(await answer(opened.consent_url, 'accept'))
    const wrong = await assent.verify(back.consent_request, 'not-the-verifier').catch((e) => e)
    expect(wrong).toBeInstanceOf(AssentError)
    expect((wrong as AssentError).toJSON()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: expect.any(String),
      errorCode: 'invalid_verifier',
    })

    const missing = await assent.getConsentRequest('no-such-request').catch((e) => e)
    expect(missing).toMatchObject({ statusCode: 404, name: 'AssentError' })

    const bad = await assent
      .createConsentRequest({ ...request('client-cy'), return_to: 'https://elsewhere.example/' })
      .catch((e) => e)
    expect(bad).toMatchObject({ statusCode: 400, errorCode: expect.any(String) })

    const stranger = new AssentClient({ url: server.url, token: 'not-a-token' })
    const unauthorized = await stranger.getConsentRequest(opened.id).catch((e) => e)
    expect(unauthorized).toMatchObject({ statusCode: 401, errorCode: 'invalid_token' })
  })

  it('reports a response that is not Assent’s as an AssentError too', async () => {
    const elsewhere = new AssentClient({
      url: 'http://proxy.invalid',
      token: 't',
      fetch: async () =>
        new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
    })
    const error = await elsewhere.getConsentRequest('x').catch((e) => e)
    expect(error).toMatchObject({
      statusCode: 502,
      error: 'Bad Gateway',
      errorCode: 'unexpected_response',
    })
  })

  it('imports a grant: the next request for its scopes is accepted at once (DESIGN §4.2.1)', async () => {
    const imported = await assent.importGrant({
      user_id: 'client-imported',
      clientID: DEMO.clientId,
      audience: DEMO.audience,
      scope: ['openid', 'profile', 'read:messages'],
    })
    expect(imported.receipt_id).toMatch(/^rcp_/)
    const opened = await assent.createConsentRequest(request('client-imported'))
    expect(opened.status).toBe('accepted')
  })

  it('creates a portal session (DESIGN §3.7)', async () => {
    const session = await assent.createPortalSession('client-ana', { ui_locales: 'en' })
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    // Five minutes on the app's clock (a test clock, not the wall clock).
    expect(Date.parse(session.expires_at)).toBe(t.clock.now().getTime() + 300_000)
  })
})

describe('assent/client as a package', () => {
  it('is importable by name from a package that depends on a built checkout by path', {
    timeout: 180_000,
  }, () => {
    const root = new URL('../..', import.meta.url).pathname
    const temp = tempDir()
    try {
      // The checkout as `npm run build` leaves it, except that the build goes to a folder of this
      // test's own: dist/ is the other suites' (test/support/build.ts).
      const checkout = join(temp.dir, 'assent')
      mkdirSync(checkout)
      for (const entry of ['package.json', 'node_modules'])
        symlinkSync(join(root, entry), join(checkout, entry))
      execFileSync(
        join(root, 'node_modules/.bin/tsc'),
        ['-p', 'tsconfig.build.json', '--outDir', join(checkout, 'dist')],
        { cwd: root, stdio: 'pipe', timeout: 120_000 },
      )
      const app = join(temp.dir, 'as')
      mkdirSync(app)
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({
          name: 'as',
          private: true,
          type: 'module',
          dependencies: { assent: `file:${checkout}` },
        }),
      )
      execFileSync(
        'npm',
        ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--silent'],
        { cwd: app, stdio: 'pipe', timeout: 60_000 },
      )
      const out = execFileSync(
        process.execPath,
        ['-e', "import('assent/client').then((m) => console.log(Object.keys(m).sort().join(' ')))"],
        { cwd: app, encoding: 'utf8', timeout: 20_000 },
      )
      expect(out.trim()).toBe('AssentClient AssentError readConsentReturn')
      const types = execFileSync(
        process.execPath,
        ['-p', "require.resolve('assent/client').replace(/\\.js$/, '.d.ts')"],
        { cwd: app, encoding: 'utf8' },
      ).trim()
      expect(types).toBe(join(checkout, 'dist/client/index.d.ts'))
      expect(existsSync(types)).toBe(true)
    } finally {
      temp.remove()
    }
  })
})
