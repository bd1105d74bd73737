import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { type ConsentBrowser, checkboxes, demoRequest } from '../support/consent.js'
import { expectError, type Management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management
let browser: ConsentBrowser

eachTestApp((suite) => ({ t, api, browser } = suite))

const SCOPE = 'openid profile read:messages write:messages read:contacts'

async function open(overrides: Record<string, unknown> = {}) {
  const created = await api(
    'POST',
    '/consent-requests',
    demoRequest({ user_name: DEMO.userName, scope: SCOPE, ...overrides }),
  )
  expect(created.status).toBe(201)
  return created.body
}

/** Opens, shows, answers with `checked` lines, redeems: the decision. */
async function consent(checked: string[] | 'all', overrides: Record<string, unknown> = {}) {
  const request = await open(overrides)
  const page = await browser.visit(request.id)
  const boxes = checked === 'all' ? checkboxes(page.html).map((b) => b.value) : checked
  const res = await browser.answer(
    request.id,
    'accept',
    page,
    boxes.map((value) => ['scopes', value]),
  )
  expect(res.status).toBe(303)
  return { request, page, decision: (await browser.redeem(res)).body }
}

describe('granular consent (DESIGN §3.5)', () => {
  it('shows a checkbox per optional line, checked, with the line as its label; none on required lines', async () => {
    const request = await open({ granular: true, required_scopes: 'openid read:messages' })
    const { html } = await browser.visit(request.id)
    // Read is required; write, optional, is a line of its own, so it can be unticked.
    expect(checkboxes(html).map((b) => b.value)).toEqual([
      'profile',
      'write:messages',
      'read:contacts',
    ])
    for (const box of checkboxes(html)) {
      // A line that opens to its claims (DESIGN §3.9) names its box by its words instead of a
      // label, since a click on those words opens the list.
      const named = box.value === 'profile' ? ` aria-labelledby="${box.id}-text"` : ''
      expect(html).toMatch(
        new RegExp(
          `id="${box.id}" name="scopes" value="${box.value}" form="answer"${named} checked>`,
        ),
      )
      if (named) expect(html).toContain(`<summary><span id="${box.id}-text">`)
      else expect(html).toContain(`<label for="${box.id}">`)
    }
    expect(html).toMatch(
      /<span class="badge required">Required<\/span><span><bdi>Messages<\/bdi>: read your <bdi>messages<\/bdi><\/span>/,
    )
    expect(html).toMatch(/value="write:messages"[^\n]*<bdi>Messages<\/bdi>: write your/)
    expect(html).toContain('<form method="post" action="/consent/')
    expect(html).toContain('id="answer"')
  })

  it('grants the required scopes and the ticked lines; the decision lists what was declined', async () => {
    const { decision } = await consent(['read:contacts'], {
      granular: true,
      required_scopes: 'openid',
    })
    expect(decision).toMatchObject({
      status: 'accepted',
      granted_scopes: ['openid', 'read:contacts'],
      declined_scopes: ['profile', 'read:messages', 'write:messages'],
      scope: 'openid read:contacts',
    })
    const grants = await api('GET', `/grants?user_id=${encodeURIComponent(DEMO.userId)}`)
    expect(grants.body[0].scope).toEqual(['openid', 'read:contacts'])
    // The next request asks only for what was declined.
    const again = await open({ granular: true })
    expect(again.status).toBe('pending')
    expect(again.granted_scopes).toEqual([])
  })

  it('grants read without write: write unticked, the decision and the receipt hold read only', async () => {
    const { decision } = await consent(['profile', 'read:messages', 'read:contacts'], {
      granular: true,
      required_scopes: 'openid',
    })
    expect(decision).toMatchObject({
      granted_scopes: ['openid', 'profile', 'read:messages', 'read:contacts'],
      declined_scopes: ['write:messages'],
    })
    const receipt = await api('GET', `/consent-receipts/${decision.receipt_id}`)
    expect(receipt.body.granted_lines).toContain('Messages: read your messages')
    expect(receipt.body.declined_lines).toEqual(['Messages: write your messages'])
    // A box posting both scopes at once is no line of this page: it grants nothing.
    const forged = await consent(['read:messages write:messages'], {
      granular: true,
      user_id: 'forger',
    })
    expect(forged.decision.granted_scopes).toEqual(['openid'])
  })

  it('accepts with everything optional unticked, and ignores forged values', async () => {
    const { decision } = await consent(['admin:everything', 'read:messages write:messages'], {
      granular: true,
    })
    expect(decision.granted_scopes).toEqual(['openid'])
    expect(decision.declined_scopes).toEqual([
      'profile',
      'read:messages',
      'write:messages',
      'read:contacts',
    ])
  })

  it('follows the tenant flag enable_granular_consent', async () => {
    await api('PATCH', '/tenants/settings', { flags: { enable_granular_consent: true } })
    const request = await open()
    expect(checkboxes((await browser.visit(request.id)).html)).toHaveLength(4)
    await api('PATCH', '/tenants/settings', { flags: { enable_granular_consent: false } })
    const plain = await open({ user_id: 'other' })
    expect(checkboxes((await browser.visit(plain.id)).html)).toHaveLength(0)
  })

  it('refuses required_scopes that are not a subset of scope', async () => {
    const res = await api('POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: DEMO.userId,
      audience: DEMO.audience,
      scope: 'openid read:messages',
      required_scopes: 'openid write:messages',
      redirect_uri: DEMO.redirectUri,
      return_to: 'http://localhost:3000/demo/done',
    })
    expectError(res, 400, 'invalid_body')
  })
})

describe('asked again when the wording changes (DESIGN §3.5.1)', () => {
  const patchScopes = (scopes: { value: string; description: string }[]) =>
    api('PATCH', `/resource-servers/${encodeURIComponent(DEMO.audience)}`, { scopes })
  const base = [
    { value: 'read:messages', description: 'Read your messages' },
    { value: 'write:messages', description: 'Send messages as you' },
    { value: 'read:contacts', description: 'See your contacts' },
  ]

  it('a changed description prompts for exactly that scope, and says why', async () => {
    await consent('all')
    expect((await open()).status).toBe('accepted')
    await patchScopes([
      base[0] as (typeof base)[number],
      base[1] as (typeof base)[number],
      { value: 'read:contacts', description: 'Read AND export all contacts' },
    ])
    const again = await open()
    expect(again.status).toBe('pending')
    const { html } = await browser.visit(again.id)
    expect(html).toContain('data-testid="changed-notice"')
    expect(html).toContain('is asking again')
    expect(html).toMatch(/<li class="changed">.*Contacts/)
    // Only the changed scope is asked; the rest still counts.
    expect(html).toContain('You already allowed this app 3 other permissions.')
  })

  it('a scope removed and added back with the same words is asked for again', async () => {
    await consent('all')
    await patchScopes([base[0] as (typeof base)[number], base[1] as (typeof base)[number]])
    await patchScopes(base)
    const again = await open()
    expect(again.status).toBe('pending')
  })

  it('an unchanged scope list keeps every grant', async () => {
    await consent('all')
    await patchScopes(base)
    expect((await open()).status).toBe('accepted')
  })
})

describe('grant lifetime (DESIGN §3.5.1)', () => {
  it('a grant older than the client’s consent_lifetime no longer counts; GET /grants says when', async () => {
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: 3600 })
    await consent('all')
    const grants = await api('GET', '/grants')
    expect(grants.body[0].expires_at).toBe(
      new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
    )
    expect((await open()).status).toBe('accepted')
    t.clock.advance(3_600_000)
    expect((await open()).status).toBe('pending')
  })

  it('falls back to the tenant’s consent_lifetime, and null clears it', async () => {
    expect((await api('PATCH', '/tenants/settings', { consent_lifetime: 600 })).body).toMatchObject(
      {
        consent_lifetime: 600,
      },
    )
    await consent('all')
    t.clock.advance(601_000)
    expect((await open()).status).toBe('pending')
    const cleared = await api('PATCH', '/tenants/settings', { consent_lifetime: null })
    expect(cleared.body.consent_lifetime).toBeUndefined()
    expect((await open()).status).toBe('accepted')
  })

  it('remembers scopes named like what every object inherits (`constructor`, `__proto__`)', async () => {
    const servers = await api('GET', '/resource-servers')
    const demo = servers.body.find((s: { identifier: string }) => s.identifier === DEMO.audience)
    const scopes = [
      ...demo.scopes,
      { value: 'constructor', description: 'Build things' },
      { value: '__proto__', description: 'Shape things' },
    ]
    expect((await api('PATCH', `/resource-servers/${demo.id}`, { scopes })).status).toBe(200)
    await api('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: 3600 })
    const scope = 'openid constructor __proto__ read:messages'
    const { decision } = await consent('all', { scope })
    expect([...decision.granted_scopes].sort()).toEqual([
      '__proto__',
      'constructor',
      'openid',
      'read:messages',
    ])
    // Asked again, within the lifetime: nothing left to ask, for these two as for the others.
    expect((await open({ scope })).status).toBe('accepted')
    // A second grant of them merges into the first, and still counts.
    await consent('all', { scope: `${scope} profile` })
    expect((await open({ scope })).status).toBe('accepted')
    t.clock.advance(3_600_000)
    expect((await open({ scope })).status).toBe('pending')
  })

  it('refuses a consent_lifetime under a minute', async () => {
    expectError(
      await api('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: 5 }),
      400,
      'invalid_body',
    )
  })
})

describe('unverified clients (DESIGN §3.5.2)', () => {
  it('warns above the lines, and Accept is not the primary button', async () => {
    const patched = await api('PATCH', `/clients/${DEMO.clientId}`, { is_verified: false })
    expect(patched.body.is_verified).toBe(false)
    const request = await open({ ui_locales: 'ar' })
    const { html } = await browser.visit(request.id)
    expect(html).toContain('<html lang="ar" dir="rtl">')
    const notice = html.indexOf('data-testid="unverified-notice"')
    expect(notice).toBeGreaterThan(0)
    expect(notice).toBeLessThan(html.indexOf('data-testid="scope-lines"'))
    expect(html).toContain('لم يتحقق')
    expect(html).toMatch(/value="accept" class="button secondary"/)
    expect(html).toMatch(/value="deny" class="button primary"/)
  })

  it('a verified client shows no notice', async () => {
    const request = await open()
    const { html } = await browser.visit(request.id)
    expect(html).not.toContain('unverified-notice')
    expect((await api('GET', `/clients/${DEMO.clientId}`)).body.is_verified).toBeUndefined()
  })
})
