/**
 * The package as `npm pack` makes it (DESIGN §8): what it holds, and that its `bin` runs from the
 * unpacked tarball alone — views, locales and migrations included. An `npm install` of the tarball
 * would fetch its dependencies from the registry, which a test must not need, so the unpacked
 * package borrows this checkout's node_modules (a link beside it: ES modules do not read
 * NODE_PATH) and nothing else of the checkout.
 */
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, waitForHttp } from '../support/process.js'
import { freePort } from '../support/serve.js'
import { tempDir } from '../support/temp.js'

let temp: { dir: string; remove: () => void }
let files: string[]
let unpacked: string

beforeAll(() => {
  temp = tempDir()
  // dist/ is built by the e2e project's global setup; the prepack build would only repeat it.
  const out = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', temp.dir],
    { cwd: ROOT, encoding: 'utf8' },
  )
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[]
  if (!packed) throw new Error('npm pack answered nothing')
  files = packed.files.map((file) => file.path)
  execFileSync('tar', ['-xzf', join(temp.dir, packed.filename), '-C', temp.dir])
  unpacked = join(temp.dir, 'package')
  symlinkSync(join(ROOT, 'node_modules'), join(unpacked, 'node_modules'), 'dir')
}, 120_000)
afterAll(() => temp?.remove())

describe('npm pack', () => {
  it('holds the built code, the bin, migrations, views and every locale, and no sources or tests', () => {
    const pkg = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'))
    expect(pkg.bin).toEqual({ assent: 'dist/cli.js' })
    for (const path of ['dist/cli.js', 'dist/main.js', 'dist/migrate.js', 'views/consent.eta'])
      expect(files).toContain(path)
    expect(files.filter((f) => /^dist\/store\/migrations\/.+\.js$/.test(f)).length).toBeGreaterThan(
      10,
    )
    expect(files.filter((f) => /^locales\/[^/]+\/.+\.json$/.test(f)).length).toBeGreaterThanOrEqual(
      31,
    )
    expect(files.some((f) => f.startsWith('views/assets/'))).toBe(true)
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f))).toEqual([])
    expect(readFileSync(join(unpacked, 'dist/cli.js'), 'utf8').split('\n')[0]).toBe(
      '#!/usr/bin/env node',
    )
  })

  it('lists every package its code imports in dependencies (the borrowed node_modules has more)', () => {
    const pkg = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'))
    const imported = new Set<string>()
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(unpacked, file), 'utf8')
      const specifiers = [
        ...code.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s'([^']+)'/gm),
        ...code.matchAll(/^import\s'([^']+)'/gm),
        ...code.matchAll(/\bimport\('([^']+)'\)/g),
      ].map((match) => match[1] ?? '')
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue
        const parts = specifier.split('/')
        imported.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''))
      }
    }
    expect(imported.size).toBeGreaterThan(10)
    expect([...imported].filter((name) => !(name in pkg.dependencies))).toEqual([])
  })

  it('its bin answers --help', () => {
    const pkg = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'))
    const help = execFileSync(process.execPath, [join(unpacked, pkg.bin.assent), '--help'], {
      cwd: temp.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    })
    expect(help).toContain('Usage: assent <command>')
    expect(help).toContain('import-auth0')
  })

  it('its bin serves from the unpacked package: migrations run, the demo page renders', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, [join(unpacked, 'dist/cli.js'), 'serve'], {
      cwd: temp.dir,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        DATABASE_URL: `sqlite:${join(temp.dir, 'data', 'assent.sqlite')}`,
        ASSENT_DEMO: '1',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`)
      const demo = await fetch(`http://127.0.0.1:${port}/demo`, { redirect: 'manual' })
      expect(demo.status).toBe(303)
      const page = await fetch(`http://127.0.0.1:${port}${demo.headers.get('location')}`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<form')
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 60_000)
})
