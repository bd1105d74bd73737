import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { missingResourceLabels } from '../../src/consent/index.js'
import { DEMO } from '../../src/services/demo.js'
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

/** An API with `read:notes`, `write:notes` and `read:files`, no label yet; its id. */
async function notesApi(): Promise<string> {
  const res = await management(t)('POST', '/resource-servers', {
    identifier: 'https://notes.example',
    name: 'Notes',
    scopes: [
      { value: 'read:notes', description: 'Read your notes' },
      { value: 'write:notes', description: 'Write notes' },
      { value: 'read:files', description: 'Read your files' },
      { value: 'plain', description: 'A plain scope' },
    ],
  })
  expect(res.status).toBe(201)
  return res.body.id
}

describe('the rule: which languages still lack a label (DESIGN §4.2)', () => {
  it('lists every resource the scopes name, in API order, and the languages without a label', () => {
    const api = {
      scopes: [{ value: 'read:notes' }, { value: 'plain' }, { value: 'read:files' }].map((s) => ({
        ...s,
        description: '',
      })),
      consentResources: { notes: { 'pt-BR': { heading: 'Notas', noun: 'suas notas' } } },
    }
    expect(missingResourceLabels(api, ['en', 'de', 'pt-BR', 'pt-PT'])).toEqual([
      // A language's label serves its other regions, as on the prompt; English needs none.
      { resource: 'notes', missing: ['de'] },
      { resource: 'files', missing: ['de', 'pt-BR', 'pt-PT'] },
    ])
  })
})

describe('console: an API’s Labels tab (DESIGN §5)', () => {
  it('lists the resources with the languages still missing, by name', async () => {
    const id = await notesApi()
    const s = await consoleSession(t)
    const html = await (await s.get(`/admin/apis/${id}/labels`)).text()
    expect(html).toContain('aria-current="page">Labels</a>')
    const missing = [...html.matchAll(/data-testid="missing-labels">([^<]*)</g)].map((m) => m[1])
    expect(missing).toHaveLength(2)
    expect(missing[0]).toContain(`No label yet in ${t.deps.i18n.locales.length - 1} languages`)
    expect(missing[0]).toContain('German')
    expect(missing[0]).toContain('Brazilian Portuguese')
    expect(missing[0]).not.toContain('English')
    expect(html).not.toContain('<code><bdi>plain</bdi>')
  })

  it('saves a resource’s labels, and the German prompt uses them', async () => {
    const id = await notesApi()
    const s = await consoleSession(t)
    const tab = `/admin/apis/${id}/labels?resource=notes`
    const form = htmlForm(await (await s.get(tab)).text(), (f) => f.action === tab)
    const res = await s.submit(form, {
      heading_de: 'Notizen',
      noun_de: 'Ihre Notizen',
      heading_fr: 'Notes',
      noun_fr: 'vos notes',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${tab}&done=saved`)
    const api = await t.store.resourceServers.find(t.tenant.id, id)
    expect(api?.consentResources).toEqual({
      notes: {
        de: { heading: 'Notizen', noun: 'Ihre Notizen' },
        fr: { heading: 'Notes', noun: 'vos notes' },
      },
    })
    const after = await (await s.get(`${tab}&done=saved`)).text()
    expect(after).toContain('role="status" data-testid="console-status">Saved.')
    expect(after).toContain('value="Notizen"')
    expect(after).not.toMatch(
      /data-testid="missing-labels">[^<]*German[^<]*<\/span>\s*<\/div>\s*<\/li>\s*<li[\s\S]*files/,
    )
    // The preview in German names the resource in German.
    const preview = await (
      await s.get(
        '/admin/preview?audience=https%3A%2F%2Fnotes.example&locale=de&client_id=mail-helper',
      )
    ).text()
    expect(preview.replace(/<\/?bdi>/g, '')).toContain('Notizen: ')

    // Both blank removes a language's label; the other languages stay.
    const again = htmlForm(await (await s.get(tab)).text(), (f) => f.action === tab)
    await s.submit(again, { heading_fr: '', noun_fr: '' })
    expect((await t.store.resourceServers.find(t.tenant.id, id))?.consentResources).toEqual({
      notes: { de: { heading: 'Notizen', noun: 'Ihre Notizen' } },
    })
  })

  it('refuses half a label, markup and bidi controls beside the field, and stores nothing', async () => {
    const id = await notesApi()
    const s = await consoleSession(t)
    const tab = `/admin/apis/${id}/labels?resource=notes`
    for (const [changes, field] of [
      [{ heading_de: 'Notizen', noun_de: '' }, 'noun_de'],
      [{ heading_de: '<b>x</b>', noun_de: 'y' }, 'heading_de'],
      [{ heading_de: 'Not\u202Eizen', noun_de: 'y' }, 'heading_de'],
    ] as const) {
      const form = htmlForm(await (await s.get(tab)).text(), (f) => f.action === tab)
      const res = await s.submit(form, changes)
      expect(res.status).toBe(400)
      expect(await res.text()).toContain(`id="${field}-error"`)
    }
    expect((await t.store.resourceServers.find(t.tenant.id, id))?.consentResources ?? {}).toEqual(
      {},
    )
  })

  it('labels only a resource the API’s permissions name', async () => {
    const id = await notesApi()
    const s = await consoleSession(t)
    for (const resource of ['nothing', 'plain', '__proto__']) {
      const res = await s.post(`/admin/apis/${id}/labels?resource=${resource}`, {
        heading_de: 'X',
        noun_de: 'Y',
      })
      expect(res.status, resource).toBe(400)
    }
    expect(
      (await s.post(`/admin/apis/${id}/labels`, { heading_de: 'X', noun_de: 'Y' })).status,
    ).toBe(400)
    expect((await t.store.resourceServers.find(t.tenant.id, id))?.consentResources ?? {}).toEqual(
      {},
    )
  })

  it('refuses a post without the form token, and one without update:resource_servers', async () => {
    const id = await notesApi()
    const s = await consoleSession(t)
    const tab = `/admin/apis/${id}/labels?resource=notes`
    expect((await s.post(tab, { heading_de: 'X', noun_de: 'Y' }, false)).status).toBe(403)
    expect((await t.store.resourceServers.find(t.tenant.id, id))?.consentResources ?? {}).toEqual(
      {},
    )
    const scoped = await scopedApp()
    try {
      const reader = await consoleSession(scoped.t, await scoped.token('read:resource_servers'))
      const api = await scoped.t.store.resourceServers.find(scoped.t.tenant.id, DEMO.audience)
      const page = `/admin/apis/${api?.id}/labels?resource=messages`
      const html = await (await reader.get(page)).text()
      expect(html).not.toContain('Save labels')
      expect(html).toMatch(/name="heading_de"[^>]* disabled/)
      expect((await reader.post(page, { heading_de: 'X', noun_de: 'Y' })).status).toBe(403)
    } finally {
      await scoped.close()
    }
  })

  it('is where the preview’s missing-label warning sends the admin', async () => {
    await notesApi()
    const s = await consoleSession(t)
    const api = await t.store.resourceServers.find(t.tenant.id, 'https://notes.example')
    const html = await (
      await s.get('/admin/preview?audience=https%3A%2F%2Fnotes.example&locale=ru')
    ).text()
    expect(html).toContain('No Russian label for “notes”')
    expect(html).toContain(
      `<a href="/admin/apis/${api?.id}/labels?resource=notes" data-testid="warning-fix">Add labels</a>`,
    )
    // Languages by name in the preview's picker.
    expect(html).toContain('<option value="ru" selected>Russian (ru)</option>')
  })
})
