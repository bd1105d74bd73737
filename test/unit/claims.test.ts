import { describe, expect, it } from 'vitest'
import { paths } from '../../src/config/paths.js'
import {
  canonicalRendition,
  changedSince,
  lineClaims,
  promptLines,
  type RenditionContent,
  renditionContent,
  STANDARD_CLAIMS,
  scopeClaims,
} from '../../src/consent/index.js'
import { createI18n, loadLocaleResources } from '../../src/i18n/i18n.js'
import { claimTexts } from '../../src/i18n/lines.js'
import { api } from '../support/domain.js'

const resources = loadLocaleResources(paths.locales)
const i18n = createI18n(resources)

describe('the claims behind the standard scopes (OIDC Core §5.4, DESIGN §3.9)', () => {
  it.each([
    [
      'profile',
      [
        'name',
        'family_name',
        'given_name',
        'middle_name',
        'nickname',
        'preferred_username',
        'profile',
        'picture',
        'website',
        'gender',
        'birthdate',
        'zoneinfo',
        'locale',
        'updated_at',
      ],
    ],
    ['email', ['email', 'email_verified']],
    ['address', ['address']],
    ['phone', ['phone_number', 'phone_number_verified']],
  ])('%s releases exactly the claims §5.4 lists, in its order', (scope, claims) => {
    expect(scopeClaims(scope)).toEqual(claims)
  })

  it.each(['openid', 'offline_access', 'read:messages', 'admin', '__proto__', 'constructor', ''])(
    '%j releases no claim',
    (scope) => {
      expect(scopeClaims(scope)).toEqual([])
    },
  )

  it('gives a claim list only to the lines of the four scopes, in both modes', () => {
    const messages = api([{ value: 'read:messages', description: 'Read' }])
    const scopes = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access']
    for (const mode of ['grouped', 'descriptions'] as const) {
      const lines = promptLines(mode, [...scopes, 'read:messages'], messages, 'en')
      expect(lines.map((line) => lineClaims(line).length)).toEqual([14, 2, 1, 2, 0, 0])
    }
  })

  it('names every claim in plain words in every locale, never as its claim name', () => {
    for (const locale of i18n.locales) {
      const tr = i18n.translator(locale)
      for (const claim of STANDARD_CLAIMS) {
        const words = tr.t(`claims.names.${claim}`)
        expect({ locale, claim, words }).not.toEqual({ locale, claim, words: claim })
        expect(words).not.toContain('claims.names')
      }
    }
  })

  it('words the profile line’s claims in the page’s language', () => {
    const [profile] = promptLines('grouped', ['profile'], null, 'fr')
    if (!profile) throw new Error('no line')
    expect(claimTexts(profile, i18n.translator('en')).slice(0, 3)).toEqual([
      'Full name',
      'Family name',
      'Given name',
    ])
    expect(claimTexts(profile, i18n.translator('fr')).slice(0, 3)).toEqual([
      'Nom complet',
      'Nom de famille',
      'Prénom',
    ])
  })
})

describe('claims on the shown page (DESIGN §3.2.2)', () => {
  const shown = (claims: readonly (readonly string[])[]): RenditionContent => {
    const lines = promptLines('grouped', ['profile', 'read:messages'], null, 'en')
    return renditionContent({
      mode: 'grouped',
      locale: 'en',
      scopes: ['profile', 'read:messages'],
      api: null,
      lines,
      texts: ['Profile: access your name and picture', 'Messages: read your messages'],
      claims,
      granular: false,
      required: new Set(),
      changed: new Set(),
      device: null,
      details: [],
    })
  }

  it('records the claims a line opened to, and none on a line without', () => {
    const content = shown([['Full name', 'Nickname'], []])
    expect(content.lines[0]?.claims).toEqual(['Full name', 'Nickname'])
    expect(content.lines[1]).not.toHaveProperty('claims')
  })

  it('gives another rendition id, and marks the line changed, when its claims read otherwise', () => {
    const before = shown([['Full name'], []])
    const after = shown([['Full name', 'Nickname'], []])
    expect(canonicalRendition(before)).not.toBe(canonicalRendition(after))
    expect([...changedSince(before, after)]).toEqual(['profile'])
    expect([...changedSince(before, shown([['Full name'], []]))]).toEqual([])
  })
})
