import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Started, startAssent, waitForHttp } from '../support/process.js'
import { freePort } from '../support/serve.js'
import { tempDir } from '../support/temp.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function track(started: Started): Started {
  cleanups.push(() => started.child.kill('SIGKILL'))
  return started
}

describe('npm start (DESIGN §8)', () => {
  it('creates the database, seeds the demo, prints the demo URL and the token once, and drains on SIGTERM', async () => {
    const temp = tempDir()
    cleanups.push(temp.remove)
    const port = await freePort()
    const env = {
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(temp.dir, 'db', 'assent.sqlite')}`,
    }
    const first = track(startAssent(env))
    await waitForHttp(`http://127.0.0.1:${port}/healthz`)

    const base = `http://localhost:${port}`
    expect(first.output()).toContain(`Demo consent page:   ${base}/demo`)
    // The heap's growth is bounded (src/heap.ts), and the start says so.
    expect(first.output()).toMatch(
      /"msg":"listening".*"heapGrowingPercent":50|"heapGrowingPercent":50.*"msg":"listening"/,
    )
    expect(first.output()).toContain(`Admin preview:       ${base}/admin/preview`)
    const token = /Admin token \(shown once, kept in (.+)\):\n\s+(\S+)/.exec(first.output())
    expect(token?.[1]).toBe(join(temp.dir, 'db', 'admin-token'))
    expect(token?.[2]).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(statSync(join(temp.dir, 'db', 'admin-token')).mode & 0o777).toBe(0o600)

    const demo = await fetch(`http://127.0.0.1:${port}/demo`, { redirect: 'manual' })
    expect(demo.status).toBe(303)
    const page = await fetch(`http://127.0.0.1:${port}${demo.headers.get('location')}`)
    expect(await page.text()).toContain(
      '<bdi>Messages</bdi>: read and write your <bdi>messages</bdi>',
    )

    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    // A second start keeps the data and the demo, and no longer prints the token itself.
    const second = track(startAssent(env))
    await waitForHttp(`http://127.0.0.1:${port}/healthz`)
    expect((await fetch(`http://127.0.0.1:${port}/demo`, { redirect: 'manual' })).status).toBe(303)
    expect(second.output()).toContain(
      `Admin token:         in ${join(temp.dir, 'db', 'admin-token')}`,
    )
    expect(second.output()).not.toContain(token?.[2] ?? 'unreachable')
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })

  it('names every bad variable and exits 1', async () => {
    const started = track(
      startAssent({ PORT: 'http', DATABASE_URL: 'mongodb://x', ASSENT_DEMO: 'perhaps' }),
    )
    expect(await started.exited).toBe(1)
    for (const name of ['PORT', 'DATABASE_URL', 'ASSENT_DEMO'])
      expect(started.output()).toContain(name)
    expect(started.output()).not.toMatch(/\bat .+\.js:\d+/)
  })

  it('does not seed the demo when told not to', async () => {
    const temp = tempDir()
    cleanups.push(temp.remove)
    const port = await freePort()
    const started = track(
      startAssent({
        PORT: String(port),
        ASSENT_DEMO: '0',
        DATABASE_URL: `sqlite:${join(temp.dir, 'assent.sqlite')}`,
      }),
    )
    await waitForHttp(`http://127.0.0.1:${port}/healthz`)
    expect((await fetch(`http://127.0.0.1:${port}/demo`)).status).toBe(404)
    expect(started.output()).not.toContain('Demo consent page')
    started.child.kill('SIGTERM')
    expect(await started.exited).toBe(0)
  })
})
