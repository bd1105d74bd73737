import { compactVerify, createLocalJWKSet } from 'jose'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../src/logger.js'
import { DEMO } from '../../src/services/demo.js'
import { createWebhookWorker } from '../../src/services/webhooks/webhooks.js'
import { listLines } from '../support/admin.js'
import { consentBrowser, demoRequest } from '../support/consent.js'
import { consoleSession } from '../support/console.js'
import { expectError, management } from '../support/management.js'
import { startReceiver } from '../support/receiver.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: ReturnType<typeof management>
let browser: ReturnType<typeof consentBrowser>

async function start(database?: 'file') {
  t = await createTestApp({ env: { ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1' }, database })
  api = management(t)
  browser = consentBrowser(t)
}

beforeEach(() => start())
afterEach(async () => {
  await t.close()
})

async function open(overrides: Record<string, unknown> = {}) {
  return (
    await api(
      'POST',
      '/consent-requests',
      demoRequest({ scope: 'openid profile read:messages write:messages', ...overrides }),
    )
  ).body
}

/** Shows the page, answers it, redeems it: the page's HTML and the decision. */
async function consent(action: 'accept' | 'deny', overrides: Record<string, unknown> = {}) {
  const request = await open(overrides)
  const page = await browser.visit(request.id)
  const decision = (await browser.redeem(await browser.answer(request.id, action, page))).body
  return { request, page, decision }
}

async function verifyJws(jws: string) {
  const keys = await (await t.app.request('/.well-known/assent-receipt-keys.json')).json()
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(keys))
  return { claims: JSON.parse(new TextDecoder().decode(payload)), header: protectedHeader }
}

describe('consent receipts (DESIGN §3.6)', () => {
  it('signs what the user was shown, in the page’s words, with the grant', async () => {
    const { page, decision } = await consent('accept', { ui_locales: 'fr' })
    expect(decision.receipt_id).toMatch(/^rcp_/)
    const receipt = (await api('GET', `/consent-receipts/${decision.receipt_id}`)).body
    expect(receipt).toMatchObject({
      receipt_id: decision.receipt_id,
      user_id: DEMO.userId,
      client_id: DEMO.clientId,
      client_name: 'Mail Helper',
      audience: DEMO.audience,
      action: 'accept',
      granted_scopes: ['openid', 'profile', 'read:messages', 'write:messages'],
      declined_scopes: [],
      locale: 'fr',
      mode: 'grouped',
    })
    // The exact lines of the page that was answered.
    expect(receipt.lines).toEqual(listLines(page.html, 'scope-lines'))
    expect(
      receipt.lines.some((line: string) => /^Messages.: lire et écrire vos messages$/.test(line)),
    ).toBe(true)
    const { claims, header } = await verifyJws(receipt.jws)
    expect(header.alg).toBe('ES256')
    const { jws: _jws, ...rest } = receipt
    expect(claims).toEqual(rest)
  })

  it('writes a deny receipt too, declining what was asked', async () => {
    const { decision } = await consent('deny')
    const receipt = (await api('GET', `/consent-receipts/${decision.receipt_id}`)).body
    expect(receipt).toMatchObject({
      action: 'deny',
      granted_scopes: [],
      declined_scopes: ['openid', 'profile', 'read:messages', 'write:messages'],
    })
  })

  it('lists a user’s receipts, newest first, within the tenant only', async () => {
    await consent('accept')
    t.clock.advance(1000)
    await consent('deny', { prompt: 'consent' })
    const list = (await api('GET', `/consent-receipts?user_id=${encodeURIComponent(DEMO.userId)}`))
      .body
    expect(list.map((r: { action: string }) => r.action)).toEqual(['deny', 'accept'])
    expectError(await api('GET', '/consent-receipts/rcp_nope'), 404, 'inexistent_receipt')
  })

  it('keeps rotated keys published: an old receipt still verifies, a new one uses the new key', async () => {
    const first = (await consent('accept')).decision
    const old = (await api('GET', `/consent-receipts/${first.receipt_id}`)).body
    t.clock.advance(1000)
    const rotated = await t.deps.receipts.rotate(t.tenant, t.clock.now())
    const second = (await consent('accept', { prompt: 'consent' })).decision
    const fresh = (await api('GET', `/consent-receipts/${second.receipt_id}`)).body
    const keys = await (await t.app.request('/.well-known/assent-receipt-keys.json')).json()
    expect(keys.keys).toHaveLength(2)
    expect(keys.keys.every((k: { d?: string }) => k.d === undefined)).toBe(true)
    expect((await verifyJws(old.jws)).header.kid).not.toBe(rotated.kid)
    expect((await verifyJws(fresh.jws)).header.kid).toBe(rotated.kid)
  })

  it('needs read:consent_receipts', async () => {
    const res = await t.app.request('/api/v2/consent-receipts')
    expect(res.status).toBe(401)
  })
})

describe('webhooks (DESIGN §3.8)', () => {
  it('refuses http: except on loopback when allowed, and shows the secret once', async () => {
    expectError(
      await api('POST', '/webhooks', {
        url: 'http://hooks.example/x',
        events: ['consent.accepted'],
      }),
      400,
      'invalid_body',
    )
    const created = await api('POST', '/webhooks', {
      url: 'https://hooks.example/x',
      events: ['consent.accepted', 'grant.revoked'],
    })
    expect(created.status).toBe(201)
    expect(created.body.secret).toMatch(/^whsec_/)
    const listed = (await api('GET', '/webhooks')).body
    expect(listed).toEqual([
      {
        id: created.body.id,
        url: 'https://hooks.example/x',
        events: ['consent.accepted', 'grant.revoked'],
        status: 'enabled',
        created_at: expect.any(String),
      },
    ])
    expect((await api('DELETE', `/webhooks/${created.body.id}`)).status).toBe(204)
    expect((await api('GET', '/webhooks')).body).toEqual([])
  })

  it('loses nothing to a receiver that is down for a while: every event, the same webhook-id, signed', async () => {
    const receiver = await startReceiver()
    try {
      const hook = (
        await api('POST', '/webhooks', {
          url: receiver.url,
          events: ['consent.accepted', 'consent.denied', 'grant.deleted'],
        })
      ).body
      const worker = createWebhookWorker({
        store: t.store,
        now: t.clock.now,
        log: silentLogger,
        allowHttpLoopback: true,
      })
      receiver.setUp(false)
      const accepted = await consent('accept')
      await consent('deny', { user_id: 'second-user' })
      const grant = (await api('GET', '/grants')).body[0]
      expect((await api('DELETE', `/grants/${grant.id}`)).status).toBe(204)

      expect(await worker.runOnce()).toBe(3)
      const failed = (await api('GET', `/webhooks/${hook.id}/deliveries`)).body
      expect(failed).toHaveLength(3)
      expect(failed.every((d: { status: number }) => d.status === 503)).toBe(true)
      // Not due again yet.
      expect(await worker.runOnce()).toBe(0)

      receiver.setUp(true)
      t.clock.advance(60_000)
      expect(await worker.runOnce()).toBe(3)
      expect(await worker.runOnce()).toBe(0)
      expect(receiver.received.map((r) => JSON.parse(r.body).type).sort()).toEqual([
        'consent.accepted',
        'consent.denied',
        'grant.deleted',
      ])
      const ids = new Set(failed.map((d: { webhook_id: string }) => d.webhook_id))
      for (const got of receiver.received) {
        expect(ids.has(got.headers['webhook-id'] as string)).toBe(true)
        // Signed at the service's clock, which the test holds in 2026-11-24.
        vi.useFakeTimers({ toFake: ['Date'], now: t.clock.now() })
        const verified = new Webhook(hook.secret).verify(got.body, {
          'webhook-id': got.headers['webhook-id'] as string,
          'webhook-timestamp': got.headers['webhook-timestamp'] as string,
          'webhook-signature': got.headers['webhook-signature'] as string,
        }) as { type: string; data: Record<string, unknown> }
        vi.useRealTimers()
        if (verified.type === 'consent.accepted')
          expect(verified.data).toMatchObject({
            user_id: DEMO.userId,
            receipt_id: accepted.decision.receipt_id,
          })
      }
    } finally {
      await receiver.close()
    }
  })

  it('gives up after a day of failures', async () => {
    const hook = (
      await api('POST', '/webhooks', { url: 'http://127.0.0.1:9/down', events: ['consent.denied'] })
    ).body
    const worker = createWebhookWorker({
      store: t.store,
      now: t.clock.now,
      log: silentLogger,
      allowHttpLoopback: true,
    })
    await consent('deny')
    let attempts = 0
    for (let i = 0; i < 40; i++) {
      attempts += await worker.runOnce()
      t.clock.advance(60 * 60 * 1000)
    }
    expect(attempts).toBeGreaterThan(5)
    expect(attempts).toBeLessThan(40)
    const deliveries = (await api('GET', `/webhooks/${hook.id}/deliveries?per_page=100`)).body
    expect(deliveries).toHaveLength(attempts)
  })
})

describe('erasure (DESIGN §3.6)', () => {
  it('leaves nothing of the user in any table', async () => {
    // On a file, which a second connection reads below.
    await t.close()
    await start('file')
    await api('POST', '/webhooks', { url: 'http://127.0.0.1:9/x', events: ['consent.accepted'] })
    await consent('accept')
    await api('POST', `/users/${encodeURIComponent(DEMO.userId)}/permissions`, {
      permissions: [
        { resource_server_identifier: DEMO.audience, permission_name: 'read:messages' },
      ],
    })
    const role = (await api('POST', '/roles', { name: 'Reader' })).body
    await api('POST', `/users/${encodeURIComponent(DEMO.userId)}/roles`, { roles: [role.id] })
    await createWebhookWorker({
      store: t.store,
      now: t.clock.now,
      log: silentLogger,
      allowHttpLoopback: true,
    }).runOnce()

    expect(
      (await api('DELETE', `/users/${encodeURIComponent(DEMO.userId)}/consent-data`)).status,
    ).toBe(204)
    // Read every table straight from the database file.
    const { SqliteDatabase } = await import('../../src/store/sqlite-driver.js')
    const db = new SqliteDatabase(t.deps.config.databaseUrl.slice('sqlite:'.length))
    try {
      const tables = (
        db.prepare("select name from sqlite_master where type = 'table'").all() as {
          name: string
        }[]
      ).map((row) => row.name)
      for (const table of tables) {
        const rows = db.prepare(`select * from "${table}"`).all() as Record<string, unknown>[]
        for (const row of rows)
          expect({ table, row: JSON.stringify(row) }).not.toMatchObject({
            row: expect.stringContaining(DEMO.userId),
          })
      }
    } finally {
      db.close()
    }
  })

  it('erases exactly the audit entries naming the user, whatever characters the ids hold', async () => {
    // Ids a text search gets wrong: inside other text (`e`), LIKE wildcards (`%`, `_`), JSON
    // escapes (`"`, `\`); `u2` is a user nobody erases.
    const erased = ['e', 'a%', 'o"b\\x', '_']
    const users = [...erased, 'u2']
    const s = await consoleSession(t)
    const role = (await api('POST', '/roles', { name: 'Reader' })).body
    const permissions = [
      { resource_server_identifier: DEMO.audience, permission_name: 'read:messages' },
    ]
    // Every change that names a user, through the API and the console.
    expect((await api('POST', `/roles/${role.id}/users`, { users })).status).toBe(200)
    for (const userId of users) {
      const path = `/users/${encodeURIComponent(userId)}`
      expect((await api('POST', `${path}/permissions`, { permissions })).status).toBe(201)
      expect((await api('DELETE', `${path}/permissions`, { permissions })).status).toBe(204)
      expect((await api('POST', `${path}/roles`, { roles: [role.id] })).status).toBe(204)
      expect((await api('DELETE', `${path}/roles`, { roles: [role.id] })).status).toBe(204)
      const form = { user_id: '', remove: userId }
      expect((await s.post(`/admin/roles/${role.id}/users`, form)).status).toBe(303)
      const { decision } = await consent('accept', { user_id: userId })
      const [grant] = (await api('GET', `/grants?user_id=${encodeURIComponent(userId)}`)).body
      expect(grant).toBeDefined()
      expect((await s.post(`/admin${path}/grants`, { revoke: grant.id })).status).toBe(303)
      expect(decision.status).toBe('accepted')
    }

    const log = async () =>
      (await t.store.auditLog.list(t.tenant.id, { page: 0, perPage: 100 })).items
    let expected = await log()
    // Each user has six entries naming only them; one entry names them all.
    for (const userId of users)
      expect(expected.filter((e) => e.userIds.join('\n') === userId)).toHaveLength(6)
    expect(expected.filter((e) => e.userIds.length > 1).map((e) => e.action)).toEqual([
      'role.users.add',
    ])

    for (const userId of erased) {
      const path = `/users/${encodeURIComponent(userId)}/consent-data`
      expect((await api('DELETE', path)).status).toBe(204)
      expected = expected.flatMap((e) => {
        if (!e.userIds.includes(userId)) return [e]
        if (e.userIds.length === 1) return []
        const others = e.userIds.filter((id) => id !== userId)
        const after = (e.after as string[]).map((id) => (id === userId ? '[erased]' : id))
        return [{ ...e, userIds: others, after }]
      })
      expect(await log()).toEqual(expected)
    }
    // What is left: u2's six entries, the role's creation, the shared entry with u2 alone.
    expect(expected).toHaveLength(8)
    const listed = (await api('GET', '/logs?per_page=100')).body
    const shared = listed.find(
      (entry: { details: { action: string } }) => entry.details.action === 'role.users.add',
    )
    expect(shared.details.after).toEqual(['[erased]', '[erased]', '[erased]', '[erased]', 'u2'])
  })
})
