import { randomBytes, randomFillSync } from 'node:crypto'

// One call into the system's random source costs ~6 µs, more than rendering half a page; a
// consent page needs fresh random bytes (its style nonce, a new browser's CSRF cookie), a verify
// a grant id, so they are drawn from a pool filled 8 KiB at a time. No byte is handed out twice.
const POOL_BYTES = 8192
let pool = Buffer.alloc(0)
let poolOffset = 0

/** `bytes` (at most the pool's size) fresh random bytes: a view, to be read before the next draw. */
function draw(bytes: number): Buffer {
  if (poolOffset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES))
    poolOffset = 0
  }
  poolOffset += bytes
  return pool.subarray(poolOffset - bytes, poolOffset)
}

/** `bytes` fresh random bytes from the system's CSPRNG, encoded. */
export function randomToken(bytes: number, encoding: 'base64url' | 'base64' = 'base64url'): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString(encoding)
  return draw(bytes).toString(encoding)
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** `length` random letters and digits (rejection sampling keeps every character equally likely). */
export function randomAlphanumeric(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of length * 2 > POOL_BYTES ? randomBytes(length * 2) : draw(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62]
    }
  }
  return out
}

const processTag = randomBytes(3).toString('hex')
let counter = randomBytes(3).readUIntBE(0, 3)

/**
 * 24 hex digits like Auth0's resource server ids: milliseconds, a per-process tag and a counter,
 * so ids sort in creation order and lists page in a stable order.
 */
export function sortableId(): string {
  counter = (counter + 1) % 0xffffff
  return `${Date.now().toString(16).padStart(12, '0')}${processTag}${counter.toString(16).padStart(6, '0')}`
}

/** Client ids look like Auth0's: 32 letters and digits. */
export const newClientId = (): string => randomAlphanumeric(32)

/** Role ids look like Auth0's: `rol_` and 16 letters and digits. */
export const newRoleId = (): string => `rol_${randomAlphanumeric(16)}`

/** Grant ids: `cgr_` and 16 letters and digits. */
export const newGrantId = (): string => `cgr_${randomAlphanumeric(16)}`
