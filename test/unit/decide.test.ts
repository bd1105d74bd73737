import { describe, expect, it } from 'vitest'
import { decide, effectiveScopes, isLoopbackUrl } from '../../src/consent/index.js'
import { api } from '../support/domain.js'

const skipping = api(['read:messages', 'write:messages'], {
  skipConsentForVerifiableFirstPartyClients: true,
})

function scenario(options: {
  granted?: string[]
  prompt?: string
  firstParty?: boolean
  redirectUri?: string
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
