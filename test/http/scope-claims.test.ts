import { describe, expect, it } from 'vitest'
import type { CreateConsentRequestInput } from '../../src/services/consent/flow.js'
import { DEMO } from '../../src/services/demo.js'
import { adminSignIn, listLines } from '../support/admin.js'
import { consentBrowser } from '../support/consent.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/* The claims behind the standard scopes, on the page, the shown page and the preview (DESIGN §3.9). */

let t: TestApp

eachTestApp((suite) => {
  t = suite.t
})

const PROFILE_EN = [
  'Full name',
  'Family name',
  'Given name',
  'Middle name',
  'Nickname',
  'Username',
  'Profile page',
  'Profile picture',
  'Website',
  'Gender',
  'Date of birth',
  'Time zone',
  'Language and region',
  'When your profile was last updated',
]

function openRequest(overrides: Partial<CreateConsentRequestInput> = {}) {
  return t.deps.consentFlow.open(t.tenant, {
    clientId: DEMO.clientId,
    userId: DEMO.userId,
    userName: DEMO.userName,
    audience: DEMO.audience,
    scope: 'openid profile email read:messages',
    redirectUri: DEMO.redirectUri,
    returnTo: 'http://localhost:3000/demo/done',
    ...overrides,
  })
}

/** Each disclosure of the list marked `testid`: the line it opens, its caption and its claims. */
function disclosures(html: string, testid = 'scope-lines') {
  const list = new RegExp(`data-testid="${testid}"[^>]*>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? ''
  return [
    ...list.matchAll(
      /<details class="claims"><summary><span(?: id="([^"]*)")?>([^<]*)<\/span><\/summary><p class="claims-caption">([^<]*)<\/p><div class="claim-list" role="list">([\s\S]*?)<\/div><\/details><\/li>/g,
    ),
  ].map((m) => ({
    id: m[1],
    line: m[2],
    caption: m[3],
    claims: [...(m[4] ?? '').matchAll(/<span class="claim" role="listitem">([^<]*)<\/span>/g)].map(
      (claim) => claim[1],
    ),
  }))
}

describe('the lines of profile, email, address and phone open to their claims', () => {
  it('lists the profile line’s claims in plain English words, closed until opened', async () => {
    const request = await openRequest({ scope: 'openid profile email address phone read:messages' })
    const { html } = await consentBrowser(t).visit(request.id)
    expect(disclosures(html)).toEqual([
      {
        id: undefined,
        line: 'Profile: access your name and picture',
        caption: 'What is shared',
        claims: PROFILE_EN,
      },
      {
        id: undefined,
        line: 'Email: access your email address',
        caption: 'What is shared',
        claims: ['Email address', 'Whether your email address is verified'],
      },
      {
        id: undefined,
        line: 'Address: access your postal address',
        caption: 'What is shared',
        claims: ['Postal address'],
      },
      {
        id: undefined,
        line: 'Phone: access your phone number',
        caption: 'What is shared',
        claims: ['Phone number', 'Whether your phone number is verified'],
      },
    ])
    // No script opens it: a plain <details>, closed, and the API's line is no disclosure.
    expect(html).not.toContain('<details class="claims" open')
    expect(listLines(html, 'scope-lines')).toEqual([
      'Profile: access your name and picture',
      'Email: access your email address',
      'Address: access your postal address',
      'Phone: access your phone number',
      'Messages: read your messages',
    ])
  })

  it('lists them in the page’s language: French, and Arabic right to left', async () => {
    const fr = await openRequest({ uiLocales: 'fr' })
    const french = disclosures((await consentBrowser(t).visit(fr.id)).html)
    expect(french[0]?.line).toBe('Profil\u202F: accéder à votre nom et à votre photo')
    expect(french[0]?.caption).toBe('Ce qui est partagé')
    expect(french[0]?.claims.slice(0, 3)).toEqual(['Nom complet', 'Nom de famille', 'Prénom'])
    expect(french[1]?.claims).toEqual(['Adresse e-mail', 'Si votre adresse e-mail est vérifiée'])

    const ar = await openRequest({ uiLocales: 'ar' })
    const { html } = await consentBrowser(t).visit(ar.id)
    expect(html).toContain('<html lang="ar" dir="rtl">')
    const arabic = disclosures(html)
    expect(arabic[0]?.caption).toBe('ما تتم مشاركته')
    expect(arabic[0]?.claims).toHaveLength(14)
    expect(arabic[0]?.claims[0]).toBe('الاسم الكامل')
  })

  it('names a granular line’s box by its words, so a click on them opens the list, not the box', async () => {
    const request = await openRequest({ granular: true, requiredScopes: 'openid' })
    const browser = consentBrowser(t)
    const page = await browser.visit(request.id)
    const [profile] = disclosures(page.html)
    expect(profile?.id).toBe('line-0-text')
    expect(page.html).toContain(
      '<input type="checkbox" class="scope-choice" id="line-0" name="scopes" value="profile" form="answer" aria-labelledby="line-0-text" checked>',
    )
    expect(page.html).not.toContain('<label for="line-0">')
    // Unticked, the profile scope is declined like any other optional line.
    const answered = await browser.answer(request.id, 'accept', page, [
      ['scopes', 'email'],
      ['scopes', 'read:messages'],
    ])
    expect(answered.status).toBe(303)
    const decision = await browser.redeem(answered)
    expect(decision.body.declined_scopes).toEqual(['profile'])
  })

  it('records the claims each line opened to on the shown page, in the language shown', async () => {
    const request = await openRequest()
    const browser = consentBrowser(t)
    const page = await browser.visit(request.id)
    const shown = (await t.store.consentRequests.get(t.tenant.id, request.id))?.shown
    expect(shown?.lines.map((line) => line.claims)).toEqual([
      PROFILE_EN,
      ['Email address', 'Whether your email address is verified'],
      undefined,
    ])
    const french = await t.app.request(`/consent/${request.id}?ui_locales=fr`, {
      headers: { cookie: page.cookie },
    })
    expect(french.status).toBe(200)
    const again = (await t.store.consentRequests.get(t.tenant.id, request.id))?.shown
    expect(again?.locale).toBe('fr')
    expect(again?.lines[0]?.claims?.[0]).toBe('Nom complet')
  })

  it('quotes each line’s claims in the receipt, as shown and signed', async () => {
    const request = await openRequest({ uiLocales: 'fr' })
    const browser = consentBrowser(t)
    const page = await browser.visit(request.id)
    const decision = await browser.redeem(await browser.answer(request.id, 'accept', page))
    const res = await t.app.request(`/api/v2/consent-receipts/${decision.body.receipt_id}`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    })
    const receipt = (await res.json()) as {
      lines: string[]
      line_claims: string[][]
      jws: string
    }
    expect(receipt.lines).toHaveLength(3)
    expect(receipt.line_claims.map((claims) => claims.length)).toEqual([14, 2, 0])
    expect(receipt.line_claims[1]).toEqual([
      'Adresse e-mail',
      'Si votre adresse e-mail est vérifiée',
    ])
    const signed = JSON.parse(
      Buffer.from(receipt.jws.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { line_claims: string[][] }
    expect(signed.line_claims).toEqual(receipt.line_claims)

    // A page without a standard scope's line: the receipt has no such field.
    const plain = await openRequest({ scope: 'openid read:messages', userId: 'auth0|plain' })
    const plainPage = await browser.visit(plain.id)
    const plainDecision = await browser.redeem(await browser.answer(plain.id, 'accept', plainPage))
    const plainReceipt = await t.app.request(
      `/api/v2/consent-receipts/${plainDecision.body.receipt_id}`,
      { headers: { authorization: `Bearer ${t.adminToken}` } },
    )
    expect(await plainReceipt.json()).not.toHaveProperty('line_claims')
  })

  it('shows the same claims in the console’s preview, in both columns', async () => {
    const { cookie } = await adminSignIn(t)
    const query = `?audience=${encodeURIComponent(DEMO.audience)}&client_id=${DEMO.clientId}&scope=${encodeURIComponent('openid profile read:messages')}&locale=de`
    const html = await (
      await t.app.request(`/admin/preview${query}`, { headers: { cookie } })
    ).text()
    for (const testid of ['scope-lines-grouped', 'scope-lines-descriptions']) {
      const [profile] = disclosures(html, testid)
      expect(profile?.caption).toBe('Was geteilt wird')
      expect(profile?.claims[0]).toBe('Vollständiger Name')
      expect(profile?.claims).toHaveLength(14)
    }
  })
})
