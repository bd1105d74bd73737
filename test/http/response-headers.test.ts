import { describe, expect, it } from 'vitest'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

describe('security headers on a response whose headers cannot change', () => {
  it('adds them to a copy', async () => {
    // `Response.redirect` makes a response with immutable headers (Fetch §6.4).
    t.app.get('/probe-immutable', () => Response.redirect('https://example.com/', 302))
    const res = await t.app.request('/probe-immutable')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('https://example.com/')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })
})
