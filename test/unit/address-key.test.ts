import { describe, expect, it } from 'vitest'
import { addressKey } from '../../src/web/middleware/rate-limit.js'

describe('addressKey', () => {
  it('keys IPv4 as it is, and an IPv4-mapped IPv6 address as its IPv4', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5')
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5')
    expect(addressKey('::FFFF:cb00:7105')).toBe('203.0.113.5')
  })

  it('keys every spelling of one IPv6 /64 alike, so a client cannot split its count by spelling', () => {
    const key = addressKey('2001:db8:1:2::1')
    expect(key).toBe('2001:db8:1:2::/64')
    for (const spelling of [
      '2001:0DB8:0001:0002:0000:0000:0000:0009',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:db8:1:2::1%eth0',
    ])
      expect(addressKey(spelling), spelling).toBe(key)
    expect(addressKey('2001:db8:1:3::1')).not.toBe(key)
    expect(addressKey('::1')).toBe('::/64')
  })

  it('keeps anything that is not an address as its own key', () => {
    expect(addressKey('unknown')).toBe('unknown')
    expect(addressKey('2001:db8::g')).toBe('2001:db8::g')
  })
})
