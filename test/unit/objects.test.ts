import { describe, expect, it } from 'vitest'
import { copyWith } from '../../src/objects.js'

describe('copyWith (src/objects.ts)', () => {
  it('is a new object with the base and the extra, the extra winning, the base untouched', () => {
    const base = { 'cache-control': 'no-store', 'content-type': 'text/plain' }
    const copy = copyWith(base, { 'content-type': 'text/html', 'set-cookie': 'a=b' })
    expect(copy).toEqual({
      'cache-control': 'no-store',
      'content-type': 'text/html',
      'set-cookie': 'a=b',
    })
    expect(copy).not.toBe(base)
    expect(base).toEqual({ 'cache-control': 'no-store', 'content-type': 'text/plain' })
    // Keys in the order a spread gives them: the base's first, then the extra's new ones.
    expect(Object.keys(copy)).toEqual(['cache-control', 'content-type', 'set-cookie'])
  })

  it('copies own enumerable properties only, as a spread does', () => {
    const base = Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true } })
    Object.defineProperty(base, 'hidden', { value: 3, enumerable: false })
    const copy = copyWith(base as object, { extra: 4 })
    expect(copy).toEqual({ own: 2, extra: 4 })
    expect(copy).toEqual({ ...base, extra: 4 })
  })

  it('sets `__proto__` through its setter, where a spread defines a property: for keys of our own', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}}') as object
    expect(Object.keys({ ...parsed })).toEqual(['__proto__'])
    const copy = copyWith(parsed, {}) as { polluted?: boolean }
    expect(Object.keys(copy)).toEqual([])
    expect(copy.polluted).toBe(true)
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  })
})
