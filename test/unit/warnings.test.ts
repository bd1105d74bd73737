import { describe, expect, it } from 'vitest'
import { effectiveScopes, promptWarnings } from '../../src/consent/index.js'
import { api } from '../support/domain.js'

const messages = api([
  {
    value: 'read:messages',
    description: 'Read your messages',
    descriptions: { fr: 'Lire vos messages' },
  },
  { value: 'write:messages', description: 'Send messages as you' },
  { value: 'read:contacts', description: '' },
  { value: 'admin', description: 'Administer everything' },
])

function warnings(requested: string[], locale = 'en', clientHasLogo = true) {
  const { effective } = effectiveScopes({
    requested,
    api: messages,
    permissions: new Set(),
    granted: [],
  })
  return promptWarnings({ requested, effective, api: messages, locale, clientHasLogo })
}

describe('promptWarnings (DESIGN §5)', () => {
  it('names scopes without a description, plain scopes, and scopes that are dropped', () => {
    expect(
      warnings([
        'openid',
        'read:messages',
        'read:contacts',
        'admin',
        'delete:everything',
        'name',
        'offline_access',
      ]),
    ).toEqual([
      { kind: 'no_description', scopes: ['read:contacts'] },
      { kind: 'plain_scope', scopes: ['admin'] },
      { kind: 'reserved_scope', scopes: ['name'] },
      { kind: 'offline_not_allowed', scopes: ['offline_access'] },
      { kind: 'undefined_scope', scopes: ['delete:everything'] },
    ])
  })

  it('names descriptions not written for the chosen language', () => {
    expect(warnings(['read:messages', 'write:messages'], 'fr-CA')).toEqual([
      { kind: 'untranslated_description', scopes: ['write:messages'] },
      {
        kind: 'no_resource_label',
        resource: 'messages',
        scopes: ['read:messages', 'write:messages'],
      },
    ])
  })

  it('names a client without a logo', () => {
    expect(warnings(['read:messages'], 'en', false)).toEqual([
      { kind: 'client_without_logo', scopes: [] },
    ])
  })

  it('names each resource without a label in a language other than English', () => {
    const labelled = api(['read:messages', 'write:messages', 'read:contacts', 'admin'], {
      consentResources: { messages: { de: { heading: 'Nachrichten', noun: 'Ihre Nachrichten' } } },
    })
    const requested = ['read:messages', 'write:messages', 'read:contacts', 'admin']
    const input = { requested, effective: requested, api: labelled, clientHasLogo: true }
    expect(
      promptWarnings({ ...input, locale: 'fr' }).filter((w) => w.kind === 'no_resource_label'),
    ).toEqual([
      {
        kind: 'no_resource_label',
        resource: 'messages',
        scopes: ['read:messages', 'write:messages'],
      },
      { kind: 'no_resource_label', resource: 'contacts', scopes: ['read:contacts'] },
    ])
    expect(
      promptWarnings({ ...input, locale: 'de' }).filter((w) => w.kind === 'no_resource_label'),
    ).toEqual([{ kind: 'no_resource_label', resource: 'contacts', scopes: ['read:contacts'] }])
    expect(
      promptWarnings({ ...input, locale: 'en' }).filter((w) => w.kind === 'no_resource_label'),
    ).toEqual([])
  })

  it('has nothing to say about a clean prompt', () => {
    expect(warnings(['openid', 'profile', 'read:messages'])).toEqual([])
  })
})
