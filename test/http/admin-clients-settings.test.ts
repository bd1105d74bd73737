import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consoleSession, scopedApp } from '../support/console.js'
import { htmlForm } from '../support/html-form.js'
import { management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

const SETTINGS = {
  friendly_name: 'Acme',
  logo_url: '',
  primary_color: '#0e7490',
  default_locale: 'en',
  allowed_return_urls: 'https://as.example/resume',
}

/** The settings form as the page serves it, with `SETTINGS` typed in and only en and fr ticked. */
async function saveSettings(
  s: Awaited<ReturnType<typeof consoleSession>>,
  changes: Record<string, string | boolean> = {},
) {
  const html = await (await s.get('/admin/settings')).text()
  const form = htmlForm(html, (f) => f.action === '/admin/settings')
  const locales = Object.fromEntries(
    t.deps.i18n.locales.map((locale) => [`locale_${locale}`, locale === 'en' || locale === 'fr']),
  )
  return s.submit(form, { ...SETTINGS, ...locales, ...changes })
}

describe('console: clients (DESIGN §5)', () => {
  it('creates, edits with a logo preview that saves nothing, and deletes with its grants', async () => {
    const s = await consoleSession(t)
    const created = await s.post('/admin/clients', { name: 'Photos', client_id: 'photos' })
    expect(created.headers.get('location')).toBe('/admin/clients/photos?done=created')

    const preview = await s.post('/admin/clients/photos', {
      intent: 'preview',
      name: 'Photo Album',
      logo_uri: 'http://photos.example/logo.png',
      callbacks: '',
    })
    const html = await preview.text()
    expect(html).toContain('This logo URL is not https')
    expect(html).toMatch(/data-testid="client-preview"[\s\S]*Photo Album/)
    expect((await t.store.clients.get(t.tenant.id, 'photos'))?.name).toBe('Photos')

    const saved = await s.post('/admin/clients/photos', {
      name: 'Photo Album',
      logo_uri: 'https://photos.example/logo.png',
      callbacks: 'https://photos.example/cb\nhttps://photos.example/cb2',
      is_first_party: 'on',
    })
    expect(saved.status).toBe(303)
    expect(await t.store.clients.get(t.tenant.id, 'photos')).toMatchObject({
      name: 'Photo Album',
      logoUri: 'https://photos.example/logo.png',
      isFirstParty: true,
      callbacks: ['https://photos.example/cb', 'https://photos.example/cb2'],
    })
    expect(await (await s.get('/admin/clients/photos')).text()).toContain(
      'Every grant users gave it goes too',
    )

    await t.store.grants.merge(t.tenant.id, 'u1', 'photos', DEMO.audience, ['read:messages'])
    expect((await s.post('/admin/clients/photos/delete', {})).status).toBe(303)
    expect(await t.store.clients.get(t.tenant.id, 'photos')).toBeUndefined()
    expect(
      (await t.store.grants.list(t.tenant.id, { clientId: 'photos' }, { page: 0, perPage: 5 }))
        .total,
    ).toBe(0)
  })

  it('names the field on a bad logo, a taken id or a bad callback, and keeps the input', async () => {
    const s = await consoleSession(t)
    const taken = await s.post('/admin/clients', { name: 'Again', client_id: DEMO.clientId })
    expect(await taken.text()).toMatch(/id="client_id-error">is already taken/)
    const bad = await s.post(`/admin/clients/${DEMO.clientId}`, {
      name: 'Mail',
      logo_uri: 'javascript:alert(1)',
      callbacks: '',
    })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toMatch(/id="logo_uri-error">must be an http\(s\) URL/)
    expect(html).toContain('value="javascript:alert(1)"')
    expect(
      await (
        await s.post(`/admin/clients/${DEMO.clientId}`, { name: 'M', callbacks: 'nope' })
      ).text(),
    ).toMatch(/id="callbacks-error">/)
    // The console refuses a spoofing name as the Management API does (DESIGN §6).
    const spoof = await s.post(`/admin/clients/${DEMO.clientId}`, {
      name: 'Pay\u202Elapyap',
      callbacks: DEMO.redirectUri,
    })
    expect(spoof.status).toBe(400)
    expect(await spoof.text()).toMatch(/id="name-error">must not contain U\+202E/)
    expect((await t.store.clients.get(t.tenant.id, DEMO.clientId))?.name).not.toContain('\u202E')
  })

  it('refuses without the form token or the scope (403)', async () => {
    const s = await consoleSession(t)
    expect((await s.post('/admin/clients', { name: 'X' }, false)).status).toBe(403)
    const scoped = await scopedApp()
    try {
      const reader = await consoleSession(scoped.t, await scoped.token('read:clients'))
      const html = await (await reader.get(`/admin/clients/${DEMO.clientId}`)).text()
      expect(html).not.toContain('Delete the client')
      expect(html).not.toContain('value="save"')
      expect((await reader.post(`/admin/clients/${DEMO.clientId}/delete`, {})).status).toBe(403)
      expect((await reader.post('/admin/clients', { name: 'X' })).status).toBe(403)
    } finally {
      await scoped.close()
    }
  })
})

describe('console: tenant settings (DESIGN §5)', () => {
  it('saves name, colour, languages, return URLs and flags', async () => {
    const s = await consoleSession(t)
    const res = await saveSettings(s, { use_scope_descriptions_for_consent: true })
    expect(res.status).toBe(303)
    const tenant = await t.store.tenants.get(t.tenant.id)
    expect(tenant?.settings).toMatchObject({
      friendly_name: 'Acme',
      enabled_locales: ['en', 'fr'],
      default_locale: 'en',
      allowed_return_urls: ['https://as.example/resume'],
      branding: { primary_color: '#0e7490' },
      flags: { use_scope_descriptions_for_consent: true },
    })
    // Shown off and left off: not written, so the tenant still has no value of its own.
    expect(tenant?.settings.flags).not.toHaveProperty('enable_granular_consent')
    expect(await (await s.get('/admin/settings')).text()).toContain('href="/admin/preview"')
  })

  it('refuses a primary colour below WCAG AA against white, beside the field, and saves nothing', async () => {
    const s = await consoleSession(t)
    const res = await saveSettings(s, { primary_color: '#ffcc00' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toMatch(
      /id="primary_color-error">has a contrast of 1\.\d+:1 with white text; WCAG AA needs 4\.5:1/,
    )
    expect(html).toContain('value="#ffcc00"')
    expect((await t.store.tenants.get(t.tenant.id))?.settings.branding?.primary_color).not.toBe(
      '#ffcc00',
    )
    // The Management API goes through the same check.
    const api = management(t)
    const refused = await api('PATCH', '/tenants/settings', {
      branding: { primary_color: '#ffcc00' },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.message).toMatch(/primary_color has a contrast/)
  })

  it('an empty list of return URLs hands back to the configured default, never to none', async () => {
    const s = await consoleSession(t)
    await saveSettings(s)
    expect((await t.store.tenants.get(t.tenant.id))?.settings.allowed_return_urls).toEqual([
      'https://as.example/resume',
    ])
    await saveSettings(s, { allowed_return_urls: '' })
    const settings = (await t.store.tenants.get(t.tenant.id))?.settings
    expect(settings && 'allowed_return_urls' in settings).toBe(false)
  })

  it('refuses a default language that is not enabled', async () => {
    const s = await consoleSession(t)
    const res = await saveSettings(s, { default_locale: 'de' })
    expect(await res.text()).toMatch(
      /id="default_locale-error">must be one of enabled_locales, the languages enabled/,
    )
  })

  it('refuses without the form token or update:tenant_settings (403)', async () => {
    const s = await consoleSession(t)
    expect((await s.post('/admin/settings', SETTINGS, false)).status).toBe(403)
    const scoped = await scopedApp()
    try {
      const reader = await consoleSession(scoped.t, await scoped.token('read:tenant_settings'))
      expect(await (await reader.get('/admin/settings')).text()).not.toContain('>Save<')
      expect((await reader.post('/admin/settings', SETTINGS)).status).toBe(403)
    } finally {
      await scoped.close()
    }
  })
})
