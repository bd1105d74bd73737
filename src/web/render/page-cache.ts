import { randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { limits } from '../../config/env.js'

/**
 * Stand-ins for what differs between two users shown the same prompt. NUL and a per-process
 * secret make them impossible to write into any stored text, so a substitution can only ever hit
 * the places the page itself put them.
 */
const secret = randomBytes(9).toString('hex')
export const SENTINEL = {
  user: `\u0000${secret}:user\u0000`,
  csrf: `\u0000${secret}:csrf\u0000`,
  id: `\u0000${secret}:id\u0000`,
  nonce: `\u0000${secret}:nonce\u0000`,
} as const

/** As Eta escapes (its `autoEscape`), so a personalised page reads as a rendered one. */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
const TOKEN_CHARS = /^[\w+/=-]*$/
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch)

/** The per-request values that go where the sentinels stand. */
export interface Personal {
  readonly user: string
  readonly csrf: string
  readonly id: string
  readonly nonce: string
}

/** A page split at its stand-ins: UTF-8 bytes between them, and which value goes in each gap. */
export interface PageTemplate {
  readonly parts: readonly Buffer[]
  readonly slots: readonly (keyof Personal)[]
  /** The bytes of all the parts together. */
  readonly fixedLength: number
}

const SLOT = new RegExp(`\u0000${secret}:(user|csrf|id|nonce)\u0000`)

/** Splits a page rendered with the stand-ins, once, into bytes ready to send. */
export function compilePage(html: string): PageTemplate {
  // With a capturing group, `split` alternates text and slot names: text, slot, text, …
  const pieces = html.split(new RegExp(SLOT, 'g'))
  const parts = pieces.filter((_, i) => i % 2 === 0).map((text) => Buffer.from(text))
  return {
    parts,
    slots: pieces.filter((_, i) => i % 2 === 1) as (keyof Personal)[],
    fixedLength: parts.reduce((sum, part) => sum + part.length, 0),
  }
}

/**
 * Pages rendered once and personalised per request: the HTML of a prompt is the same for every
 * user shown the same lines by the same client in the same language, but for their name, their
 * form token, the request id and the style nonce.
 * Bounded (LRU), and keyed by the store's configuration epoch, so any configuration write makes
 * every page rendered before it unreachable. Kept as UTF-8 bytes: sending a string would encode
 * the whole page again on every request.
 */
export function createPageCache(max: number = limits.renderedPages) {
  const pages = new LRUCache<string, PageTemplate>({ max })
  return {
    page(key: string, render: () => string): PageTemplate {
      const cached = pages.get(key)
      if (cached !== undefined) return cached
      const page = compilePage(render())
      pages.set(key, page)
      return page
    },
    get size() {
      return pages.size
    },
  }
}

export type PageCache = ReturnType<typeof createPageCache>

/** A value ready to write: its text as the page shows it, how to encode it, and its length. */
interface Filling {
  readonly text: string
  readonly encoding: 'latin1' | 'utf8'
  readonly bytes: number
}

/** Tokens, ids and nonces are URL-safe ASCII: nothing to escape, one byte a character (checked). */
function fill(value: string, isToken: boolean): Filling {
  if (isToken && TOKEN_CHARS.test(value))
    return { text: value, encoding: 'latin1', bytes: value.length }
  const text = escapeHtml(value)
  return { text, encoding: 'utf8', bytes: Buffer.byteLength(text) }
}

/** The page with this request's own values in its gaps, escaped as the template escapes. */
export function personalise(page: PageTemplate, values: Personal): Buffer<ArrayBuffer> {
  const { parts, slots } = page
  // Each value once, however many gaps it fills (the id is in every language link).
  const fillings: Record<keyof Personal, Filling> = {
    user: fill(values.user, false),
    csrf: fill(values.csrf, true),
    id: fill(values.id, true),
    nonce: fill(values.nonce, true),
  }
  let length = page.fixedLength
  for (const slot of slots) length += fillings[slot].bytes
  // One buffer, written in place: no intermediate string of the whole page, no second copy.
  const out = pageBuffer(length)
  let at = 0
  for (let i = 0; i < slots.length; i++) {
    at += (parts[i] as Buffer).copy(out, at)
    const filling = fillings[slots[i] as keyof Personal]
    at += out.write(filling.text, at, filling.encoding)
  }
  ;(parts[slots.length] as Buffer).copy(out, at)
  return out as Buffer<ArrayBuffer>
}

/**
 * Pages are cut from a shared slab, as Node cuts its own small buffers from a pool: a page of
 * 5 KB is past Node's pool (4 KB), and an `ArrayBuffer` of its own per view is a GC-tracked
 * external allocation each time (src/web/render/README.md). Each page gets bytes no other page was given, and writes
 * every one of them (`personalise` fills exactly `length`); a slab goes once every page cut from
 * it has been sent. A client that stops reading holds its page's slab, not just its page: at
 * 64 KB, a dozen pages a slab, that is at most 64 KB a stalled connection.
 */
const SLAB_BYTES = 64 * 1024
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
let slabUsed = 0
export function pageBuffer(length: number): Buffer<ArrayBuffer> {
  if (length > SLAB_BYTES / 8) return Buffer.allocUnsafe(length) as Buffer<ArrayBuffer>
  if (slabUsed + length > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
    slabUsed = 0
  }
  const out = slab.subarray(slabUsed, slabUsed + length)
  // The next page starts on an 8-byte boundary, as Node aligns its pool.
  slabUsed += (length + 7) & ~7
  return out as Buffer<ArrayBuffer>
}
