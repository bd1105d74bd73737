import { describe, expect, it } from 'vitest'
import type { Client, Tenant } from '../../src/entities.js'
import type { Translator } from '../../src/i18n/i18n.js'
import { type ConsentPageInput, consentPageKey } from '../../src/presenters/consent-page.js'

const tenant = {
  id: 't1',
  domains: [],
  settings: { friendly_name: 'T', flags: {} },
} as unknown as Tenant
const client = { clientId: 'c1', name: 'C' } as unknown as Client
const tr = (locale: string) => ({ locale }) as unknown as Translator

const base: Required<ConsentPageInput> = {
  tenant,
  configEpoch: '1:',
  client,
  api: null,
  userName: 'user',
  redirectUri: 'https://app.example/cb',
  device: null,
  switchAccountUrl: null,
  durations: [],
  authorizationDetails: null,
  changedDetails: new Set(),
  scopes: ['openid', 'read:messages'],
  alreadyGranted: 0,
  mode: 'grouped',
  formAction: '/consent/x',
  csrf: 'token',
  lineOptions: { granular: false, required: new Set(['openid']), changed: new Set() },
  languages: [{ tag: 'en', name: 'English' }],
  rendition: 'r1',
  notice: null,
  tr: tr('en'),
}

/** One other value for each input: a page that differs in it must not share the cache entry. */
const other: { [K in keyof Required<ConsentPageInput>]: ConsentPageInput[K] } = {
  tenant: { ...tenant, id: 't2' },
  configEpoch: '2:',
  client: { ...client, clientId: 'c2' },
  api: { id: 'rs1' } as unknown as ConsentPageInput['api'],
  userName: 'someone else',
  redirectUri: 'https://app.example/other',
  device: { userCode: 'WDJB-MJHT', name: 'Living room TV' },
  switchAccountUrl: 'https://as.example/switch',
  durations: [3600, null],
  authorizationDetails: [{ type: 'payment_initiation', creditorName: 'Merchant A' }],
  changedDetails: new Set([0]),
  scopes: ['openid'],
  alreadyGranted: 3,
  mode: 'descriptions',
  formAction: '/consent/y',
  csrf: 'other-token',
  lineOptions: { granular: true, required: new Set(['openid']), changed: new Set() },
  languages: [{ tag: 'fr', name: 'Français' }],
  rendition: 'r2',
  notice: 'changed',
  tr: tr('fr'),
}

describe('the consent page cache key (STYLE 15)', () => {
  it.each(Object.keys(other) as (keyof ConsentPageInput)[])('changes when %s changes', (field) => {
    expect(consentPageKey({ ...base, [field]: other[field] })).not.toBe(consentPageKey(base))
  })

  it('is the same for the same inputs, and cannot be forged by moving text between parts', () => {
    expect(consentPageKey({ ...base })).toBe(consentPageKey(base))
    const a = consentPageKey({ ...base, userName: 'a:b', csrf: 'c' })
    const b = consentPageKey({ ...base, userName: 'a', csrf: 'b:c' })
    expect(a).not.toBe(b)
  })

  it('tells the changed lines and the required ones apart', () => {
    const changed = consentPageKey({
      ...base,
      lineOptions: { granular: true, required: new Set(), changed: new Set(['read:messages']) },
    })
    const required = consentPageKey({
      ...base,
      lineOptions: { granular: true, required: new Set(['read:messages']), changed: new Set() },
    })
    expect(changed).not.toBe(required)
  })

  it('tells two requests apart by their entries (DESIGN §3.9)', () => {
    const key = (creditorName: string) =>
      consentPageKey({
        ...base,
        authorizationDetails: [{ type: 'payment_initiation', creditorName }],
      })
    expect(key('Merchant A')).not.toBe(key('Merchant B'))
  })

  it('tells two devices apart by code and by name', () => {
    const key = (userCode: string, name: string | null) =>
      consentPageKey({ ...base, device: { userCode, name } })
    expect(key('ABCD', null)).not.toBe(key('ABCE', null))
    expect(key('ABCD', 'TV')).not.toBe(key('ABCD', 'Radio'))
    expect(key('ABCD', null)).not.toBe(key('ABCD', ''))
  })
})
