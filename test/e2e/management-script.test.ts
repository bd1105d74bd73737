import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../support/process.js'
import { listen } from '../support/serve.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let server: Awaited<ReturnType<typeof listen>>

beforeAll(async () => {
  t = await createTestApp()
  server = await listen(t.app)
})
afterAll(async () => {
  await server.close()
  await t.close()
})

describe('examples/management-api.mjs against a running Assent', () => {
  it('creates an API, edits its permissions, flips the flag and lists a user’s permissions with sources', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['examples/management-api.mjs'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ASSENT_URL: server.url, ASSENT_TOKEN: t.adminToken },
      },
    )
    expect(stdout).toContain('scopes: read:calendar_events delete:calendar_events')
    expect(stdout).toContain('use_scope_descriptions_for_consent: true')
    expect(stdout).toMatch(/read:calendar_events \(ROLE Calendar reader \d+\)/)
    expect(stdout).toContain('delete:calendar_events (DIRECT)')
    const settings = await t.store.tenants.get(t.tenant.id)
    expect(settings?.settings.flags.use_scope_descriptions_for_consent).toBe(true)
  })
})
