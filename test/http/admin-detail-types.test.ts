import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consoleSession, scopedApp } from '../support/console.js'
import { htmlForm } from '../support/html-form.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/* The console's Authorization details tab of an API (DESIGN §3.9, §5). */

let t: TestApp

eachTestApp((suite) => {
  t = suite.t
})

const SCHEMA = JSON.stringify({
  type: 'object',
  required: ['instructedAmount', 'creditorName'],
  properties: {
    instructedAmount: {
      type: 'object',
      properties: { currency: { type: 'string' }, amount: { type: 'string' } },
    },
    creditorName: { type: 'string', maxLength: 70 },
  },
})
const SAMPLE = JSON.stringify({
  instructedAmount: { currency: 'EUR', amount: '123.50' },
  creditorName: 'Merchant A',
})

async function tabOf() {
  const api = await t.store.resourceServers.find(t.tenant.id, DEMO.audience)
  return `/admin/apis/${api?.id}/details`
}

const stored = async () =>
  (await t.store.resourceServers.find(t.tenant.id, DEMO.audience))?.authorizationDetails ?? []

/** The rendered column of each template row of the tab. */
const renderedCells = (html: string) =>
  [...html.matchAll(/<td data-testid="rendered" lang="[^"]*" dir="auto">([\s\S]*?)<\/td>/g)].map(
    (m) => (m[1] ?? '').replace(/<\/?bdi>/g, ''),
  )

async function addPayment(s: Awaited<ReturnType<typeof consoleSession>>, tab: string) {
  const res = await s.post(tab, {
    type: 'payment_initiation',
    schema: SCHEMA,
    templates:
      'en: Pay {instructedAmount} to {creditorName}\nfr: Payer {instructedAmount} à {creditorName}',
  })
  expect(res.status).toBe(303)
  return res
}

describe('console: an API’s detail types', () => {
  it('is a tab of the API; adds a type with its schema and templates, and says so', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    const permissions = await (await s.get(tab.replace(/details$/, 'permissions'))).text()
    expect(permissions).toContain(`href="${tab}">Authorization details</a>`)

    const res = await addPayment(s, tab)
    expect(res.headers.get('location')).toBe(`${tab}?done=added`)
    expect(await stored()).toEqual([
      {
        type: 'payment_initiation',
        schema: JSON.parse(SCHEMA),
        consentTemplates: {
          en: 'Pay {instructedAmount} to {creditorName}',
          fr: 'Payer {instructedAmount} à {creditorName}',
        },
      },
    ])
    const html = await (await s.get(`${tab}?done=added`)).text()
    expect(html).toMatch(/role="status" data-testid="console-status">Added\.</)
    expect(html).toContain('<code><bdi>payment_initiation</bdi></code>')
    expect(html).toContain('<th scope="row">French (fr)</th>')
    // Audited like every change of the API.
    const { items } = await t.deps.audit.list(t.tenant.id, { page: 0, perPage: 5 })
    expect(items[0]?.action).toBe('resource_server.update')
  })

  it('renders each template with the admin’s sample, server-side, in the template’s language', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    await addPayment(s, tab)
    const query = new URLSearchParams({ type: 'payment_initiation', sample: SAMPLE })
    const html = await (await s.get(`${tab}?${query}`)).text()
    expect(renderedCells(html)).toEqual([
      'Pay €123.50 to Merchant A',
      'Payer 123,50\u00A0€ à Merchant A',
    ])
    // The sample's fields as the prompt lists them under the line.
    expect(html).toContain('data-testid="sample-fields"')
    expect(html).toContain('<dt><bdi>instructedAmount</bdi></dt><dd><bdi>€123.50</bdi></dd>')
    // A sample is someone's words: escaped, and its markup shown as text.
    const hostile = new URLSearchParams({
      type: 'payment_initiation',
      sample: JSON.stringify({
        instructedAmount: { currency: 'EUR', amount: '1' },
        creditorName: '<img src=x onerror=alert(1)>',
      }),
    })
    const escaped = await (await s.get(`${tab}?${hostile}`)).text()
    expect(escaped).not.toContain('<img src=x')
    expect(renderedCells(escaped)[0]).toBe('Pay €1.00 to &lt;img src=x onerror=alert(1)&gt;')
  })

  it('says why a sample cannot be rendered: not JSON, or refused by the schema', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    await addPayment(s, tab)
    const notJson = await s.get(
      `${tab}?${new URLSearchParams({ type: 'payment_initiation', sample: '{oops' })}`,
    )
    expect(notJson.status).toBe(200)
    expect(await notJson.text()).toMatch(/id="type-0-sample-error">Not JSON/)
    const refused = await (
      await s.get(
        `${tab}?${new URLSearchParams({ type: 'payment_initiation', sample: '{"creditorName":"A"}' })}`,
      )
    ).text()
    expect(refused).toContain(
      'Invalid authorization_details: authorization_details[0].instructedAmount: must have required property',
    )
    // A field the template names is missing: the page would fall back, and the tab says so.
    expect(renderedCells(refused)[0]).toContain('The sample does not fill this template')
  })

  it('says so when a sample does not fill a template, as the page falls back', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    const added = await s.post(tab, { type: 'due', schema: '', templates: 'en: Due {when, date}' })
    expect(added.status).toBe(303)
    const query = new URLSearchParams({ type: 'due', sample: '{"when":"soon"}' })
    const res = await s.get(`${tab}?${query}`)
    expect(res.status).toBe(200)
    expect(renderedCells(await res.text())[0]).toContain('The sample does not fill this template')
  })

  it('edits one language’s template, adds another, and clears one with an empty template', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    await addPayment(s, tab)
    const html = await (await s.get(tab)).text()
    // The form the page serves for the English row, as a browser submits it.
    const english = htmlForm(html, (f) =>
      f.entries().some(([k, v]) => k === 'locale' && v === 'en'),
    )
    const edit = await s.submit(english, { template: 'Send {instructedAmount} to {creditorName}' })
    expect(edit.status).toBe(303)
    expect(edit.headers.get('location')).toBe(`${tab}?done=saved`)
    const added = await s.post(`${tab}/template`, {
      type: 'payment_initiation',
      locale: 'de',
      template: '{instructedAmount} an {creditorName} zahlen',
    })
    expect(added.status).toBe(303)
    const cleared = await s.post(`${tab}/template`, {
      type: 'payment_initiation',
      locale: 'fr',
      template: '',
    })
    expect(cleared.status).toBe(303)
    expect((await stored())[0]?.consentTemplates).toEqual({
      en: 'Send {instructedAmount} to {creditorName}',
      de: '{instructedAmount} an {creditorName} zahlen',
    })
    const query = new URLSearchParams({ type: 'payment_initiation', sample: SAMPLE })
    expect(renderedCells(await (await s.get(`${tab}?${query}`)).text())).toEqual([
      'Send €123.50 to Merchant A',
      '123,50\u00A0€ an Merchant A zahlen',
    ])
  })

  it('removes a type behind a confirmation', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    await addPayment(s, tab)
    const html = await (await s.get(tab)).text()
    expect(html).toMatch(
      /<details class="confirm">\s*<summary class="button secondary small">Remove/,
    )
    const res = await s.post(`${tab}/remove`, { type: 'payment_initiation' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${tab}?done=removed`)
    expect(await stored()).toEqual([])
    const unknown = await s.post(`${tab}/remove`, { type: 'payment_initiation' })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('payment_initiation is not a detail type of this API')
  })

  it('refuses a template that does not parse, beside its field, keeping the input; nothing saved', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    const bad = await s.post(tab, {
      type: 'payment_initiation',
      schema: '',
      templates: 'en: Pay {instructedAmount to {creditorName}',
    })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toMatch(
      /id="detail-templates-error">the en template is not an ICU MessageFormat message/,
    )
    expect(html).toContain('value="payment_initiation"')
    expect(html).toContain('en: Pay {instructedAmount to {creditorName}</textarea>')
    expect(await stored()).toEqual([])

    await addPayment(s, tab)
    const before = await stored()
    const edit = await s.post(`${tab}/template`, {
      type: 'payment_initiation',
      locale: 'en',
      template: 'Pay {instructedAmount, plural, one {x}',
    })
    expect(edit.status).toBe(400)
    const page = await edit.text()
    expect(page).toMatch(/id="type-0-0-error">the en template is not an ICU MessageFormat message/)
    expect(page).toContain('Pay {instructedAmount, plural, one {x}</textarea>')
    expect(await stored()).toEqual(before)
  })

  it('refuses a schema that is not JSON or that ajv refuses, and a bad type name; nothing saved', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    for (const [fields, error] of [
      [{ schema: '{"type": ' }, /id="detail-schema-error">is not JSON/],
      [{ schema: '[1]' }, /id="detail-schema-error">must be a JSON object/],
      [
        { schema: '{"type": "object", "propertiez": {}}' },
        /id="detail-schema-error">is not a usable JSON Schema: strict mode: unknown keyword: &quot;propertiez&quot;/,
      ],
      [{ schema: '{"type": "nonsense"}' }, /id="detail-schema-error">is not a usable JSON Schema/],
      [{ type: 'has space' }, /id="detail-type-error">must be printable ASCII without spaces/],
    ] as const) {
      const res = await s.post(tab, {
        type: 'payment_initiation',
        schema: '',
        templates: '',
        ...fields,
      })
      expect(res.status).toBe(400)
      expect(await res.text()).toMatch(error)
    }
    expect(await stored()).toEqual([])
    await addPayment(s, tab)
    const again = await s.post(tab, { type: 'payment_initiation', schema: '', templates: '' })
    expect(again.status).toBe(400)
    expect(await again.text()).toMatch(
      /id="detail-type-error">is already a detail type of this API/,
    )
  })

  it('refuses by the Management API’s rules, in the same words', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    const schema = { type: 'object', propertiez: {} }
    const form = await (
      await s.post(tab, { type: 'x', schema: JSON.stringify(schema), templates: '' })
    ).text()
    const reason = /id="detail-schema-error">([^<]*)</.exec(form)?.[1] ?? 'none'
    const res = await t.app.request(
      `/api/v2/resource-servers/${encodeURIComponent(DEMO.audience)}`,
      {
        method: 'PATCH',
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ authorization_details: [{ type: 'x', schema }] }),
      },
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as { message: string }).message).toContain(
      reason.replaceAll('&quot;', '"'),
    )
  })

  it('shows a hostile type name as text', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    const type = '"><b>bold</b><script>alert(1)</script>'
    expect((await s.post(tab, { type, schema: '', templates: 'en: Pay' })).status).toBe(303)
    const html = await (await s.get(tab)).text()
    expect(html).not.toContain('<b>bold</b>')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;')
    expect((await stored())[0]?.type).toBe(type)
  })

  it('refuses every post without the session’s form token (403), and changes nothing', async () => {
    const s = await consoleSession(t)
    const tab = await tabOf()
    await addPayment(s, tab)
    const before = await stored()
    for (const [path, fields] of [
      [tab, { type: 'other', schema: '', templates: '' }],
      [`${tab}/template`, { type: 'payment_initiation', locale: 'en', template: 'Hacked' }],
      [`${tab}/remove`, { type: 'payment_initiation' }],
    ] as const) {
      expect((await s.post(path, fields, false)).status).toBe(403)
      expect((await s.post(path, { ...fields, csrf: 'forged' }, false)).status).toBe(403)
    }
    // Another session's token is no token for this one.
    const other = await consoleSession(t)
    expect(
      (
        await t.app.request(`${tab}/remove`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: s.cookie },
          body: new URLSearchParams({ csrf: other.csrf, type: 'payment_initiation' }).toString(),
        })
      ).status,
    ).toBe(403)
    expect(await stored()).toEqual(before)
    // Without a session, the tab is the login page.
    expect((await t.app.request(tab)).headers.get('location')).toBe('/admin/login')
  })

  it('shows a reader the types without forms, and refuses their posts (403)', async () => {
    const scoped = await scopedApp()
    try {
      const st = scoped.t
      const api = await st.store.resourceServers.find(st.tenant.id, DEMO.audience)
      const tab = `/admin/apis/${api?.id}/details`
      const writer = await consoleSession(st)
      expect(
        (await writer.post(tab, { type: 'payment_initiation', schema: '', templates: 'en: Pay' }))
          .status,
      ).toBe(303)
      const reader = await consoleSession(st, await scoped.token('read:resource_servers'))
      const html = await (await reader.get(tab)).text()
      expect(html).toContain('payment_initiation')
      expect(html).not.toContain('Add a detail type')
      expect(html).not.toContain(`method="post" action="${tab}/remove"`)
      expect((await reader.post(tab, { type: 'x', schema: '', templates: '' })).status).toBe(403)
      expect((await reader.post(`${tab}/remove`, { type: 'payment_initiation' })).status).toBe(403)
      expect(
        (
          await reader.post(`${tab}/template`, {
            type: 'payment_initiation',
            locale: 'en',
            template: 'x',
          })
        ).status,
      ).toBe(403)
    } finally {
      await scoped.close()
    }
  })
})
