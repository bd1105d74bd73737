import { Eta } from 'eta'
import { LRUCache } from 'lru-cache'
import { limits } from '../../config/env.js'

export interface Views {
  render(name: string, data: object): string
}

/**
 * Eta over `views/`, escaping everything printed with `<%= %>`; templates compile once, and each
 * template name (with the template that includes it) is resolved to its file once, not on every
 * render of every page.
 */
export function createViews(dir: string): Views {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true, autoTrim: [false, 'nl'] })
  const resolve = eta.resolvePath
  const resolved = new LRUCache<string, string>({ max: limits.viewPaths })
  eta.resolvePath = function resolveOnce(template, options) {
    const key = `${options?.filepath ?? ''}\u0000${template}`
    let path = resolved.get(key)
    if (path === undefined) {
      path = resolve.call(this, template, options)
      resolved.set(key, path)
    }
    return path
  }
  return { render: (name, data) => eta.render(name, data) }
}
