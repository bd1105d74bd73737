import { describe, expect, it } from 'vitest'
import { randomToken } from '../../src/ids.js'

describe('randomToken', () => {
  it('encodes the bytes asked for', () => {
    expect(Buffer.from(randomToken(32), 'base64url')).toHaveLength(32)
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(randomToken(12, 'base64'), 'base64')).toHaveLength(12)
    expect(Buffer.from(randomToken(10_000), 'base64url')).toHaveLength(10_000)
  })

  it('never hands out the same bytes twice, across many refills of its pool', () => {
    // 50,000 tokens of 16 bytes go through the 8 KiB pool ~100 times; odd sizes cross its end.
    const seen = new Set<string>()
    for (let i = 0; i < 50_000; i++) seen.add(randomToken(16))
    for (let i = 0; i < 5_000; i++) seen.add(randomToken(13 + (i % 7)))
    expect(seen.size).toBe(55_000)
  })

  it('spreads its bytes evenly', () => {
    const counts = new Array<number>(256).fill(0)
    for (let i = 0; i < 4_000; i++)
      for (const byte of Buffer.from(randomToken(32), 'base64url'))
        counts[byte] = (counts[byte] ?? 0) + 1
    // 128,000 bytes: 500 expected per value; a fair source stays far inside these bounds.
    expect(Math.min(...counts)).toBeGreaterThan(380)
    expect(Math.max(...counts)).toBeLessThan(620)
  })
})
