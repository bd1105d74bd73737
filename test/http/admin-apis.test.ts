import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consoleSession, scopedApp } from '../support/console.js'
import { htmlForm } from '../support/html-form.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

const rows = (html: string) =>
  [
    ...(/data-testid="permission-list"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(
      /<code><bdi>([^<]*)<\/bdi><\/code>\s*<span><bdi>([^<]*)<\/bdi>/g,
    ),
  ].map((m) => `${m[1]} ${m[2]}`)

async function createApi(s: Awaited<ReturnType<typeof consoleSession>>) {
  const res = await s.post('/admin/apis', { name: 'Mail', identifier: 'https://mail.example' })
  expect(res.status).toBe(303)
  const location = res.headers.get('location') ?? ''
  // The tab says the API was made (DESIGN §5: every change says so).
  expect(location).toMatch(/\?done=created$/)
  return location.replace(/\?done=created$/, '')
}

describe('console: APIs (DESIGN §5)', () => {
  it('lists the APIs and creates one, landing on its Permissions tab', async () => {
    const s = await consoleSession(t)
    const list = await (await s.get('/admin/apis')).text()
    expect(list).toContain(DEMO.audience)
    const tab = await createApi(s)
    expect(tab).toMatch(/^\/admin\/apis\/[^/]+\/permissions$/)
    const html = await (await s.get(tab)).text()
    expect(html).toContain('data-testid="permission-list"')
    expect(html).toContain('href="/admin/preview?audience=https%3A%2F%2Fmail.example"')
  })

  it('keeps the input and names the field when the identifier is taken or bad', async () => {
    const s = await consoleSession(t)
    const taken = await s.post('/admin/apis', { name: 'Again', identifier: DEMO.audience })
    expect(taken.status).toBe(400)
    const html = await taken.text()
    expect(html).toMatch(/id="identifier-error">is already the identifier of another API/)
    expect(html).toContain('value="Again"')
    const bad = await s.post('/admin/apis', { name: 'x', identifier: 'has space' })
    expect(await bad.text()).toMatch(/id="identifier-error">must not contain spaces/)
  })

  it('adds, edits, moves and deletes permissions through the tab; 303 back each time', async () => {
    const s = await consoleSession(t)
    const tab = await createApi(s)
    for (const [value, description] of [
      ['read:messages', 'Read your messages'],
      ['write:messages', 'Send messages'],
    ] as const) {
      const res = await s.post(tab, { value, description })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(`${tab}?done=added`)
    }
    expect(rows(await (await s.get(tab)).text())).toEqual([
      'read:messages Read your messages',
      'write:messages Send messages',
    ])
    expect((await s.post(tab, { value: 'write:messages', move: 'up' })).status).toBe(303)
    expect(rows(await (await s.get(tab)).text())[0]).toBe('write:messages Send messages')

    const edit = await s.post(`${tab}/edit`, {
      value: 'read:messages',
      description: 'Read all your messages',
      descriptions: 'fr: Lire vos messages\nde: Ihre Nachrichten lesen',
    })
    expect(edit.status).toBe(303)
    const api = await t.store.resourceServers.find(t.tenant.id, 'https://mail.example')
    expect(api?.scopes[1]).toEqual({
      value: 'read:messages',
      description: 'Read all your messages',
      descriptions: { fr: 'Lire vos messages', de: 'Ihre Nachrichten lesen' },
      // Reworded: users who granted it are asked again (DESIGN §3.5.1).
      version: 2,
    })

    expect((await s.post(tab, { delete: 'read:messages' })).status).toBe(303)
    expect(rows(await (await s.get(tab)).text())).toEqual(['write:messages Send messages'])
  })

  it('refuses reserved, duplicate and over-long permissions beside the field, keeping the input', async () => {
    const s = await consoleSession(t)
    const tab = await createApi(s)
    const reserved = await s.post(tab, { value: 'openid', description: 'Mine' })
    expect(reserved.status).toBe(400)
    const html = await reserved.text()
    expect(html).toMatch(/id="value-error">is a reserved scope name/)
    expect(html).toContain('value="Mine"')
    await s.post(tab, { value: 'read:x', description: '' })
    expect(await (await s.post(tab, { value: 'read:x', description: '' })).text()).toMatch(
      /id="value-error">is already a permission/,
    )
    expect(await (await s.post(tab, { value: 'x'.repeat(281), description: '' })).text()).toMatch(
      /id="value-error">must be 1–280 characters/,
    )
    expect(
      await (await s.post(tab, { value: 'read:y', description: 'd'.repeat(501) })).text(),
    ).toMatch(/id="description-error">must be at most 500 characters/)
  })

  it('saves the Settings tab switches', async () => {
    const s = await consoleSession(t)
    const tab = (await createApi(s)).replace(/permissions$/, 'settings')
    const form = htmlForm(await (await s.get(tab)).text(), (f) => f.action === tab)
    const res = await s.submit(form, {
      name: 'Mail API',
      enforce_policies: true,
      token_dialect: 'access_token_authz',
    })
    expect(res.status).toBe(303)
    const api = await t.store.resourceServers.find(t.tenant.id, 'https://mail.example')
    expect(api).toMatchObject({
      name: 'Mail API',
      enforcePolicies: true,
      tokenDialect: 'access_token_authz',
      allowOfflineAccess: false,
    })
    const bad = await s.post(tab, { name: 'a<b' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/id="name-error">must not contain &lt;/)
  })

  it('refuses a post without the form token (403), and changes nothing', async () => {
    const s = await consoleSession(t)
    const api = await t.store.resourceServers.find(t.tenant.id, DEMO.audience)
    const tab = `/admin/apis/${api?.id}/permissions`
    expect((await s.post(tab, { value: 'read:z', description: '' }, false)).status).toBe(403)
    expect(
      (await s.post(tab, { value: 'read:z', description: '', csrf: 'forged' }, false)).status,
    ).toBe(403)
    expect((await s.post('/admin/apis', { identifier: 'x' }, false)).status).toBe(403)
    const after = await t.store.resourceServers.find(t.tenant.id, DEMO.audience)
    expect(after?.scopes.map((scope) => scope.value)).not.toContain('read:z')
  })

  it('hides what the session may not do, and refuses it if posted anyway (403)', async () => {
    const scoped = await scopedApp()
    try {
      const st = scoped.t
      const api = await st.store.resourceServers.find(st.tenant.id, DEMO.audience)
      const reader = await consoleSession(st, await scoped.token('read:resource_servers'))
      const tab = `/admin/apis/${api?.id}/permissions`
      const html = await (await reader.get(tab)).text()
      expect(html).toContain('read:messages')
      expect(html).not.toContain('+ Add')
      expect(html).not.toContain('name="delete"')
      expect(await (await reader.get('/admin/apis')).text()).not.toContain('Create an API')
      expect((await reader.post(tab, { value: 'read:z', description: '' })).status).toBe(403)
      expect((await reader.post(tab, { delete: 'read:messages' })).status).toBe(403)
      expect((await reader.post('/admin/apis', { identifier: 'x' })).status).toBe(403)
      expect((await reader.post(`/admin/apis/${api?.id}/delete`, {})).status).toBe(403)
      // The Settings tab shows the dialect to a reader, disabled, and refuses it if posted anyway.
      const settings = `/admin/apis/${api?.id}/settings`
      const shown = htmlForm(
        await (await reader.get(settings)).text(),
        (f) => f.action === settings,
      )
      expect(shown.entries().map(([name]) => name)).toEqual(['csrf'])
      expect(shown.names).toContain('token_dialect')
      const post = await reader.post(settings, { token_dialect: 'rfc9068_profile_authz' })
      expect(post.status).toBe(403)
      expect((await st.store.resourceServers.find(st.tenant.id, DEMO.audience))?.tokenDialect).toBe(
        'access_token',
      )

      const stranger = await consoleSession(st, await scoped.token('read:clients'))
      expect((await stranger.get('/admin/apis')).status).toBe(403)
      expect(await (await stranger.get('/admin/preview')).text()).not.toContain(
        'href="/admin/apis"',
      )
    } finally {
      await scoped.close()
    }
  })
})
