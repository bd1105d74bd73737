import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SCREENSHOTS, takeScreenshots } from '../../scripts/screenshots.js'
import { ARTIFACTS } from '../support/browser.js'

/** A PNG's width and height, from its IHDR chunk (PNG spec §11.2.2). */
function pngSize(path: string) {
  const bytes = readFileSync(path)
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

describe('npm run screenshots', () => {
  it('takes every picture the README shows, into the folder it is given', {
    timeout: 120_000,
  }, async () => {
    const folder = join(ARTIFACTS, 'screenshots')
    const written = await takeScreenshots(folder)
    expect(written.map((path) => path.slice(folder.length + 1)).sort()).toEqual([
      'consent-ar-dark.png',
      'consent-en.png',
      'console-permissions.png',
      'preview.png',
    ])
    // The README's pictures are these files, by name.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    for (const [, name] of readme.matchAll(/\]\(examples\/screenshots\/([^)]+)\)/g))
      expect(written).toContain(join(folder, name ?? ''))
    expect(SCREENSHOTS).toMatch(/\/examples\/screenshots\/$/)
    expect(pngSize(join(folder, 'consent-en.png')).width).toBe(760)
    expect(pngSize(join(folder, 'console-permissions.png')).width).toBe(1280)
  })
})
