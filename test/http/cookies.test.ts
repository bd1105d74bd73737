import { describe, expect, it } from 'vitest'
import { cookieValue, PAGE_COOKIES, pageCookies } from '../../src/web/edge/cookies.js'

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

describe('pageCookies (DESIGN §6)', () => {
  const all = Object.values(PAGE_COOKIES)

  it('gives each cookie its own name: they all live at Path=/', () => {
    expect(new Set(all.map((cookie) => cookie.name)).size).toBe(all.length)
    for (const secure of [false, true]) {
      const cookies = pageCookies({ secure })
      for (const cookie of all) expect(cookies.set(cookie, 'v')).toContain('; Path=/;')
    }
    expect(PAGE_COOKIES.admin.sameSite).toBe('Strict')
  })

  it('behind https: __Host- names, Secure, Path=/, no Domain', () => {
    const cookies = pageCookies({ secure: true })
    expect(cookies.name(PAGE_COOKIES.consent)).toBe('__Host-assent_csrf')
    expect(cookies.set(PAGE_COOKIES.account, 'abc', 1800)).toBe(
      '__Host-assent_account=abc; Max-Age=1800; Path=/; HttpOnly; Secure; SameSite=Lax',
    )
    expect(cookies.set(PAGE_COOKIES.admin, '', 0)).toBe(
      '__Host-assent_admin=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict',
    )
  })

  it('over http: the same names without the prefix, and without Secure', () => {
    const cookies = pageCookies({ secure: false })
    expect(cookies.name(PAGE_COOKIES.consent)).toBe('assent_csrf')
    expect(cookies.set(PAGE_COOKIES.adminLogin, 'abc')).toBe(
      'assent_admin_login=abc; Path=/; HttpOnly; SameSite=Strict',
    )
  })

  it('reads the cookie under this deployment’s name only, the first its check accepts', () => {
    const token = /^[\w-]{1,128}$/
    const secure = pageCookies({ secure: true })
    const plain = pageCookies({ secure: false })
    const header = 'assent_csrf=tossed; __Host-assent_csrf=bad!; __Host-assent_csrf=mine'
    expect(secure.read(header, PAGE_COOKIES.consent, token)).toBe('mine')
    expect(plain.read(header, PAGE_COOKIES.consent, token)).toBe('tossed')
    expect(secure.read('assent_csrf=tossed', PAGE_COOKIES.consent)).toBeUndefined()
    expect(plain.read('__Host-assent_csrf=x', PAGE_COOKIES.consent)).toBeUndefined()
  })
})
