import { LRUCache } from 'lru-cache'
import { limits } from '../../config/env.js'
import type { ShownLine } from '../../consent/index.js'
import type { ShownPage } from '../../entities.js'
import { copyWith } from '../../objects.js'

/** What a shown page holds but its time: the same for every request that showed the same page. */
type ShownContent = Omit<ShownPage, 'at'>

/**
 * The content of pages read back, by their stored text up to the time. Thousands of requests
 * open at once mostly show a few pages (one per client, scopes and language), and a request read
 * back each time its own answer misses the kept ones; with the content shared, a request kept or
 * read holds its time and not a 3 KB copy of the page. Bounded: the least recently read goes.
 */
const contents = new LRUCache<string, ShownContent>({ max: limits.shownPages })

// A page is stored with its time as the last member (`shownJson`: the render's fields, then `at`).
const TIME_MEMBER = ',"at":"'
const TIME_TAIL = /^,"at":"([^"\\]*)"\}$/

/**
 * A shown page as stored; one stored before pages had ids kept only its lines' words. Two texts
 * that are the same up to their last member, the time, hold the same content: the second shares
 * the first's, and is not parsed.
 */
export function toShown(text: string): ShownPage {
  const cut = text.lastIndexOf(TIME_MEMBER)
  const key = cut > 0 ? text.slice(0, cut) : undefined
  const known = key === undefined ? undefined : contents.get(key)
  if (known && key !== undefined) {
    const at = TIME_TAIL.exec(text.slice(key.length))?.[1]
    if (at !== undefined) return copyWith(known, { at: new Date(at) })
  }
  const raw = JSON.parse(text) as Omit<ShownPage, 'at' | 'lines'> & {
    at: string
    lines: readonly (ShownLine | string)[]
  }
  const content: ShownContent = {
    rendition: raw.rendition ?? '',
    locale: raw.locale,
    mode: raw.mode,
    lines: raw.lines.map((line) =>
      typeof line === 'string' ? { text: line, scopes: [], kind: 'all', changed: false } : line,
    ),
    versions: raw.versions ?? {},
    ...(raw.device ? { device: raw.device } : {}),
    ...(raw.details ? { details: raw.details } : {}),
    ...(raw.durations ? { durations: raw.durations } : {}),
  }
  // Shared only when the time is the page's own last member, so that everything before it is the
  // content; never a page with RFC 9396 entries, which is its request's alone and would only push
  // the shared pages out.
  if (key !== undefined && !raw.details && text.slice(key.length) === timeTail(raw.at))
    contents.set(key, content)
  return copyWith(content, { at: new Date(raw.at) })
}

const timeTail = (at: unknown) =>
  typeof at === 'string' ? `${TIME_MEMBER}${JSON.stringify(at).slice(1)}}` : undefined

/** How many pages' contents are kept (for the tests of the bound). */
export const sharedShownPages = () => contents.size
