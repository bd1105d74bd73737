import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { limits } from '../../src/config/env.js'
import { createCsrf } from '../../src/web/edge/csrf.js'

const SECRET = Buffer.alloc(32, 7).toString('base64url')
const csrf = () => createCsrf(async () => SECRET, { secure: false })
const expected = (purpose: string, cookie: string) =>
  createHmac('sha256', Buffer.from(SECRET, 'base64url'))
    .update(`${purpose}\u0000${cookie}`)
    .digest('base64url')

describe('form tokens (DESIGN §6)', () => {
  it('are HMAC-SHA256 of the purpose and the cookie, asked first or again', async () => {
    const tokens = csrf()
    const first = await tokens.token('req_1', 'cookie-a')
    expect(first).toBe(expected('req_1', 'cookie-a'))
    expect(await tokens.token('req_1', 'cookie-a')).toBe(first)
  })

  it("accept a browser's own token only, whatever was asked before", async () => {
    const tokens = csrf()
    const mine = await tokens.token('req_1', 'cookie-a')
    await tokens.token('req_1', 'cookie-b')
    await tokens.token('req_2', 'cookie-a')
    expect(await tokens.verify('req_1', 'cookie-a', mine)).toBe(true)
    expect(await tokens.verify('req_1', 'cookie-b', mine)).toBe(false)
    expect(await tokens.verify('req_2', 'cookie-a', mine)).toBe(false)
    // The separator keeps a purpose and a cookie from being shifted into each other.
    expect(await tokens.verify('req_', '1\u0000cookie-a', mine)).toBe(false)
    const flipped = `${mine.slice(0, 10)}${mine[10] === 'A' ? 'B' : 'A'}${mine.slice(11)}`
    expect(await tokens.verify('req_1', 'cookie-a', flipped)).toBe(false)
    // The last character of 32 bytes in base64url carries two spare bits: another spelling of
    // the same bytes is still not the token the page carried.
    const last = 'AEIMQUYcgkosw048'.indexOf(mine.at(-1) ?? '')
    const respelled = `${mine.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last * 4 + 1]}`
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(mine, 'base64url'))
    expect(await tokens.verify('req_1', 'cookie-a', respelled)).toBe(false)
    expect(await tokens.verify('req_1', 'cookie-a', undefined)).toBe(false)
    expect(await tokens.verify('req_1', undefined, mine)).toBe(false)
  })

  it('still verify once more pages were opened than tokens are kept', async () => {
    const tokens = csrf()
    const oldest = await tokens.token('req_0', 'cookie')
    for (let i = 1; i <= limits.cache.csrfTokens + 10; i++) await tokens.token(`req_${i}`, 'cookie')
    expect(await tokens.verify('req_0', 'cookie', oldest)).toBe(true)
    expect(await tokens.verify('req_0', 'other', oldest)).toBe(false)
  })
})
