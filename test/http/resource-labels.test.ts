import { describe, expect, it } from 'vitest'
import { paths } from '../../src/config/paths.js'
import { loadLocaleResources } from '../../src/i18n/i18n.js'
import { DEMO } from '../../src/services/demo.js'
import { adminSignIn, listLines } from '../support/admin.js'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite))

const german = {
  messages: { de: { heading: 'Nachrichten', noun: 'Ihre Nachrichten' } },
  contacts: { de: { heading: 'Kontakte', noun: 'Ihre Kontakte' } },
}

async function openRequest(uiLocales: string) {
  return t.deps.consentFlow.open(t.tenant, {
    clientId: DEMO.clientId,
    userId: DEMO.userId,
    userName: DEMO.userName,
    audience: DEMO.audience,
    scope: 'openid read:messages write:messages read:contacts',
    redirectUri: DEMO.redirectUri,
    returnTo: 'http://localhost:3000/demo/done',
    state: 'xyz',
    uiLocales,
  })
}

describe('resource labels (DESIGN §4.2)', () => {
  it('are set on create and update, spelled as the service spells its locales, and read back', async () => {
    const created = await api('POST', '/resource-servers', {
      identifier: 'https://labels.example/',
      scopes: [{ value: 'read:messages' }],
      consent_resources: {
        messages: {
          'pt-br': { heading: 'Mensagens', noun: 'suas mensagens' },
          fr: { heading: 'Messages', noun: 'vos messages' },
        },
      },
    })
    expect(created.status).toBe(201)
    expect(created.body.consent_resources).toEqual({
      messages: {
        'pt-BR': { heading: 'Mensagens', noun: 'suas mensagens' },
        fr: { heading: 'Messages', noun: 'vos messages' },
      },
    })
    const id = created.body.id as string
    expect((await api('GET', `/resource-servers/${id}`)).body).toEqual(created.body)

    // PATCH replaces them, like scopes; other changes keep them.
    const patched = await api('PATCH', `/resource-servers/${id}`, { consent_resources: german })
    expect(patched.body.consent_resources).toEqual(german)
    expect(
      (await api('PATCH', `/resource-servers/${id}`, { name: 'X' })).body.consent_resources,
    ).toEqual(german)
    const cleared = await api('PATCH', `/resource-servers/${id}`, { consent_resources: {} })
    expect(cleared.body.consent_resources).toBeUndefined()
  })

  it.each([
    [{ messages: { xx: { heading: 'a', noun: 'b' } } }, /xx is not a locale this service ships/],
    [{ messages: { de: { heading: '', noun: 'b' } } }, /heading/],
    [{ messages: { de: { heading: 'a', noun: 'b'.repeat(101) } } }, /noun/],
    [{ messages: { de: { heading: 'a\u202Eb', noun: 'b' } } }, /U\+202E/],
    [{ messages: { de: { heading: 'a', noun: '<b>' } } }, /noun/],
    [{ messages: { de: { heading: 'a' } } }, /noun/],
    [{ messages: { de: { heading: 'a', noun: 'b', gender: 'f' } } }, /gender/],
    [{ 'two words': { de: { heading: 'a', noun: 'b' } } }, /consent_resources\.two words/],
    [{ messages: { 'not a tag': { heading: 'a', noun: 'b' } } }, /messages\.not a tag/],
  ])('refuses %j', async (consentResources, message) => {
    const res = await api('POST', '/resource-servers', {
      identifier: 'https://labels.example/',
      consent_resources: consentResources,
    })
    expectError(res, 400, 'invalid_body', message)
  })

  it('is in the OpenAPI document', async () => {
    const doc = (await api('GET', '/openapi.json')).body as {
      components?: unknown
      paths: Record<string, Record<string, unknown>>
    }
    expect(JSON.stringify(doc.paths['/resource-servers'])).toContain('consent_resources')
  })

  it('make a German page read entirely in German', async () => {
    // Without labels (the demo's removed), the admin's words sit in a German sentence.
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      consent_resources: {},
    })
    const before = await openRequest('de')
    expect(
      listLines(await (await t.app.request(`/consent/${before.id}`)).text(), 'scope-lines'),
    ).toEqual(['Messages: Ihre messages lesen und schreiben', 'Contacts: Ihre contacts lesen'])

    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      consent_resources: german,
    })
    const request = await openRequest('de')
    const html = await (await t.app.request(`/consent/${request.id}`)).text()
    expect(html).toContain('<html lang="de" dir="ltr">')
    expect(listLines(html, 'scope-lines')).toEqual([
      'Nachrichten: Ihre Nachrichten lesen und schreiben',
      'Kontakte: Ihre Kontakte lesen',
    ])
    // The API's words stay isolated, as everything an admin wrote.
    expect(html).toContain(
      '<bdi>Nachrichten</bdi>: <bdi>Ihre Nachrichten</bdi> lesen und schreiben',
    )

    // Another language without labels falls back to the admin's words in a full sentence.
    const french = await openRequest('fr')
    expect(
      listLines(await (await t.app.request(`/consent/${french.id}`)).text(), 'scope-lines'),
    ).toContain('Messages\u202F: lire et écrire vos messages')
  })

  it('missing for the previewed language are named in the preview, one resource at a time', async () => {
    await api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, {
      consent_resources: { messages: german.messages },
    })
    const { cookie } = await adminSignIn(t)
    const preview = async (locale: string) => {
      const query = `audience=${encodeURIComponent(DEMO.audience)}&client_id=${DEMO.clientId}&locale=${locale}`
      return (await t.app.request(`/admin/preview?${query}`, { headers: { cookie } })).text()
    }
    const de = await preview('de')
    expect(de).toContain('No German label for “contacts”')
    expect(de).not.toContain('No German label for “messages”')
    expect(listLines(de, 'scope-lines-grouped')).toContain(
      'Nachrichten: Ihre Nachrichten lesen und schreiben',
    )
    const ja = await preview('ja')
    expect(ja).toContain('No Japanese label for “messages”')
    expect(ja).toContain('No Japanese label for “contacts”')
    expect(await preview('en')).not.toContain('No English label')
  })

  // French spells both words as English does; everywhere else an English word is a leak.
  const sharesTheWords = new Set(['en', 'fr'])
  const locales = Object.keys(loadLocaleResources(paths.locales))

  it('make the demo read in each shipped language without an English word', async () => {
    expect(locales).toHaveLength(31)
    for (const locale of locales) {
      const request = await openRequest(locale)
      const html = await (await t.app.request(`/consent/${request.id}`)).text()
      const lines = listLines(html, 'scope-lines')
      expect(lines, locale).toHaveLength(2)
      const labels = (await t.store.resourceServers.find(t.tenant.id, DEMO.audience))
        ?.consentResources
      for (const [i, resource] of ['messages', 'contacts'].entries()) {
        // English needs none: the API's own words are English already.
        if (locale === 'en') continue
        const label = labels?.[resource]?.[locale]
        expect(label, `${locale} ${resource}`).toBeDefined()
        expect(lines[i], locale).toContain(label?.heading)
        expect(lines[i], locale).toContain(label?.noun)
      }
      if (!sharesTheWords.has(locale)) {
        expect(lines.join(' '), locale).not.toMatch(/\b(messages|contacts)\b/i)
      }
    }
  })
})
