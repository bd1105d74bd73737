import { describe, expect, it } from 'vitest'
import {
  effectiveScopes,
  grantedInPromptOrder,
  splitScopeString,
  stillDefined,
} from '../../src/consent/index.js'
import { api } from '../support/domain.js'

const messages = api(['read:messages', 'write:messages', 'read:contacts', 'delete:messages'])

function run(
  scope: string,
  options: { api?: typeof messages | null; permissions?: string[]; granted?: string[] } = {},
) {
  return effectiveScopes({
    requested: splitScopeString(scope),
    api: options.api === undefined ? messages : options.api,
    permissions: new Set(options.permissions ?? []),
    granted: options.granted ?? [],
  })
}

describe('effectiveScopes (DESIGN §1.2)', () => {
  it('keeps standard scopes first, then API scopes in the order the API defines them', () => {
    const result = run('write:messages read:contacts email openid read:messages profile')
    expect(result.effective).toEqual([
      'openid',
      'profile',
      'email',
      'read:messages',
      'write:messages',
      'read:contacts',
    ])
  })

  it('drops scopes the API does not define and reports them', () => {
    const result = run('openid read:messages read:secrets admin')
    expect(result.effective).toEqual(['openid', 'read:messages'])
    expect(result.dropped).toEqual(['read:secrets', 'admin'])
  })

  it('keeps offline_access only when the API allows offline access', () => {
    expect(run('openid offline_access').effective).toEqual(['openid'])
    expect(run('openid offline_access').dropped).toEqual(['offline_access'])
    const allowing = api(['read:messages'], { allowOfflineAccess: true })
    expect(run('openid offline_access', { api: allowing }).effective).toEqual([
      'openid',
      'offline_access',
    ])
  })

  it('keeps offline_access when no API is asked for: the authorization server decides', () => {
    expect(run('openid offline_access read:messages', { api: null })).toMatchObject({
      effective: ['openid', 'offline_access'],
      dropped: ['read:messages'],
    })
  })

  it('narrows API scopes to the user permissions under RBAC', () => {
    const rbac = api(['read:messages', 'write:messages', 'read:contacts'], {
      enforcePolicies: true,
    })
    const result = run('openid read:messages write:messages read:contacts', {
      api: rbac,
      permissions: ['read:messages', 'read:contacts'],
    })
    expect(result.effective).toEqual(['openid', 'read:messages', 'read:contacts'])
    expect(result.dropped).toEqual(['write:messages'])
  })

  it('ignores permissions when the API does not enforce policies', () => {
    expect(run('read:messages write:messages', { permissions: [] }).effective).toEqual([
      'read:messages',
      'write:messages',
    ])
  })

  it('asks only for what is not granted yet (incremental consent)', () => {
    const result = run('openid read:messages write:messages', {
      granted: ['openid', 'read:messages', 'gone:scope'],
    })
    expect(result.alreadyGranted).toEqual(['openid', 'read:messages'])
    expect(result.toPrompt).toEqual(['write:messages'])
  })

  it('never lets an API define a standard scope twice', () => {
    const shadowing = api(['profile', 'read:messages'])
    expect(run('profile read:messages', { api: shadowing }).effective).toEqual([
      'profile',
      'read:messages',
    ])
  })
})

describe('stillDefined', () => {
  it('drops API scopes removed since, keeps standard scopes', () => {
    expect(stillDefined(['openid', 'read:messages', 'read:removed'], messages)).toEqual([
      'openid',
      'read:messages',
    ])
  })
})

describe('grantedInPromptOrder (connected apps, DESIGN §3.7)', () => {
  it('lists standard scopes first, then the API’s in its order, leaving out what it no longer defines', () => {
    const messages = api(['read:messages', 'write:messages', 'read:contacts'])
    expect(
      grantedInPromptOrder(
        ['read:contacts', 'gone:scope', 'write:messages', 'profile', 'openid'],
        messages,
      ),
    ).toEqual(['openid', 'profile', 'write:messages', 'read:contacts'])
    expect(grantedInPromptOrder(['email', 'openid'], null)).toEqual(['openid', 'email'])
  })
})
