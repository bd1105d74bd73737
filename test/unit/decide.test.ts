import { describe, expect, it } from 'vitest'
import {
  consentLifetime,
  decide,
  effectiveScopes,
  isLoopbackUrl,
  isUserCode,
} from '../../src/consent/index.js'
import { api } from '../support/domain.js'

const skipping = api(['read:messages', 'write:messages'], {
  skipConsentForVerifiableFirstPartyClients: true,
})

function scenario(options: {
  granted?: string[]
  prompt?: string
  firstParty?: boolean
  redirectUri?: string
  device?: boolean
}) {
  const scopes = effectiveScopes({
    requested: ['openid', 'read:messages', 'write:messages'],
    api: skipping,
    permissions: new Set(),
    granted: options.granted ?? [],
  })
  return decide({
    scopes,
    prompt: options.prompt,
    api: skipping,
    client: { isFirstParty: options.firstParty ?? false },
    redirectUri: options.redirectUri ?? 'https://app.example.com/cb',
    device: options.device ?? false,
  })
}

describe('decide (DESIGN §3.3)', () => {
  it('asks a third-party client for what is new', () => {
    expect(scenario({ granted: ['openid', 'read:messages'] })).toEqual({
      status: 'pending',
      ask: ['write:messages'],
    })
  })

  it('accepts at once when everything is granted', () => {
    expect(scenario({ granted: ['openid', 'read:messages', 'write:messages'] })).toEqual({
      status: 'accepted',
      granted: ['openid', 'read:messages', 'write:messages'],
    })
  })

  it('prompt=consent shows the page again, for everything', () => {
    expect(
      scenario({ granted: ['openid', 'read:messages', 'write:messages'], prompt: 'login consent' }),
    ).toEqual({
      status: 'pending',
      ask: ['openid', 'read:messages', 'write:messages'],
    })
  })

  it('prompt=none with a page needed is consent_required', () => {
    expect(scenario({ prompt: 'none' })).toEqual({ status: 'denied', error: 'consent_required' })
    expect(
      scenario({ prompt: 'none', granted: ['openid', 'read:messages', 'write:messages'] }).status,
    ).toBe('accepted')
  })

  it('skips a first-party client when the API allows it', () => {
    expect(scenario({ firstParty: true }).status).toBe('accepted')
  })

  it('does not skip a first-party client redirecting to loopback', () => {
    for (const redirectUri of [
      'http://localhost:8080/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:3000/cb',
      'http://app.localhost/cb',
    ]) {
      expect(scenario({ firstParty: true, redirectUri }).status).toBe('pending')
    }
  })

  it('does not skip a first-party client when the API does not allow it', () => {
    const strict = api(['read:messages'])
    const scopes = effectiveScopes({
      requested: ['read:messages'],
      api: strict,
      permissions: new Set(),
      granted: [],
    })
    expect(
      decide({
        scopes,
        prompt: undefined,
        api: strict,
        client: { isFirstParty: true },
        redirectUri: 'https://a.example/cb',
      }).status,
    ).toBe('pending')
  })
})

describe('isLoopbackUrl', () => {
  it.each([
    ['http://localhost/', true],
    ['http://127.8.9.10:99/', true],
    ['http://[::1]/', true],
    ['https://localhost.example.com/', false],
    ['https://example.com/', false],
    ['not a url', false],
  ])('%s → %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback)
  })
})

describe('a device sign-in (DESIGN §3.10)', () => {
  const all = ['openid', 'read:messages', 'write:messages']

  it('asks about everything, whatever was granted and whoever the client is', () => {
    expect(scenario({ device: true, granted: all })).toEqual({ status: 'pending', ask: all })
    expect(scenario({ device: true, firstParty: true })).toEqual({ status: 'pending', ask: all })
  })

  it('is refused with consent_required under prompt=none', () => {
    expect(scenario({ device: true, granted: all, prompt: 'none' })).toEqual({
      status: 'denied',
      error: 'consent_required',
    })
  })

  it('takes a user code of up to 32 letters, digits and dashes, and nothing else', () => {
    expect(isUserCode('WDJB-MJHT')).toBe(true)
    expect(isUserCode('a'.repeat(32))).toBe(true)
    for (const code of ['', 'a'.repeat(33), 'WDJB MJHT', 'WDJB_MJHT', 'ÄBCD', 'AB\nCD', '<b>'])
      expect(isUserCode(code)).toBe(false)
  })
})

describe('the consent lifetime that applies (DESIGN §3.5.1, §3.10)', () => {
  const dynamic = { consentLifetime: null, isDynamic: true }
  const vetted = { consentLifetime: null, isDynamic: false }

  it("is the client's own, else 30 days or the tenant's setting for a self-registered app", () => {
    expect(consentLifetime({ consentLifetime: 120, isDynamic: true }, {})).toBe(120)
    expect(consentLifetime(dynamic, { consent_lifetime: 600 })).toBe(2_592_000)
    expect(consentLifetime(dynamic, { dynamic_client_consent_lifetime: 3600 })).toBe(3600)
  })

  it("is the tenant's consent_lifetime for other clients, else none", () => {
    expect(consentLifetime(vetted, { dynamic_client_consent_lifetime: 3600 })).toBeNull()
    expect(consentLifetime(vetted, { consent_lifetime: 600 })).toBe(600)
  })
})
