import { describe, expect, it } from 'vitest'
import { liveHeap } from '../support/heap.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

/** Pages anyone can ask for without a session or a token. */
const PAGES = ['/consent/x', '/admin/login', '/api/v2/clients', '/demo']
const REQUESTS = 5000
/**
 * Half of Node's default 16 KiB header limit, so within what a client can send. Large enough
 * that keeping even the tenant cache's bound of hosts (1000) would cost ~8 MB and fail the
 * check: with 2 KB names a bounded cache of unknown hosts could hide under the margin.
 */
const HOST_BYTES = 8 * 1024
/** Generous: what the process keeps of 5000 such requests is well under 1 MB today. */
const MARGIN = 5 * 1024 * 1024

let t: TestApp
eachTestApp((suite) => ({ t } = suite))

/**
 * `count` requests to the pages, each with a `Host` no request sent before (or, `unique` false,
 * one and the same `Host`); counts the answers by status.
 */
async function flood(count: number, tag: string, unique = true): Promise<Map<number, number>> {
  const padding = 'x'.repeat(HOST_BYTES)
  const statuses = new Map<number, number>()
  for (let i = 0; i < count; i++) {
    const res = await t.app.request(PAGES[i % PAGES.length] ?? '/', {
      headers: { host: `${tag}-${unique ? i : 0}.${padding}.example` },
    })
    await res.arrayBuffer()
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
  }
  return statuses
}

/** How much the live heap grew over `count` requests, after a warm-up of the same requests. */
async function heapGrowth(count: number): Promise<{ grew: number; statuses: Map<number, number> }> {
  // Compiled templates, JIT code, metric series and the like are made once, before measuring;
  // with one host, so that a cache of hosts starts the measure empty.
  await flood(400, 'warm', false)
  const before = liveHeap()
  const statuses = await flood(count, 'hostile')
  return { grew: liveHeap() - before, statuses }
}

// 5400 requests each: on a machine busy with other work that can pass the default 30 s, which
// says nothing about memory.
describe('memory under a stream of unknown Host headers (DESIGN §6)', { timeout: 120_000 }, () => {
  it('stays bounded when one tenant answers on every host', async () => {
    const { grew, statuses } = await heapGrowth(REQUESTS)
    // The pages were reached: the sign-in page, an unknown request, a missing token, the demo.
    expect(statuses.get(200)).toBe(REQUESTS / PAGES.length)
    expect(statuses.get(401)).toBe(REQUESTS / PAGES.length)
    expect(grew).toBeLessThan(MARGIN)
  })

  it('stays bounded when several tenants refuse hosts that are none of theirs', async () => {
    await t.store.tenants.create({
      id: 'second',
      domains: ['second.example'],
      settings: { friendly_name: 'Second', flags: {} },
    })
    const { grew, statuses } = await heapGrowth(REQUESTS)
    // Every host was looked up, and none served: the lookups a cache of misses would keep.
    expect(statuses).toEqual(new Map([[404, REQUESTS]]))
    expect(grew).toBeLessThan(MARGIN)
  })
})
