import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { consoleSession, scopedApp } from '../support/console.js'
import { htmlForm } from '../support/html-form.js'
import { management } from '../support/management.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const URL_ = 'https://as.example/assent-events'

async function addForm(s: Awaited<ReturnType<typeof consoleSession>>) {
  return htmlForm(
    await (await s.get('/admin/webhooks')).text(),
    (f) => f.action === '/admin/webhooks',
  )
}

describe('console: webhooks (DESIGN §3.8, §5)', () => {
  it('adds an endpoint, shows its secret once, lists it, and deletes it', async () => {
    const s = await consoleSession(t)
    expect(await (await s.get('/admin/webhooks')).text()).toContain('data-testid="no-webhooks"')
    const res = await s.submit(await addForm(s), { url: URL_ })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = await res.text()
    expect(html).toContain('role="status" data-testid="console-status">Created.')
    const secret = /<code class="secret" tabindex="0">(whsec_[A-Za-z0-9+/=]+)<\/code>/.exec(
      html,
    )?.[1]
    const [hook] = await t.store.webhooks.list(t.tenant.id)
    expect(hook).toMatchObject({
      url: URL_,
      events: ['consent.accepted', 'consent.denied', 'grant.revoked', 'grant.deleted'],
      status: 'enabled',
    })
    expect(secret).toBe(hook?.secret)
    // Never again: not on the list, not on the endpoint's page.
    const list = await (await s.get('/admin/webhooks')).text()
    expect(list).toContain(`<code><bdi>${URL_}</bdi></code>`)
    expect(list).not.toContain('whsec_')
    expect(await (await s.get(`/admin/webhooks/${hook?.id}`)).text()).not.toContain('whsec_')

    const deleted = await s.post(`/admin/webhooks/${hook?.id}/delete`, {})
    expect(deleted.headers.get('location')).toBe('/admin/webhooks?done=deleted')
    expect(await t.store.webhooks.list(t.tenant.id)).toEqual([])
  })

  it('subscribes only the events ticked, and refuses none', async () => {
    const s = await consoleSession(t)
    const body = new URLSearchParams([
      ['csrf', s.csrf],
      ['url', URL_],
      ['events', 'grant.revoked'],
    ])
    const one = await t.app.request('/admin/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: s.cookie },
      body: body.toString(),
    })
    expect(one.status).toBe(200)
    expect((await t.store.webhooks.list(t.tenant.id))[0]?.events).toEqual(['grant.revoked'])
    // No box ticked: the post carries no event at all.
    const none = await s.post('/admin/webhooks', { url: 'https://other.example/hook' })
    expect(none.status).toBe(400)
    expect(await none.text()).toContain('id="events-error">choose at least one event')
    // An unknown event is no event the form offers.
    const odd = await s.post('/admin/webhooks', { url: URL_, events: 'user.deleted' })
    expect(odd.status).toBe(400)
  })

  it.each([
    ['http://as.example/hook', 'must be an https: URL'],
    ['https://127.0.0.1/hook', 'must point at a public address'],
    ['https://localhost/hook', 'must point at a public address'],
    ['https://10.0.0.8/hook', 'must point at a public address'],
    ['https://169.254.169.254/latest/meta-data', 'must point at a public address'],
    ['https://[::1]/hook', 'must point at a public address'],
    ['https://0x7f000001/hook', 'must point at a public address'],
    ['https://user:pw@as.example/hook', 'must not carry a user name or password'],
    ['javascript:alert(1)', 'must be an https: URL'],
  ])('refuses %s beside the field, as the API does, and registers nothing', async (url, reason) => {
    const s = await consoleSession(t)
    const res = await s.submit(await addForm(s), { url })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toMatch(new RegExp(`id="url-error">${reason.replace(/[.:]/g, '\\$&')}`))
    expect(await t.store.webhooks.list(t.tenant.id)).toEqual([])
  })

  it('re-enables a disabled endpoint and shows its deliveries', async () => {
    const hook = await management(t)('POST', '/webhooks', { url: URL_, events: ['grant.revoked'] })
    await management(t)('PATCH', `/webhooks/${hook.body.id}`, { status: 'disabled' })
    const s = await consoleSession(t)
    const page = `/admin/webhooks/${hook.body.id}`
    const html = await (await s.get(page)).text()
    expect(html).toContain('<strong>Disabled</strong>')
    expect(html).toContain('data-testid="no-deliveries"')
    const res = await s.post(`${page}/enable`, {})
    expect(res.headers.get('location')).toBe(`${page}?done=enabled`)
    expect((await t.store.webhooks.get(t.tenant.id, hook.body.id))?.status).toBe('enabled')
    expect(await (await s.get(`${page}?done=enabled`)).text()).toContain('>Enabled.</p>')
  })

  it('refuses forms without the token, or without the scope; hides the section without read:webhooks', async () => {
    const hook = await management(t)('POST', '/webhooks', { url: URL_, events: ['grant.revoked'] })
    const s = await consoleSession(t)
    expect(
      (
        await s.post(
          '/admin/webhooks',
          { url: 'https://b.example/h', events: 'grant.revoked' },
          false,
        )
      ).status,
    ).toBe(403)
    expect((await s.post(`/admin/webhooks/${hook.body.id}/delete`, {}, false)).status).toBe(403)
    expect((await s.post(`/admin/webhooks/${hook.body.id}/enable`, {}, false)).status).toBe(403)
    expect(await t.store.webhooks.list(t.tenant.id)).toHaveLength(1)
    // Another tenant's endpoint, or none, is a 404.
    expect((await s.post('/admin/webhooks/wh_nope/delete', {})).status).toBe(404)

    const scoped = await scopedApp()
    try {
      const reader = await consoleSession(scoped.t, await scoped.token('read:webhooks'))
      const list = await (await reader.get('/admin/webhooks')).text()
      expect(list).not.toContain('Add an endpoint')
      expect(
        (await reader.post('/admin/webhooks', { url: URL_, events: 'grant.revoked' })).status,
      ).toBe(403)
      const other = await consoleSession(scoped.t, await scoped.token('read:roles'))
      expect(await (await other.get('/admin/roles')).text()).not.toContain('href="/admin/webhooks"')
      expect((await other.get('/admin/webhooks')).status).toBe(403)
    } finally {
      await scoped.close()
    }
  })
})
