import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { consoleSession, scopedApp } from '../support/console.js'
import { management } from '../support/management.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const STATUS =
  /<p class="notice success console-status" role="status" data-testid="console-status">([^<]*)<\/p>/

describe('console: where it lands (DESIGN §5)', () => {
  it('lands on the APIs, or on the first section a narrower token may open', async () => {
    const s = await consoleSession(t)
    const landed = await s.get('/admin')
    expect(landed.status).toBe(303)
    expect(landed.headers.get('location')).toBe('/admin/apis')
    const scoped = await scopedApp()
    try {
      const reader = await consoleSession(scoped.t, await scoped.token('read:users'))
      expect((await reader.get('/admin')).headers.get('location')).toBe('/admin/users')
      const none = await consoleSession(scoped.t, await scoped.token('read:stats'))
      expect((await none.get('/admin')).headers.get('location')).toBe('/admin/insights')
    } finally {
      await scoped.close()
    }
  })
})

describe('console: every change says so (DESIGN §5)', () => {
  it('shows a role="status" message after a create, a save and a delete', async () => {
    const s = await consoleSession(t)
    const created = await s.post('/admin/roles', { name: 'Reader', description: '' })
    const role = created.headers.get('location') ?? ''
    expect(role).toMatch(/^\/admin\/roles\/rol_[^?]+\?done=created$/)
    expect(STATUS.exec(await (await s.get(role)).text())?.[1]).toBe('Created.')
    const saved = await s.post(role.split('?')[0] ?? '', { name: 'Readers', description: '' })
    expect(STATUS.exec(await (await s.get(saved.headers.get('location') ?? '')).text())?.[1]).toBe(
      'Saved.',
    )
    const deleted = await s.post(`${role.split('?')[0]}/delete`, {})
    expect(deleted.headers.get('location')).toBe('/admin/roles?done=deleted')
    expect(STATUS.exec(await (await s.get('/admin/roles?done=deleted')).text())?.[1]).toBe(
      'Deleted.',
    )
    // Without a change, no message.
    expect(await (await s.get('/admin/roles')).text()).not.toContain('role="status"')
  })

  it('says only its own words: an address cannot make it say anything else', async () => {
    const s = await consoleSession(t)
    for (const done of ['<script>alert(1)</script>', 'toString', '__proto__', 'constructor', '']) {
      const html = await (await s.get(`/admin/roles?done=${encodeURIComponent(done)}`)).text()
      expect(html).not.toContain('console-status')
      expect(html).not.toContain('<script>')
    }
  })

  it('says nothing went through when a form is refused', async () => {
    const s = await consoleSession(t)
    const refused = await s.post('/admin/roles?done=created', { name: '' })
    expect(refused.status).toBe(400)
    expect(await refused.text()).not.toContain('console-status')
  })
})

describe('console: the user list (DESIGN §5)', () => {
  async function seen(count: number) {
    for (let i = 0; i < count; i++)
      await t.store.users.remember(t.tenant.id, {
        userId: `auth0|user-${String(i).padStart(3, '0')}`,
        name: i === 7 ? 'Zed Quist' : `User ${i}`,
        email: `user${i}@example.com`,
      })
  }
  const ids = (html: string) =>
    [...html.matchAll(/<a href="\/admin\/users\/[^"]+"><code><bdi>([^<]+)<\/bdi>/g)].map(
      (m) => m[1],
    )

  it('finds users by any part of the id, name or email, whatever the case', async () => {
    await seen(12)
    const s = await consoleSession(t)
    expect(ids(await (await s.get('/admin/users?q=zed%20QUI')).text())).toEqual(['auth0|user-007'])
    expect(ids(await (await s.get('/admin/users?q=user11@')).text())).toEqual(['auth0|user-011'])
    expect(ids(await (await s.get('/admin/users?q=user-01')).text())).toHaveLength(2)
    const html = await (await s.get('/admin/users?q=%22%3E%3Cb%3E')).text()
    expect(html).toContain('value="&quot;&gt;&lt;b&gt;"')
    expect(html).toContain('data-testid="no-users"')
  })

  it('pages through many users, 50 at a time, keeping the search', async () => {
    await seen(120)
    const s = await consoleSession(t)
    const first = await (await s.get('/admin/users?q=user-')).text()
    expect(ids(first)).toHaveLength(50)
    expect(first).toContain('1–50 of 120')
    expect(first).toContain('href="/admin/users?q=user-&amp;page=1" rel="next"')
    expect(first).not.toContain('rel="prev"')
    const last = await (await s.get('/admin/users?q=user-&page=2')).text()
    expect(ids(last)).toHaveLength(20)
    expect(last).toContain('href="/admin/users?q=user-&amp;page=1" rel="prev"')
    expect(last).not.toContain('rel="next"')
    // Without a search, every user seen, the demo's too.
    expect(await (await s.get('/admin/users')).text()).toContain('1–50 of 121')
    const searched = await (await s.get('/admin/users?q=user-0&page=1')).text()
    expect(searched).toContain('51–100 of 100')
    expect(searched).toContain('href="/admin/users?q=user-0" rel="prev"')
  })

  it('treats wildcards and quotes as text, and refuses an overlong search or a bad page', async () => {
    await seen(3)
    const s = await consoleSession(t)
    for (const q of ['%', '_', "' OR 1=1 --", '\\']) {
      const html = await (await s.get(`/admin/users?q=${encodeURIComponent(q)}`)).text()
      expect(ids(html), q).toEqual([])
    }
    expect((await s.get(`/admin/users?q=${'a'.repeat(201)}`)).status).toBe(400)
    expect((await s.get('/admin/users?page=-1')).status).toBe(400)
    expect((await s.get('/admin/users?page=1e9')).status).toBe(400)
  })

  it('shows no user to a session without read:users', async () => {
    await seen(1)
    const scoped = await scopedApp()
    try {
      const other = await consoleSession(scoped.t, await scoped.token('read:roles'))
      expect((await other.get('/admin/users?q=user')).status).toBe(403)
    } finally {
      await scoped.close()
    }
  })
})

describe('console: permission pickers that scale (DESIGN §5)', () => {
  const scopes = Array.from({ length: 1000 }, (_, i) => ({
    value: `perm:${String(i).padStart(4, '0')}`,
    description: i === 421 ? 'Export the ledger' : `Permission ${i}`,
  }))

  /** A 1000-permission API, made through the Management API; its id. */
  async function bigApi(): Promise<string> {
    const res = await management(t)('POST', '/resource-servers', {
      identifier: 'https://big.example',
      name: 'Big API',
      scopes,
    })
    expect(res.status).toBe(201)
    return res.body.id
  }
  const options = (html: string) =>
    [...html.matchAll(/<option value="(https:\/\/[^"]+)"/g)].map((m) => m[1])

  it('asks for the API first, then lists at most 100 of its permissions, narrowed by a filter', async () => {
    const id = await bigApi()
    const s = await consoleSession(t)
    const role = (
      (await s.post('/admin/roles', { name: 'R' })).headers.get('location') ?? ''
    ).split('?')[0] as string
    const start = await (await s.get(role)).text()
    expect(start).toContain('<option value="">Choose an API</option>')
    expect(options(start)).toEqual([])

    const big = await (await s.get(`${role}?api=${id}`)).text()
    expect(options(big)).toHaveLength(100)
    expect(options(big).every((key) => key?.startsWith('https://big.example perm:'))).toBe(true)
    expect(big).toContain('The first 100 of 1000 permissions: filter to narrow.')
    // The form that adds keeps the picker where it is.
    expect(big).toContain(`action="${role}/permissions?api=${id}"`)

    const ledger = await (await s.get(`${role}?api=${id}&find=LEDGER`)).text()
    expect(options(ledger)).toEqual(['https://big.example perm:0421'])
    const added = await s.post(`${role}/permissions?api=${id}&find=ledger`, {
      permission: 'https://big.example perm:0421',
    })
    expect(added.headers.get('location')).toBe(`${role}?api=${id}&find=ledger&done=added`)
    const after = await (await s.get(added.headers.get('location') ?? '')).text()
    expect(after).toMatch(/data-testid="role-permissions"[\s\S]*perm:0421/)
  })

  it('pages a 1000-permission API’s Permissions tab 100 at a time, with a filter', async () => {
    const id = await bigApi()
    const s = await consoleSession(t)
    const tab = `/admin/apis/${id}/permissions`
    const rows = (html: string) =>
      [
        ...(/data-testid="permission-list"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(
          /<li class="permission-row">\s*<div class="permission-text">\s*<code><bdi>(perm:\d+)<\/bdi>/g,
        ),
      ].map((m) => m[1])
    const first = await (await s.get(tab)).text()
    expect(rows(first)).toHaveLength(100)
    expect(rows(first)[0]).toBe('perm:0000')
    expect(first).toContain('1–100 of 1000')
    expect(first).toContain(`href="${tab}?page=1" rel="next"`)
    const last = await (await s.get(`${tab}?page=9`)).text()
    expect(rows(last).at(-1)).toBe('perm:0999')
    expect(last).toContain('901–1000 of 1000')
    expect(last).toContain(`href="${tab}?page=8" rel="prev"`)
    const ledger = await (await s.get(`${tab}?find=ledger`)).text()
    expect(rows(ledger)).toEqual(['perm:0421'])
    expect(ledger).toContain('1–1 of 1 matching (1000 in all)')
    // Odd values show the first page; nothing is echoed unescaped.
    const odd = await (await s.get(`${tab}?page=-3&find=${encodeURIComponent('"><b>')}`)).text()
    expect(odd).toContain('value="&quot;&gt;&lt;b&gt;"')
    expect((await s.get(`${tab}?page=99999999`)).status).toBe(200)
  })

  it('shows a filter or API it was sent escaped, and an unknown API as no choice', async () => {
    await bigApi()
    const s = await consoleSession(t)
    const user = '/admin/users/auth0%7Cana'
    const html = await (
      await s.get(`${user}?api=nope&find=${encodeURIComponent('"><script>x</script>')}`)
    ).text()
    expect(html).not.toContain('<script>x')
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"')
    expect(options(html)).toEqual([])
    // Overlong values are ignored, not an error: they only choose what a list shows.
    expect((await s.get(`${user}?api=${'x'.repeat(500)}&find=${'y'.repeat(500)}`)).status).toBe(200)
  })

  it('still refuses an add without the form token, whatever the picker says', async () => {
    const id = await bigApi()
    const s = await consoleSession(t)
    const res = await s.post(
      `/admin/users/auth0%7Cana/permissions?api=${id}`,
      { permission: 'https://big.example perm:0001' },
      false,
    )
    expect(res.status).toBe(403)
    expect(
      (await t.store.permissions.namesFor(t.tenant.id, 'auth0|ana', 'https://big.example')).size,
    ).toBe(0)
  })
})
