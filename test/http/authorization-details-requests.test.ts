import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { adminSignIn } from '../support/admin.js'
import {
  type ConsentBrowser,
  createRequest,
  openRequest,
  type PageSession,
  renditionOf,
} from '../support/consent.js'
import { expectError, type Management } from '../support/management.js'
import { PAYMENT, PAYMENT_TYPE } from '../support/payment.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/* RFC 9396 entries on a consent request, its page, its decision and its receipt (DESIGN §3.9). */

let t: TestApp
let api: Management
let browser: ConsentBrowser

const apiPath = `/resource-servers/${encodeURIComponent(DEMO.audience)}`

eachTestApp(async (suite) => {
  ;({ t, api, browser } = suite)
  const patched = await api('PATCH', apiPath, {
    authorization_details: [PAYMENT_TYPE, { type: 'account_information' }],
  })
  expect(patched.status).toBe(200)
})

const create = (overrides: Record<string, unknown> = {}) =>
  createRequest(api, { authorization_details: [PAYMENT], ...overrides })
const open = (overrides: Record<string, unknown> = {}) =>
  openRequest(api, { authorization_details: [PAYMENT], ...overrides })

/** The entries' list of a page: each line's words and its fields' words, tags removed. */
function detailLines(html: string) {
  const list = /data-testid="authorization-details"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  const plain = (text: string) => text.replace(/<\/?bdi>/g, '')
  return [...list.matchAll(/<li(?: class="changed")?>([\s\S]*?)<\/li>/g)].map((m) => {
    const item = m[1] ?? ''
    return {
      text: plain(/<span class="detail-text">([\s\S]*?)<\/span>/.exec(item)?.[1] ?? ''),
      fields: [...item.matchAll(/<dt>([\s\S]*?)<\/dt><dd>([\s\S]*?)<\/dd>/g)].map(
        (f) => `${plain(f[1] ?? '')}: ${plain(f[2] ?? '')}`,
      ),
      box: /name="authorization_details" value="(\d+)"/.exec(item)?.[1] ?? null,
    }
  })
}

async function visitIn(id: string, locale: string, cookie?: string): Promise<PageSession> {
  const session = await browser.visit(id, cookie)
  return locale === 'en' ? session : browser.switchTo(id, session, locale)
}

describe('authorization_details on POST /consent-requests (DESIGN §3.9)', () => {
  it.each([
    [
      'a type the audience does not declare',
      [PAYMENT, { type: 'crypto_transfer', amount: 1 }],
      'authorization_details[1].type',
    ],
    [
      'an entry its schema refuses, by the field',
      [{ ...PAYMENT, instructedAmount: { currency: 'EUR', amount: 'lots' } }],
      'authorization_details[0].instructedAmount.amount',
    ],
    [
      'an entry missing a required field',
      [{ type: 'payment_initiation', instructedAmount: PAYMENT.instructedAmount }],
      'authorization_details[0].creditorName',
    ],
    ['more than 10 entries', Array.from({ length: 11 }, () => PAYMENT), 'at most 10 entries'],
    [
      'more than 16 KiB',
      [{ type: 'account_information', note: 'x'.repeat(17 * 1024) }],
      'at most 16 KiB',
    ],
    [
      'an entry nested a thousand deep',
      [{ type: 'account_information', deep: JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`) }],
      'nests deeper than 10 levels',
    ],
  ])('refuses %s with 400 invalid_authorization_details', async (_name, entries, names) => {
    const res = await create({ authorization_details: entries })
    expectError(res, 400, 'invalid_authorization_details')
    expect(res.body.message).toContain(names)
  })

  it('refuses entries on a request with no audience: no type is declared there', async () => {
    const res = await create({ audience: undefined, scope: 'openid profile' })
    expectError(res, 400, 'invalid_authorization_details')
  })

  it('refuses an entry without a type, or one that is not an object, as a malformed body', async () => {
    expectError(await create({ authorization_details: [{ amount: 1 }] }), 400, 'invalid_body')
    expectError(await create({ authorization_details: ['pay'] }), 400, 'invalid_body')
  })

  // A client's words reach the page through the AS: "DE\u202E4321" would read as another account.
  it('refuses an entry whose text or field name hides a bidi control or other invisible character', async () => {
    const refused = async (entries: unknown[], field: RegExp) => {
      const res = await create({ authorization_details: entries })
      expectError(res, 400, 'invalid_authorization_details')
      expect(res.body.message).toMatch(field)
    }
    await refused(
      [PAYMENT, { type: 'account_information', iban: 'DE89\u202E3704' }],
      /authorization_details\[1\]\.iban: .*U\+202E/,
    )
    await refused(
      [{ type: 'account_information', accounts: [{ name: 'ok' }, { name: 'a\u2066b' }] }],
      /authorization_details\[0\]\.accounts\.1\.name: .*U\+2066/,
    )
    await refused(
      [{ type: 'account_information', 'limit\u200B': 1 }],
      /authorization_details\[0\]: must not contain U\+200B in a field name/,
    )
    // Persian and emoji keep their joiners, as everywhere else.
    expect(
      (
        await create({
          authorization_details: [{ type: 'account_information', note: 'می\u200Cخواهم' }],
        })
      ).status,
    ).toBe(201)
  })

  it('always prompts, even with every scope granted, and remembers nothing of the entries', async () => {
    // Grant the scopes first, without entries.
    const plain = await open({ authorization_details: undefined })
    const first = await browser.visit(plain)
    expect((await browser.redeem(await browser.answer(plain, 'accept', first))).status).toBe(200)
    expect((await create({ authorization_details: undefined })).body.status).toBe('accepted')
    // With an entry the page is shown, asking only the entry.
    const id = await open()
    const session = await browser.visit(id)
    expect(detailLines(session.html).map((line) => line.text)).toEqual([
      'Pay €123.50 to Merchant A',
    ])
    expect(session.html).not.toContain('will only learn who you are')
    const decision = await browser.redeem(await browser.answer(id, 'accept', session))
    expect(decision.body.authorization_details).toEqual([PAYMENT])
    // The approval was for that one payment: the next one is asked again.
    expect((await create()).body.status).toBe('pending')
    // And `prompt=none` cannot skip it.
    const none = await create({ prompt: 'none' })
    expect(none.body).toMatchObject({ status: 'denied', error: 'consent_required' })
  })
})

describe('the OpenAPI document (DESIGN §4)', () => {
  it('describes authorization_details on the request and on the decision, with its bounds', async () => {
    const doc = await (await t.app.request('/api/v2/openapi.json')).json()
    const text = JSON.stringify(doc.paths['/consent-requests'].post)
    expect(text).toContain('authorization_details')
    expect(text).toContain('at most 10 entries and 16 KiB')
    const verify = JSON.stringify(doc.paths['/consent-requests/{id}/verify'].post.responses)
    expect(verify).toContain('authorization_details')
  })
})

describe('the page of a request with authorization_details (DESIGN §3.9)', () => {
  it('shows one line per entry in the page’s language, with its fields under it in a <details>', async () => {
    const id = await open({
      authorization_details: [PAYMENT, { type: 'account_information', actions: ['list'] }],
    })
    const en = await visitIn(id, 'en')
    expect(en.html).toContain('<details class="detail-fields"><summary>Details</summary>')
    expect(detailLines(en.html)).toEqual([
      {
        text: 'Pay €123.50 to Merchant A',
        fields: ['instructed amount: €123.50', 'creditor name: Merchant A'],
        box: null,
      },
      { text: 'Type of request: account information', fields: ['Actions: list'], box: null },
    ])
    const fr = detailLines((await visitIn(id, 'fr', en.cookie)).html)
    expect(fr[0]?.text).toBe('Payer 123,50\u00a0€ à Merchant A')
    expect(fr[1]).toMatchObject({ text: 'Type de demande\u202f: account information' })
    expect(fr[1]?.fields).toEqual(['Actions: list'])
    const de = detailLines((await visitIn(id, 'de', en.cookie)).html)
    expect(de[0]?.text).toBe('123,50\u00a0€ an Merchant A zahlen')
  })

  it('without a template for the language, reads the entry’s fields in that language, never JSON', async () => {
    const id = await open({
      authorization_details: [
        { ...PAYMENT, instructedAmount: { currency: 'EUR', amount: '1234.5' } },
        { type: 'account_information', identifier: 'acc-7', recurring: true, until: '2027-03-01' },
      ],
    })
    const es = await visitIn(id, 'es')
    const lines = detailLines(es.html)
    expect(lines[0]?.text).toBe('Tipo de solicitud: payment initiation')
    expect(lines[0]?.fields).toEqual([
      'instructed amount: 1234,50\u00a0€',
      'creditor name: Merchant A',
    ])
    expect(lines[1]?.fields).toEqual([
      'Identificador: acc-7',
      'recurring: sí',
      'until: 1 de marzo de 2027',
    ])
    const list =
      /data-testid="authorization-details"[^>]*>([\s\S]*?)<\/ul>/.exec(es.html)?.[1] ?? ''
    expect(list.replace(/<[^>]*>/g, '')).not.toMatch(/[{}"[\]]/)
  })

  it('an entry whose field a template’s format cannot take reads as its type, never a failed page', async () => {
    await api('PATCH', apiPath, {
      authorization_details: [{ type: 'due', consent_templates: { en: 'Due {when, date}' } }],
    })
    const id = await open({ authorization_details: [{ type: 'due', when: 'soon' }] })
    const { html, status } = await browser.visit(id)
    expect(status).toBe(200)
    expect(detailLines(html)[0]).toMatchObject({ fields: ['when: soon'] })
  })

  it('an entry naming __proto__ or constructor pollutes nothing, and shows no such field', async () => {
    const entry = JSON.parse(
      '{"type":"account_information","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
    )
    const id = await open({ authorization_details: [entry] })
    const { html, status } = await browser.visit(id)
    expect(status).toBe(200)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(detailLines(html)[0]?.fields).toEqual(['constructor › prototype › polluted: yes'])
  })

  it('escapes and isolates script and markup in an entry’s fields and names', async () => {
    await api('PATCH', apiPath, {
      authorization_details: [PAYMENT_TYPE, { type: 'account_information' }],
    })
    const id = await open({
      authorization_details: [
        { ...PAYMENT, creditorName: '<script>alert(1)</script>' },
        { type: 'account_information', '<img src=x onerror=alert(1)>': '"><svg onload=alert(2)>' },
      ],
    })
    const { html } = await browser.visit(id)
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<svg onload')
    expect(html).toContain('<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })
})

describe('the answer, the decision and the receipt (DESIGN §3.9, §3.6)', () => {
  it('returns the approved entries exactly as requested, and the receipt quotes their lines', async () => {
    const entry = { ...PAYMENT, remittanceInformationUnstructured: 'Ref 42', extra: { a: [1, 2] } }
    await api('PATCH', apiPath, {
      authorization_details: [
        { ...PAYMENT_TYPE, schema: undefined },
        { type: 'account_information' },
      ],
    })
    const id = await open({ authorization_details: [entry] })
    const session = await visitIn(id, 'fr')
    const decision = await browser.redeem(await browser.answer(id, 'accept', session))
    expect(decision.status).toBe(200)
    expect(decision.body.authorization_details).toEqual([entry])
    const receipt = (await api('GET', `/consent-receipts/${decision.body.receipt_id}`)).body
    expect(receipt.authorization_details).toEqual([
      { text: 'Payer 123,50\u00a0€ à Merchant A', entry },
    ])
    expect(receipt.locale).toBe('fr')
    // Signed with the rest of the receipt.
    const signed = JSON.parse(Buffer.from(receipt.jws.split('.')[1], 'base64url').toString())
    expect(signed.authorization_details).toEqual(receipt.authorization_details)
    // Nothing about the entry is in the grant.
    const grants = (await api('GET', `/grants?user_id=${encodeURIComponent(DEMO.userId)}`)).body
    expect(JSON.stringify(grants)).not.toContain('Merchant A')
  })

  it('the receipt quotes the line as the user read it, though the template changed before the verify', async () => {
    const id = await open()
    const session = await browser.visit(id)
    const answered = await browser.answer(id, 'accept', session)
    expect(answered.status).toBe(303)
    await api('PATCH', apiPath, {
      authorization_details: [
        {
          ...PAYMENT_TYPE,
          consent_templates: { en: 'Transfer {instructedAmount} to {creditorName}' },
        },
      ],
    })
    const decision = await browser.redeem(answered)
    expect(decision.body.authorization_details).toEqual([PAYMENT])
    const receipt = (await api('GET', `/consent-receipts/${decision.body.receipt_id}`)).body
    expect(receipt.authorization_details).toEqual([
      { text: 'Pay €123.50 to Merchant A', entry: PAYMENT },
    ])
  })

  it('a decline approves nothing: the decision and the receipt carry []', async () => {
    const id = await open()
    const session = await browser.visit(id)
    const decision = await browser.redeem(await browser.answer(id, 'deny', session))
    expect(decision.body).toMatchObject({ status: 'denied', authorization_details: [] })
    const receipt = (await api('GET', `/consent-receipts/${decision.body.receipt_id}`)).body
    expect(receipt.authorization_details).toEqual([])
  })

  it('leaves no authorization_details on a decision whose request carried none', async () => {
    const id = await open({ authorization_details: undefined })
    const session = await browser.visit(id)
    const decision = await browser.redeem(await browser.answer(id, 'accept', session))
    expect(decision.body).not.toHaveProperty('authorization_details')
  })

  it('under granular consent, gives each entry a box and returns only the checked ones', async () => {
    const second = { ...PAYMENT, creditorName: 'Merchant B' }
    const id = await open({ granular: true, authorization_details: [PAYMENT, second] })
    const session = await browser.visit(id)
    expect(detailLines(session.html).map((line) => line.box)).toEqual(['0', '1'])
    expect(session.html).toMatch(
      /<input type="checkbox" class="scope-choice" id="detail-1" name="authorization_details" value="1" form="answer" checked>/,
    )
    const res = await browser.answer(id, 'accept', session, [
      ['scopes', 'read:messages'],
      ['authorization_details', '1'],
    ])
    expect(res.status).toBe(303)
    const decision = await browser.redeem(res)
    expect(decision.body.authorization_details).toEqual([second])
    const receipt = (await api('GET', `/consent-receipts/${decision.body.receipt_id}`)).body
    expect(receipt.authorization_details).toEqual([
      { text: 'Pay €123.50 to Merchant B', entry: second },
    ])
  })

  it('unticking every entry is a valid accept that approves none', async () => {
    const id = await open({ granular: true, scope: 'openid' })
    const session = await browser.visit(id)
    // Only entries to pick from: the hint to untick is still there.
    expect(session.html).toContain('Untick anything you don')
    const decision = await browser.redeem(await browser.answer(id, 'accept', session))
    expect(decision.body).toMatchObject({ status: 'accepted', authorization_details: [] })
  })

  it.each([
    ['an index the page did not show', true, '5'],
    ['a value that is no index', true, '0 1'],
    ['any index on a page without boxes', false, '0'],
  ])('refuses an answer that checks %s, recording nothing', async (_name, granular, value) => {
    const id = await open({ granular })
    const session = await browser.visit(id)
    const res = await browser.answer(id, 'accept', session, [['authorization_details', value]])
    expect(res.status).toBe(400)
    expect((await api('GET', `/consent-requests/${id}`)).body.status).toBe('pending')
  })

  it('a template changed while the page is open refuses the answer with 409 and the page as it now reads', async () => {
    const id = await open()
    const session = await browser.visit(id)
    await api('PATCH', apiPath, {
      authorization_details: [
        {
          ...PAYMENT_TYPE,
          consent_templates: { en: 'Send {instructedAmount} to {creditorName} today' },
        },
      ],
    })
    const refused = await browser.answer(id, 'accept', session)
    expect(refused.status).toBe(409)
    const html = await refused.text()
    expect(html).toContain('data-testid="changed-notice"')
    expect(detailLines(html)[0]?.text).toBe('Send €123.50 to Merchant A today')
    // The entry that reads otherwise is marked, as a changed scope line is.
    expect(html).toMatch(
      /data-testid="authorization-details"[^>]*>\s*<li class="changed">[\s\S]*?<span class="badge changed">Changed<\/span>/,
    )
    expect((await api('GET', `/consent-requests/${id}`)).body.status).toBe('pending')
    // The page shown again is the one that counts now: answering it works, and quotes it.
    const again = { ...session, rendition: renditionOf(html) }
    const decision = await browser.redeem(await browser.answer(id, 'accept', again))
    const receipt = (await api('GET', `/consent-receipts/${decision.body.receipt_id}`)).body
    expect(receipt.authorization_details[0].text).toBe('Send €123.50 to Merchant A today')
  })
})

describe('the console preview of a request’s authorization_details (DESIGN §5, §3.9)', () => {
  async function preview(locale: string, details: string) {
    const { cookie } = await adminSignIn(t)
    const query = new URLSearchParams({
      audience: DEMO.audience,
      client_id: DEMO.clientId,
      locale,
      authorization_details: details,
    })
    const res = await t.app.request(`/admin/preview?${query}`, { headers: { cookie } })
    expect(res.status).toBe(200)
    return res.text()
  }

  it('shows the entries as the page would, and warns of a language without a template', async () => {
    const en = await preview('en', JSON.stringify([PAYMENT]))
    expect(detailLines(en)[0]?.text).toBe('Pay €123.50 to Merchant A')
    expect(en).not.toContain('template for this detail type')
    expect(en).toContain('&quot;creditorName&quot;:&quot;Merchant A&quot;')
    // The amount as French and German write it, with Intl's no-break space before the sign.
    expect(detailLines(await preview('fr', JSON.stringify([PAYMENT])))[0]?.text).toBe(
      'Payer 123,50\u00a0€ à Merchant A',
    )
    expect(detailLines(await preview('de', JSON.stringify([PAYMENT])))[0]?.text).toBe(
      '123,50\u00a0€ an Merchant A zahlen',
    )
    const es = await preview('es', JSON.stringify([PAYMENT]))
    expect(detailLines(es)[0]?.text).toBe('Tipo de solicitud: payment initiation')
    expect(es).toContain(
      'No Spanish template for this detail type: users read the entry&#39;s fields under its type&#39;s name instead of a sentence. <code><bdi>payment_initiation</bdi></code>',
    )
  })

  it('says why a request with these entries would be refused', async () => {
    const refused = await preview('en', JSON.stringify([{ type: 'crypto_transfer' }]))
    expect(refused).toContain('A consent request with these authorization_details is refused')
    expect(refused).toContain('authorization_details[0].type')
    expect(await preview('en', '{"type":')).toContain('Not a JSON array of entries')
  })
})
