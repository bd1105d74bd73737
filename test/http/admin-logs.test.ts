import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consoleSession, scopedApp } from '../support/console.js'
import { management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

describe('the audit trail (DESIGN §5)', () => {
  it('records changes through the API and the console, listed by GET /api/v2/logs and /admin/logs', async () => {
    const api = management(t)
    expect((await api('PATCH', `/clients/${DEMO.clientId}`, { name: 'Mail' })).status).toBe(200)
    const s = await consoleSession(t)
    const rs = await t.store.resourceServers.find(t.tenant.id, DEMO.audience)
    await s.post(`/admin/apis/${rs?.id}/permissions`, { value: 'read:x', description: 'X' })
    await s.post('/admin/settings', {
      friendly_name: 'Acme Corp',
      logo_url: '',
      primary_color: '#0e7490',
      default_locale: 'en',
      locale_en: 'on',
      allowed_return_urls: '',
    })

    const logs = await api('GET', '/logs?include_totals=true')
    expect(logs.status).toBe(200)
    expect(logs.body.total).toBe(3)
    const [settings, scopes, client] = logs.body.logs
    expect(client).toMatchObject({
      type: 'sapi',
      description: 'Update a client',
      user_name: 'admin token',
      details: {
        via: 'api',
        action: 'client.update',
        target: DEMO.clientId,
        before: { name: 'Mail Helper' },
        after: { name: 'Mail' },
      },
    })
    expect(scopes.details).toMatchObject({ via: 'console', target: DEMO.audience })
    expect(scopes.details.after.scopes.map((x: { value: string }) => x.value)).toContain('read:x')
    expect(settings.details.before.friendly_name).toBe('Acme')
    expect(settings.details.after.friendly_name).toBe('Acme Corp')

    const page = await (await s.get('/admin/logs')).text()
    expect(page).toMatch(
      /data-testid="log-list"[\s\S]*Update the tenant settings[\s\S]*Update an API[\s\S]*Update a client/,
    )
  })

  it('names the JWT subject, and needs read:logs', async () => {
    const scoped = await scopedApp()
    try {
      const token = await scoped.token('update:clients read:clients')
      const api = management(scoped.t, { token })
      expect((await api('PATCH', `/clients/${DEMO.clientId}`, { name: 'Mail' })).status).toBe(200)
      expect((await api('GET', '/logs')).status).toBe(403)
      const admin = management(scoped.t)
      const [entry] = (await admin('GET', '/logs')).body
      expect(entry.user_name).toBe('ops@example.com')
      const reader = await consoleSession(scoped.t, token)
      expect((await reader.get('/admin/logs')).status).toBe(403)
      expect(await (await reader.get('/admin/clients')).text()).not.toContain('href="/admin/logs"')
    } finally {
      await scoped.close()
    }
  })
})
