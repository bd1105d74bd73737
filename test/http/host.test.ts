import { describe, expect, it } from 'vitest'
import { requestHostname } from '../../src/web/edge/host.js'

/** What the WHATWG URL parser makes of a Host header: the reference the fast path must match. */
function byUrl(host: string): string {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase()
  } catch {
    return ''
  }
}

describe('requestHostname', () => {
  const hosts = [
    'localhost',
    'localhost:3000',
    'Consent.Example.COM',
    'consent.example.com:443',
    'example.com.',
    'a-b.c-d.example',
    '127.0.0.1',
    '127.0.0.1:8080',
    '2130706433',
    '0x7f.0.0.1',
    '1.2.3.0x4',
    '[::1]:3000',
    '[::1]',
    'bücher.example',
    'xn--bcher-kva.example',
    'XN--BCHER-KVA.example',
    'xn--zz.example',
    'example.com:65535',
    'example.com:65536',
    'example.com:99999',
    'example.com:',
    'exa mple.com',
    'example.com/path',
    'example.com?x',
    'user@example.com',
    '-leading.example',
    'a..b',
    '.',
    '',
    `${'a'.repeat(64)}.example`,
    'exa%41mple.com',
  ]

  it.each(hosts)('reads %j as the URL parser does', (host) => {
    expect(requestHostname(host)).toBe(byUrl(host))
  })

  it('is empty without a Host', () => {
    expect(requestHostname(undefined)).toBe('')
  })
})
