import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Every TypeScript source under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

describe("hono's public API only (STYLE 17)", () => {
  it('no source reaches into the request body cache hono keeps for itself', () => {
    const offenders = sources('src').filter((path) =>
      /\.bodyCache\b/.test(readFileSync(path, 'utf8')),
    )
    expect(offenders).toEqual([])
  })
})
