/**
 * The package as `npm pack` makes it (DESIGN §8): what it holds, and that it installs in an empty
 * folder with its production dependencies alone and runs there through `npx assent` — help,
 * migrate, serve — with views, locales and migrations from the tarball and nothing of the checkout.
 */
import { execFile, execFileSync, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SqliteDatabase } from '../../src/store/sqlite-driver.js'
import { ROOT, waitForHttp } from '../support/process.js'
import { freePort } from '../support/serve.js'
import { tempDir } from '../support/temp.js'

let temp: { dir: string; remove: () => void }
let tarball: string
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
  tarball = join(temp.dir, packed.filename)
  execFileSync('tar', ['-xzf', tarball, '-C', temp.dir])
  unpacked = join(temp.dir, 'package')
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

  it('lists every package its code imports in dependencies, code paths the runs below do not reach included', () => {
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
})

describe('the tarball installed in an empty folder', () => {
  let app: string
  // The children run on the Node.js that runs the tests (its folder first on PATH), so `npm` builds
  // the native SQLite driver for it and `npx` starts the bin with it. HOME is npm's cache and config.
  const env = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
    HOME: process.env.HOME ?? temp.dir,
    ...more,
  })
  // `--no`: the bin must come from the folder's node_modules; without it, a missing bin would make
  // npx fetch whatever package is called `assent` from the registry and run that.
  const npx = ['--no', '--', 'assent']
  const database = () => `sqlite:${join(app, 'data', 'assent.sqlite')}`

  // A real `npm install` from the registry (or npm's cache, warm after `npm ci`). better-sqlite3 12,
  // the driver for Node 20, has no prebuilt binary for every platform and is then compiled from
  // source by node-gyp, as in `npm ci`: minutes on a small machine, hence the ten-minute budget.
  beforeAll(async () => {
    app = join(temp.dir, 'app')
    execFileSync('mkdir', [app])
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'assent-install', version: '1.0.0', private: true })}\n`,
    )
    await promisify(execFile)(
      'npm',
      ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'],
      { cwd: app, env: { ...process.env, ...env() }, timeout: 570_000, maxBuffer: 16 << 20 },
    )
  }, 600_000)

  it('installs no development dependency', () => {
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>
    }
    const own = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'))
    const installed = Object.keys(lock.packages).map((path) =>
      path.replace(/^.*node_modules\//, ''),
    )
    for (const name of Object.keys(own.devDependencies ?? {}))
      expect(installed, name).not.toContain(name)
    expect(installed).toContain('assent')
  })

  it('`npx assent --help` lists the commands', () => {
    const help = execFileSync('npx', [...npx, '--help'], { cwd: app, encoding: 'utf8', env: env() })
    expect(help).toContain('Usage: assent <command>')
    for (const command of ['serve', 'migrate', 'import-auth0'])
      expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'))
  })

  it('`npx assent migrate` creates the SQLite database and runs every migration in the tarball', () => {
    const out = execFileSync('npx', [...npx, 'migrate'], {
      cwd: app,
      encoding: 'utf8',
      env: env({ DATABASE_URL: database() }),
    })
    expect(out).toContain('Migrations are up to date.')
    const migrations = files.filter(
      (f) => /^dist\/store\/migrations\/.+\.js$/.test(f) && !f.endsWith('/index.js'),
    )
    const db = new SqliteDatabase(join(app, 'data', 'assent.sqlite'), { readonly: true })
    try {
      const { count } = db.prepare('SELECT count(*) AS count FROM kysely_migration').get() as {
        count: number
      }
      expect(count).toBe(migrations.length)
    } finally {
      db.close()
    }
  })

  it('`npx assent serve` serves `/` and the demo page, and stops cleanly on SIGTERM', async () => {
    const port = await freePort()
    // Its own process group: npx runs the bin through a shell and does not pass SIGTERM on, so
    // the signal goes to the whole group, as a terminal or a service manager sends it.
    const child = spawn('npx', [...npx, 'serve'], {
      cwd: app,
      detached: true,
      env: env({
        PORT: String(port),
        DATABASE_URL: database(),
        ASSENT_DEMO: '1',
        LOG_LEVEL: 'info',
      }),
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
    })
    const exited = new Promise<void>((resolve) => child.stdout.on('close', resolve))
    const base = `http://127.0.0.1:${port}`
    try {
      await waitForHttp(`${base}/healthz`, 60_000)
      const home = await fetch(`${base}/`)
      expect(home.status).toBe(200)
      expect(home.headers.get('content-type')).toContain('text/html')
      const demo = await fetch(`${base}/demo`, { redirect: 'manual' })
      expect(demo.status).toBe(303)
      const page = await fetch(`${base}${demo.headers.get('location')}`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<form')
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM')
    }
    // The pipe closes when the last process holding it, the server, has gone; the server logs
    // "stopped" only on its way to exit code 0, after draining and closing the database.
    await exited
    expect(out).toContain('"msg":"stopped"')
    await expect(fetch(`${base}/healthz`)).rejects.toThrow()
  }, 120_000)
})
