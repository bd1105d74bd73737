import { describe, expect, it } from 'vitest'
import {
  contentSecurityPolicy,
  securityHeaders,
} from '../../src/web/middleware/security-headers.js'

describe('contentSecurityPolicy (DESIGN §6)', () => {
  it('allows no script, no framing, no base, and forms to this origin alone by default', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'none'; script-src 'none'; style-src 'self'; " +
        "img-src 'self' https: http://localhost:* http://127.0.0.1:*; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'",
    )
  })

  it("adds the branding style's nonce and the origins the form may lead to", () => {
    expect(
      contentSecurityPolicy({
        nonce: 'n0nce+/=',
        formActions: ['https://as.example', 'https://app.example:8443'],
      }),
    ).toBe(
      "default-src 'none'; script-src 'none'; style-src 'self' 'nonce-n0nce+/='; " +
        "img-src 'self' https: http://localhost:* http://127.0.0.1:*; " +
        "form-action 'self' https://as.example https://app.example:8443; " +
        "frame-ancestors 'none'; base-uri 'none'",
    )
  })
})

describe('securityHeaders', () => {
  it('sends HSTS only behind https, and cannot be changed by a caller', () => {
    expect(securityHeaders({ https: false })).not.toHaveProperty('strict-transport-security')
    const https = securityHeaders({ https: true })
    expect(https['strict-transport-security']).toBe('max-age=31536000')
    expect(Object.isFrozen(https)).toBe(true)
  })
})
