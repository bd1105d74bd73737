import { describe, expect, it } from 'vitest'
import {
  type Api,
  consentLifetime,
  countingGrant,
  grantExpiry,
  groupedLines,
  nextScopeVersions,
  pickScopes,
  requiredScopes,
} from '../../src/consent/index.js'

const api = (scopes: Api['scopes']): Api => ({
  identifier: 'https://api.example/',
  name: 'API',
  scopes,
  enforcePolicies: false,
  allowOfflineAccess: true,
  skipConsentForVerifiableFirstPartyClients: false,
  tokenDialect: 'access_token',
})

const at = new Date('2026-11-27T10:00:00Z')
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000)

describe('scope versions (DESIGN §3.5.1)', () => {
  const v1 = [
    { value: 'read:contacts', description: 'Read your contacts', version: 1 },
    { value: 'read:messages', description: 'Read your messages', version: 1 },
  ]

  it('keeps a version when nothing the user reads changed', () => {
    expect(nextScopeVersions(v1, v1, new Map()).map((s) => s.version)).toEqual([1, 1])
  })

  it('bumps a changed description, in any locale', () => {
    const next = nextScopeVersions(
      v1,
      [
        { value: 'read:contacts', description: 'Read AND export all contacts' },
        { value: 'read:messages', description: 'Read your messages', descriptions: { fr: 'Lire' } },
      ],
      new Map(),
    )
    expect(next.map((s) => s.version)).toEqual([2, 2])
  })

  it('bumps a scope removed and added back, and starts a new one at 1', () => {
    const removed = nextScopeVersions(v1, [v1[1] as Api['scopes'][number]], new Map())
    expect(removed.map((s) => s.version)).toEqual([1])
    const back = nextScopeVersions(
      removed,
      [
        ...removed,
        { value: 'read:contacts', description: 'Read your contacts' },
        { value: 'new:x', description: '' },
      ],
      new Map([['read:contacts', 1]]),
    )
    expect(back.map((s) => [s.value, s.version])).toEqual([
      ['read:messages', 1],
      ['read:contacts', 2],
      ['new:x', 1],
    ])
  })
})

describe('the consent lifetime a grant counts for (DESIGN §3.5.1)', () => {
  it("is the client's own, else the tenant's, else none", () => {
    expect(consentLifetime({ consentLifetime: 60 }, { consent_lifetime: 3600 })).toBe(60)
    expect(consentLifetime({ consentLifetime: null }, { consent_lifetime: 3600 })).toBe(3600)
    // A client gone since the grant: the tenant's rule still applies.
    expect(consentLifetime(undefined, { consent_lifetime: 3600 })).toBe(3600)
    expect(consentLifetime({ consentLifetime: null }, {})).toBeNull()
  })

  it("keeps a client's zero: a grant that never counts is not the tenant's default", () => {
    expect(consentLifetime({ consentLifetime: 0 }, { consent_lifetime: 3600 })).toBe(0)
  })
})

describe('which granted scopes still count', () => {
  const current = api([
    { value: 'read:contacts', description: 'x', version: 2 },
    { value: 'read:messages', description: 'y', version: 1 },
  ])

  it('asks again for a scope whose version is newer than the one granted, and only it', () => {
    const result = countingGrant({
      scopes: ['openid', 'read:contacts', 'read:messages'],
      details: {
        'read:contacts': { version: 1, at },
        'read:messages': { version: 1, at },
      },
      grantedAt: at,
      api: current,
      lifetimeSeconds: null,
      now: later(10),
    })
    expect(result).toEqual({ counted: ['openid', 'read:messages'], changed: ['read:contacts'] })
  })

  it('lets a grant older than the consent lifetime lapse, scope by scope', () => {
    const result = countingGrant({
      scopes: ['read:messages', 'openid'],
      details: { 'read:messages': { version: 1, at: later(100) } },
      grantedAt: at,
      api: current,
      lifetimeSeconds: 3600,
      now: later(3650),
    })
    expect(result).toEqual({ counted: ['read:messages'], changed: [] })
    expect(grantExpiry(['read:messages', 'openid'], {}, at, 3600)).toEqual(later(3600))
    expect(grantExpiry(['openid'], {}, at, null)).toBeNull()
  })

  it('reads only a scope’s own details: `constructor` and `__proto__` are scopes like any other', () => {
    const details = Object.fromEntries([['__proto__', { version: 1, at: later(100) }]])
    const result = countingGrant({
      scopes: ['constructor', '__proto__', 'toString'],
      details,
      grantedAt: at,
      api: null,
      lifetimeSeconds: 3600,
      now: later(3650),
    })
    // Granted at `at` (no details of their own), an hour ago: lapsed; `__proto__` 100 s later.
    expect(result).toEqual({ counted: ['__proto__'], changed: [] })
    expect(grantExpiry(['constructor', 'toString'], {}, at, 3600)).toEqual(later(3600))
    expect(grantExpiry(['__proto__'], details, at, 3600)).toEqual(later(3700))
  })
})

describe('granular consent (DESIGN §3.5)', () => {
  const asked = ['openid', 'profile', 'read:messages', 'write:messages', 'read:contacts']
  const lines = groupedLines(asked)
  const required = new Set(requiredScopes(['profile'], asked))

  it('requires openid always, and what the AS marked required', () => {
    expect([...required]).toEqual(['openid', 'profile'])
  })

  it('grants the required scopes and the checked lines whole; declines the rest', () => {
    expect(
      pickScopes({ asked, lines, required, checked: ['read:messages write:messages'] }),
    ).toEqual({
      granted: ['openid', 'profile', 'read:messages', 'write:messages'],
      declined: ['read:contacts'],
    })
  })

  it('grants a required line whole, though only one of its scopes is required', () => {
    const readRequired = new Set(requiredScopes(['read:messages'], asked))
    expect(pickScopes({ asked, lines, required: readRequired, checked: [] }).granted).toEqual([
      'openid',
      'read:messages',
      'write:messages',
    ])
  })

  it('accepts with everything optional unticked, and ignores forged values', () => {
    expect(
      pickScopes({
        asked,
        lines,
        required,
        checked: ['read:messages', 'admin', 'read:contacts x'],
      }),
    ).toEqual({
      granted: ['openid', 'profile'],
      declined: ['read:messages', 'write:messages', 'read:contacts'],
    })
  })
})
