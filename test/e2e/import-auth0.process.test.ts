/**
 * `assent import-auth0` (DESIGN §4.2.1) as a team moving from Auth0 runs it: the built command, in
 * a child process, on a Deploy CLI export (test/fixtures, in Auth0's own layout and field names),
 * into a SQLite file in a temp folder, or through the Management API of a running Assent.
 */
import { execFile } from 'node:child_process'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore } from '../../src/store/open-database.js'
import { ROOT } from '../support/process.js'
import { freePort, servePublicly } from '../support/serve.js'
import { tempDir } from '../support/temp.js'

const EXPORT = join(ROOT, 'test/fixtures/auth0-export')
const YAML_EXPORT = join(ROOT, 'test/fixtures/auth0-export-yaml')
const GRANTS = join(ROOT, 'test/fixtures/auth0-grants/grants.json')
const TOKEN = 'import-test-admin-token-0123456789abcdef'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

interface Ran {
  readonly code: number
  readonly out: string
}

/** Runs `node dist/cli.js …args` with `env` added to a clean environment. */
function assent(args: readonly string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/cli.js', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          out: stdout + stderr,
        }),
    )
  })
}

function database() {
  const temp = tempDir()
  cleanups.push(temp.remove)
  const url = `sqlite:${join(temp.dir, 'assent.sqlite')}`
  return { dir: temp.dir, url, env: { DATABASE_URL: url, ASSENT_ADMIN_TOKEN: TOKEN } }
}

/** The line the command printed for an object: its outcome. */
const outcome = (out: string, kind: string, name: string) =>
  new RegExp(`^ {2}(\\w+) +${kind} +${name.replace(/[|()]/g, '\\$&')}`, 'm').exec(out)?.[1]

// Each test runs the built command a few times, a Node start each: slow on a loaded machine.
const SLOW = { timeout: 180_000 }

describe('assent import-auth0', SLOW, () => {
  it('imports a Deploy CLI directory and grants into the database, and a second run changes nothing', async () => {
    const db = database()
    const first = await assent(['import-auth0', EXPORT, '--grants', GRANTS], db.env)
    expect(first.code, first.out).toBe(0)
    expect(outcome(first.out, 'resource server', 'https://orders.example.com/api')).toBe('created')
    expect(outcome(first.out, 'client', 'Orders SPA')).toBe('created')
    expect(outcome(first.out, 'role', 'Order admin')).toBe('created')
    expect(first.out).toMatch(/created +role +Order admin: 2 permissions added/)
    expect(outcome(first.out, 'tenant settings', 'tenant')).toBe('updated')
    expect(first.out).toMatch(
      /skipped +grant .*GoneClientThatWasNotExported0000.*does not exist \(.*grants\.json\[2\]\)/,
    )
    expect(first.out).toContain('grant: 2 created, 0 updated, 0 kept, 1 skipped, 0 failed')

    const second = await assent(['import-auth0', EXPORT, '--grants', GRANTS], db.env)
    expect(second.code, second.out).toBe(0)
    expect(second.out).not.toMatch(/^ {2}(created|updated|failed) /m)
    expect(second.out).toContain('Nothing changed: everything imported is already there.')

    // The same tenant in the YAML format is the same data: nothing to do either.
    const yaml = await assent(['import-auth0', join(YAML_EXPORT, 'tenant.yaml')], db.env)
    expect(yaml.code, yaml.out).toBe(0)
    expect(yaml.out).toContain('Nothing changed')
    expect(yaml.out).toContain('role: 0 created, 0 updated, 2 kept, 0 skipped, 0 failed')

    // What the database holds is what the export said.
    const store = await openStore(db.url)
    try {
      const tenantId = 'default'
      const api = await store.resourceServers.find(tenantId, 'https://orders.example.com/api')
      expect(api).toMatchObject({
        id: '5f3c7c2d9a1b4e0012ab34cd',
        tokenDialect: 'access_token_authz',
        auth0: { allow_online_access: false, consent_policy: null },
      })
      const spa = await store.clients.get(tenantId, 'AaiyAPdpYdesoKnqjj8HJqRn4T5titww')
      expect(spa).toMatchObject({ name: 'Orders SPA', isFirstParty: true, appType: 'spa' })
      expect(spa?.auth0).toMatchObject({
        grant_types: ['authorization_code', 'implicit', 'refresh_token'],
      })
      expect(spa?.auth0).not.toHaveProperty('tenant')
      const role = await store.roles.get(tenantId, 'rol_0Vq0TUJN8mSjPzVh')
      expect(role?.name).toBe('Order admin')
      const permissions = await store.roles.permissions(tenantId, 'rol_0Vq0TUJN8mSjPzVh', {
        page: 0,
        perPage: 10,
      })
      expect(permissions.items.map((p) => p.permissionName).sort()).toEqual([
        'read:orders',
        'write:orders',
      ])
      const tenant = await store.tenants.get(tenantId)
      expect(tenant?.settings).toMatchObject({
        friendly_name: 'Orders Inc.',
        enabled_locales: ['en', 'fr'],
        auth0: { support_email: 'support@orders.example.com', session_lifetime: 168 },
      })
      const grant = await store.grants.find(
        tenantId,
        'auth0|64f1c2d3e4b5a6978899aabb',
        'AaiyAPdpYdesoKnqjj8HJqRn4T5titww',
        'https://orders.example.com/api',
      )
      expect(grant?.scope).toEqual(expect.arrayContaining(['read:orders']))
    } finally {
      await store.close()
    }
  })

  it('--dry-run says what it would do and writes nothing', async () => {
    const db = database()
    const dry = await assent(['import-auth0', YAML_EXPORT, '--dry-run', '--grants', GRANTS], db.env)
    expect(dry.code, dry.out).toBe(0)
    expect(dry.out).toMatch(/created +client +Orders SPA .*: would be created/)
    // A grant for a client the same run would create would be imported; one for no client not.
    expect(dry.out).toMatch(
      /created +grant +auth0\|64f1c2d3e4b5a6978899aabb → AaiyAPdp.*would be created/,
    )
    expect(dry.out).toMatch(/skipped +grant .*GoneClientThatWasNotExported0000 does not exist/)
    expect(dry.out).toContain('Dry run: nothing was written.')
    const store = await openStore(db.url)
    try {
      expect(await store.clients.get('default', 'AaiyAPdpYdesoKnqjj8HJqRn4T5titww')).toBeUndefined()
      expect(await store.roles.get('default', 'rol_0Vq0TUJN8mSjPzVh')).toBeUndefined()
    } finally {
      await store.close()
    }
    const real = await assent(['import-auth0', YAML_EXPORT], db.env)
    expect(real.code, real.out).toBe(0)
    expect(outcome(real.out, 'client', 'Orders SPA')).toBe('created')
  })

  it('names the file and the field of a bad object, imports the rest, and exits 1', async () => {
    const db = database()
    const copy = join(db.dir, 'export')
    cpSync(EXPORT, copy, { recursive: true })
    const file = join(copy, 'clients', 'Partner Portal.json')
    const partner = JSON.parse(readFileSync(file, 'utf8'))
    writeFileSync(file, JSON.stringify({ ...partner, grant_types: 'implicit' }))
    const ran = await assent(['import-auth0', copy], db.env)
    expect(ran.code).toBe(1)
    expect(ran.out).toMatch(
      /failed +client +Partner Portal .*400 invalid_body: .*grant_types.*\(clients\/Partner Portal\.json\)/,
    )
    expect(outcome(ran.out, 'client', 'Orders SPA')).toBe('created')

    writeFileSync(file, '{ "name": "Partner Portal", ')
    const broken = await assent(['import-auth0', copy], db.env)
    expect(broken.code).toBe(1)
    expect(broken.out).toMatch(/clients\/Partner Portal\.json: not JSON/)

    writeFileSync(file, JSON.stringify({ ...partner, name: 42 }))
    const noName = await assent(['import-auth0', copy], db.env)
    expect(noName.code).toBe(1)
    expect(noName.out).toMatch(/clients\/Partner Portal\.json: name: /)
  })

  it('applies the export through the Management API of a running Assent with --url', async () => {
    const port = await freePort()
    const served = await servePublicly({ port, env: { ASSENT_ADMIN_TOKEN: TOKEN } })
    cleanups.push(served.close)
    const url = `http://127.0.0.1:${port}`
    const db = database()
    const first = await assent(['import-auth0', EXPORT, '--url', url], db.env)
    expect(first.code, first.out).toBe(0)
    expect(outcome(first.out, 'role', 'Viewer')).toBe('created')
    const res = await served.t.app.request('/api/v2/roles/rol_K3mN8pQ2rS5tU7vW', {
      headers: { authorization: `Bearer ${TOKEN}`, host: `127.0.0.1:${port}` },
    })
    expect(await res.json()).toMatchObject({ name: 'Viewer' })
    const again = await assent(['import-auth0', EXPORT, '--url', url], db.env)
    expect(again.out).toContain('Nothing changed')

    const plain = await assent(
      ['import-auth0', EXPORT, '--url', 'http://consent.example.com'],
      db.env,
    )
    expect(plain.code).toBe(2)
    expect(plain.out).toMatch(/--url must be https/)

    const wrong = await assent(
      ['import-auth0', EXPORT, '--url', url, '--token', 'x'.repeat(40)],
      {},
    )
    expect(wrong.code).toBe(1)
    expect(wrong.out).toMatch(/failed +resource server .*401/)
  })

  it('refuses what it cannot read, with the usage', async () => {
    const db = database()
    const none = await assent(['import-auth0', join(db.dir, 'nothing-here')], db.env)
    expect(none.code).toBe(1)
    expect(none.out).toMatch(/nothing-here: no such file or folder/)
    const unknown = await assent(['import-auth0', EXPORT, '--force'], db.env)
    expect(unknown.code).toBe(2)
    expect(unknown.out).toContain('Usage: assent <command>')
  })
})

describe('assent --help (DESIGN §8)', SLOW, () => {
  it('lists the commands and every variable', async () => {
    const help = await assent(['--help'], {})
    expect(help.code).toBe(0)
    for (const text of ['serve', 'migrate', 'import-auth0', '--dry-run', 'DATABASE_URL', 'PORT'])
      expect(help.out).toContain(text)
    const bare = await assent([], {})
    expect(bare.code).toBe(2)
  })

  it('migrate brings a new database up to date', async () => {
    const db = database()
    const ran = await assent(['migrate'], db.env)
    expect(ran.code, ran.out).toBe(0)
    expect(ran.out).toContain('Migrations are up to date.')
  })
})
