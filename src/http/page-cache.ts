import { randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { limits } from '../config.js'

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
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch)

/** The per-request values that go where the sentinels stand. */
export interface Personal {
  readonly user: string
  readonly csrf: string
  readonly id: string
  readonly nonce: string
}

/**
 * Pages rendered once and personalised per request (issue: render once, personalise per request):
 * the HTML of a prompt is the same for every user shown the same lines by the same client in the
 * same language, but for their name, their form token, the request id and the style nonce.
 * Bounded (LRU), and keyed by the store's configuration epoch, so any configuration write makes
 * every page rendered before it unreachable.
 */
export function createPageCache(max: number = limits.renderedPages) {
  const pages = new LRUCache<string, string>({ max })
  return {
    html(key: string, render: () => string): string {
      const cached = pages.get(key)
      if (cached !== undefined) return cached
      const html = render()
      pages.set(key, html)
      return html
    },
    get size() {
      return pages.size
    },
  }
}

export type PageCache = ReturnType<typeof createPageCache>

export function personalise(html: string, values: Personal): string {
  return html
    .replaceAll(SENTINEL.user, escapeHtml(values.user))
    .replaceAll(SENTINEL.csrf, escapeHtml(values.csrf))
    .replaceAll(SENTINEL.id, escapeHtml(values.id))
    .replaceAll(SENTINEL.nonce, escapeHtml(values.nonce))
}
