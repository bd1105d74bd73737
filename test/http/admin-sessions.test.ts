import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/digest.js'
import { adminSignIn } from '../support/admin.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

const HOST = 'acme.example'
const OTHER = 'globex.example'

let t: TestApp

eachTestApp(
  async (suite) => {
    ;({ t } = suite)
    await t.store.tenants.create({
      id: 'globex',
      domains: [OTHER],
      settings: { friendly_name: 'Globex', flags: {} },
    })
  },
  { env: { ASSENT_PUBLIC_URL: `http://${HOST}` } },
)

const preview = (host: string, cookie: string) =>
  t.app.request(`http://${host}/admin/preview`, { headers: { host, cookie } })

/** The session's secret, from the sign-in's `Set-Cookie`. */
async function signIn(host = HOST) {
  const { setCookie } = await adminSignIn(t, t.adminToken, host)
  return /^assent_admin=([A-Za-z0-9_-]{43});/.exec(setCookie ?? '')?.[1] ?? ''
}

describe('console sessions (DESIGN §5, §6)', () => {
  it('opens the console on the tenant it was signed in to, and on no other', async () => {
    const secret = await signIn()
    expect(secret).not.toBe('')
    expect((await preview(HOST, `assent_admin=${secret}`)).status).toBe(200)
    const elsewhere = await preview(OTHER, `assent_admin=${secret}`)
    expect(elsewhere.status).toBe(303)
    expect(elsewhere.headers.get('location')).toBe('/admin/login')
  })

  it('keeps only a hash of the secret: what a read of the store holds opens nothing', async () => {
    const secret = await signIn()
    const stored = sha256(secret, 'hex')
    expect(await t.store.adminSessions.get(stored, t.clock.now())).toMatchObject({
      tenantId: expect.any(String),
    })
    expect(await t.store.adminSessions.get(secret, t.clock.now())).toBeUndefined()
    const withStoredId = await preview(HOST, `assent_admin=${stored}`)
    expect(withStoredId.status).toBe(303)
  })

  it('passes over a malformed cookie of the same name another site set first', async () => {
    const secret = await signIn()
    // Over http a sibling subdomain can set a cookie of the same name, and it may come first.
    for (const junk of ['x'.repeat(200), 'not ours!', '""']) {
      const res = await preview(HOST, `assent_admin=${junk}; assent_admin=${secret}`)
      expect(res.status).toBe(200)
    }
  })

  it('refuses a cookie longer than any secret it hands out, without a lookup', async () => {
    const secret = await signIn()
    const res = await preview(HOST, `assent_admin=${secret}${'A'.repeat(100)}`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/login')
  })
})
