import { describe, expect, it } from 'vitest'
import { cookieValue } from '../../src/http/cookies.js'

describe('cookieValue', () => {
  it.each([
    ['assent_csrf=abc', 'abc'],
    ['a=1; assent_csrf=abc; b=2', 'abc'],
    ['a=1;assent_csrf=abc', 'abc'],
    ['  assent_csrf = abc  ; b=2', 'abc'],
    ['assent_csrf="abc"', 'abc'],
    ['assent_csrf=abc; assent_csrf=def', 'abc'],
    ['assent_csrf=a=b', 'a=b'],
    ['assent_csrf=', ''],
    ['assent_csrf=%41', '%41'],
    ['x_assent_csrf=abc', undefined],
    ['assent_csrfx=abc', undefined],
    ['assent_csrf', undefined],
    ['b=assent_csrf', undefined],
    ['b=1; assent_csrf', undefined],
    ['', undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(cookieValue(header, 'assent_csrf')).toBe(expected)
  })

  it('passes over a value the check refuses, for the next cookie of that name', () => {
    const token = /^[\w-]{1,128}$/
    expect(cookieValue('assent_csrf=bad!; assent_csrf=good', 'assent_csrf', token)).toBe('good')
    expect(cookieValue('assent_csrf="a b"; x=1; assent_csrf=ok', 'assent_csrf', token)).toBe('ok')
    expect(cookieValue('assent_csrf=%41', 'assent_csrf', token)).toBeUndefined()
    expect(cookieValue(`assent_csrf=${'a'.repeat(129)}`, 'assent_csrf', token)).toBeUndefined()
  })

  it('reads nothing without a header', () => {
    expect(cookieValue(undefined, 'assent_csrf')).toBeUndefined()
  })
})
