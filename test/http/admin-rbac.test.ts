import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consoleSession, scopedApp } from '../support/console.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

const READ = `${DEMO.audience} read:messages`

async function createRole(s: Awaited<ReturnType<typeof consoleSession>>, name = 'Reader') {
  const res = await s.post('/admin/roles', { name, description: 'Reads messages' })
  expect(res.status).toBe(303)
  const location = res.headers.get('location') ?? ''
  expect(location).toMatch(/\?done=created$/)
  return location.replace(/\?done=created$/, '')
}

describe('console: roles (DESIGN §5)', () => {
  it('creates, edits, gives permissions, assigns users, removes them, and deletes', async () => {
    const s = await consoleSession(t)
    const role = await createRole(s)
    expect(role).toMatch(/^\/admin\/roles\/rol_/)
    expect(await (await s.get('/admin/roles')).text()).toContain('Reader')

    expect((await s.post(role, { name: 'Readers', description: 'x' })).status).toBe(303)
    expect((await s.post(`${role}/permissions`, { permission: READ })).status).toBe(303)
    expect((await s.post(`${role}/users`, { user_id: 'auth0|ana' })).status).toBe(303)
    const html = await (await s.get(role)).text()
    expect(html).toContain('Role <bdi>Readers</bdi>')
    expect(html).toMatch(/data-testid="role-permissions"[\s\S]*read:messages/)
    expect(html).toContain('href="/admin/users/auth0%7Cana"')

    const roleId = role.split('/').pop() ?? ''
    const names = await t.store.permissions.namesFor(t.tenant.id, 'auth0|ana', DEMO.audience)
    expect([...names]).toEqual(['read:messages'])

    expect((await s.post(`${role}/permissions`, { remove: READ })).status).toBe(303)
    expect((await s.post(`${role}/users`, { remove: 'auth0|ana' })).status).toBe(303)
    expect((await t.store.roles.users(t.tenant.id, roleId, { page: 0, perPage: 10 })).total).toBe(0)
    expect((await s.post(`${role}/delete`, {})).status).toBe(303)
    expect(await t.store.roles.get(t.tenant.id, roleId)).toBeUndefined()
  })

  it('shows a taken or bad name beside the field, keeping the input', async () => {
    const s = await consoleSession(t)
    await createRole(s)
    const taken = await s.post('/admin/roles', { name: 'Reader', description: 'mine' })
    expect(taken.status).toBe(400)
    const html = await taken.text()
    expect(html).toMatch(/id="name-error">is already the name of another role/)
    expect(html).toContain('value="mine"')
    const long = await s.post('/admin/roles', { name: 'x'.repeat(51) })
    expect(await long.text()).toMatch(/id="name-error">must be at most 50 characters/)
  })

  it('refuses without the form token, and without the scope (hidden, then 403)', async () => {
    const s = await consoleSession(t)
    expect((await s.post('/admin/roles', { name: 'X' }, false)).status).toBe(403)
    const scoped = await scopedApp()
    try {
      const reader = await consoleSession(scoped.t, await scoped.token('read:roles'))
      const admin = await consoleSession(scoped.t)
      const role = await createRole(admin)
      const html = await (await reader.get(role)).text()
      expect(html).not.toContain('Add permission')
      expect(html).not.toContain('Delete the role')
      expect((await reader.post(`${role}/permissions`, { permission: READ })).status).toBe(403)
      expect((await reader.post(`${role}/delete`, {})).status).toBe(403)
      expect((await reader.post('/admin/roles', { name: 'Y' })).status).toBe(403)
      expect((await reader.get('/admin/users/auth0%7Cana')).status).toBe(403)
    } finally {
      await scoped.close()
    }
  })
})

describe('console: users by id (DESIGN §5)', () => {
  it('shows permissions with their sources, roles, and grants; assigns, gives and revokes', async () => {
    const s = await consoleSession(t)
    const role = await createRole(s)
    await s.post(`${role}/permissions`, { permission: READ })
    const user = '/admin/users/auth0%7Cbo'
    // A user never seen in a consent request is not in the list; their page opens by id.
    const search = await (await s.get('/admin/users?q=auth0|bo')).text()
    expect(search).toContain('data-testid="no-users"')
    expect(search).toContain(`href="${user}" data-testid="open-user"`)

    const roleId = role.split('/').pop() ?? ''
    expect((await s.post(`${user}/roles`, { role_id: roleId })).status).toBe(303)
    expect(
      (await s.post(`${user}/permissions`, { permission: `${DEMO.audience} write:messages` }))
        .status,
    ).toBe(303)
    await t.store.grants.merge(t.tenant.id, 'auth0|bo', DEMO.clientId, DEMO.audience, [
      'read:messages',
    ])
    let html = await (await s.get(user)).text()
    const table = /data-testid="user-permissions"[\s\S]*?<\/table>/.exec(html)?.[0] ?? ''
    expect(table).toMatch(/read:messages[\s\S]*Role Reader/)
    expect(table).toMatch(/write:messages[\s\S]*Direct/)
    expect(html).toMatch(/data-testid="user-roles"[\s\S]*Reader/)
    const grantId = /name="revoke" value="([^"]+)"/.exec(html)?.[1] ?? ''
    expect(grantId).not.toBe('')

    expect((await s.post(`${user}/grants`, { revoke: grantId })).status).toBe(303)
    expect((await s.post(`${user}/roles`, { remove: roleId })).status).toBe(303)
    html = await (await s.get(user)).text()
    expect(html).not.toContain('data-testid="user-grants"')
    expect(html).not.toContain('Role Reader')
  })

  it('refuses a post without the form token (403), and assigns nothing', async () => {
    const s = await consoleSession(t)
    const role = await createRole(s)
    const roleId = role.split('/').pop() ?? ''
    const res = await s.post('/admin/users/auth0%7Cbo/roles', { role_id: roleId }, false)
    expect(res.status).toBe(403)
    expect(
      (await t.store.userRoles.list(t.tenant.id, 'auth0|bo', { page: 0, perPage: 5 })).total,
    ).toBe(0)
  })

  it('names an unknown permission beside the field', async () => {
    const s = await consoleSession(t)
    const res = await s.post('/admin/users/auth0%7Cbo/permissions', { permission: '' })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/id="permission-error">choose a permission/)
  })

  it('refuses changes without update:users or delete:grants (403)', async () => {
    const scoped = await scopedApp()
    try {
      const reader = await consoleSession(scoped.t, await scoped.token('read:users read:grants'))
      const html = await (await reader.get('/admin/users/auth0%7Cbo')).text()
      expect(html).not.toContain('Assign a role')
      expect(html).not.toContain('Give a permission')
      expect(
        (await reader.post('/admin/users/auth0%7Cbo/permissions', { permission: READ })).status,
      ).toBe(403)
      expect(
        (await reader.post('/admin/users/auth0%7Cbo/grants', { revoke: 'cgr_x' })).status,
      ).toBe(403)
    } finally {
      await scoped.close()
    }
  })
})
