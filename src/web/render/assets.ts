import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
}

export interface Asset {
  readonly body: Uint8Array<ArrayBuffer>
  readonly type: string
  /** `/assets/<name>.<hash>.<ext>`: safe to cache for a year, the URL changes with the content. */
  readonly fingerprinted: string
  readonly etag: string
}

export interface Assets {
  /** The URL to link to, fingerprinted. */
  url(name: string): string
  /** The asset at a request path (`/assets/…`), fingerprinted or plain. */
  lookup(path: string): { asset: Asset; immutable: boolean } | undefined
}

/** Reads `public/` once at start. */
export function loadAssets(dir: string): Assets {
  const byName = new Map<string, Asset>()
  const byPath = new Map<string, { asset: Asset; immutable: boolean }>()
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)]
    if (!type) continue
    const body = new Uint8Array(readFileSync(join(dir, name)))
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12)
    const ext = extname(name)
    const fingerprinted = `/assets/${name.slice(0, -ext.length)}.${hash}${ext}`
    const asset: Asset = { body, type, fingerprinted, etag: `"${hash}"` }
    byName.set(name, asset)
    byPath.set(fingerprinted, { asset, immutable: true })
    byPath.set(`/assets/${name}`, { asset, immutable: false })
  }
  return {
    url(name) {
      const asset = byName.get(name)
      if (!asset) throw new Error(`no asset named ${name}`)
      return asset.fingerprinted
    },
    lookup: (path) => byPath.get(path),
  }
}
