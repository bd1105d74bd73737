import { describe, expect, it } from 'vitest'
import { isValidScopeValue, parseScope, splitScopeString } from '../../src/consent/index.js'

describe('parseScope (DESIGN §1.1)', () => {
  it.each([
    ['read:messages', { kind: 'action', action: 'read', resource: 'messages' }],
    ['read:users:admin', { kind: 'action', action: 'read', resource: 'users:admin' }],
    ['write:calendar_events', { kind: 'action', action: 'write', resource: 'calendar_events' }],
    ['admin', { kind: 'plain' }],
    [':x', { kind: 'plain' }],
    ['x:', { kind: 'plain' }],
    [':', { kind: 'plain' }],
  ])('%s', (value, expected) => {
    expect(parseScope(value)).toEqual({ value, ...expected })
  })
})

describe('splitScopeString', () => {
  it('splits on spaces, drops empties and duplicates, keeps order', () => {
    expect(splitScopeString('  openid  read:a openid\tread:b ')).toEqual([
      'openid',
      'read:a',
      'read:b',
    ])
  })
  it('accepts nothing', () => {
    expect(splitScopeString(undefined)).toEqual([])
    expect(splitScopeString('')).toEqual([])
  })
})

describe('isValidScopeValue (DESIGN §1.5)', () => {
  it.each([
    ['read:messages', true],
    ['a', true],
    ['x'.repeat(280), true],
    ['x'.repeat(281), false],
    ['', false],
    ['read messages', false],
    ['read:\u0007', false],
    ['read:\u0085', false],
  ])('%j → %s', (value, valid) => {
    expect(isValidScopeValue(value)).toBe(valid)
  })
})
