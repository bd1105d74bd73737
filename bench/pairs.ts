/**
 * Answer + verify pairs, the bench's two ways: `immediate`, each page answered moments after it
 * opened (the request still in memory), and `open`, as people read: many pages open at once,
 * answered in random order once they all are (most requests no longer in memory). See README.md.
 */
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { cpuSeconds, type Started } from './lib.js'
import { api, COOKIE, createBody, inParallel, TOKEN } from './tenant.js'

export interface Instance {
  readonly base: string
  readonly process: Started
}

export interface Pairs {
  pairsPerSecond: number
  answered: number
  verified: number
  p50: number
  p99: number
  verifyP50: number
  verifyP99: number
  /** Server CPU per pair (both instances' when two serve), in µs. */
  serverMicrosPerPair: number
  /** The same, per instance (the answering one first) when two serve. */
  perInstanceMicros?: number[]
  /** Pairs per second of server CPU: 1e6 / `serverMicrosPerPair`. */
  pairsPerCpuSecond: number
  /** Server CPU per page's first view (binding, recording the page shown, counting it), in µs. */
  firstViewMicros: number
}

/** How the pages are opened before their answers. */
export type Scenario = 'immediate' | 'open'

/** A page as the browser holds it: what its answer posts back. */
interface OpenPage {
  readonly id: string
  readonly csrf: string
  readonly rendition: string
}

// An immediate chunk is opened and then answered in full, well under the 1,024 kept requests.
const IMMEDIATE_CHUNK = 512
const CONNECTIONS = 32

/**
 * `count` pairs answered at `answerAt` and verified at `verifyAt`. `immediate` opens the pages
 * `IMMEDIATE_CHUNK` at a time and answers each chunk in the order it opened; `open` opens all of
 * them first and answers them shuffled. Only the answers and verifies are timed and charged with
 * server CPU: the creates and pages before them are not.
 */
export async function answerPairs(
  answerAt: Instance,
  verifyAt: Instance,
  count: number,
  tag: string,
  scenario: Scenario = 'immediate',
): Promise<Pairs> {
  const pids = [...new Set([answerAt.process.pid, verifyAt.process.pid])]
  const chunk = scenario === 'immediate' ? IMMEDIATE_CHUNK : count
  const timed: Timed = { answerMs: [], verifyMs: [], verified: 0, ms: 0, cpu: pids.map(() => 0) }
  let viewCpu = 0
  for (let done = 0; done < count; done += chunk) {
    const pages = await openPages(answerAt, Math.min(chunk, count - done), `${tag}-${done}`)
    viewCpu += pages.cpu
    if (scenario === 'open') shuffle(pages, count)
    await answerAll(answerAt, verifyAt, pages, pids, timed)
  }
  const cpuUsed = timed.cpu.reduce((sum, each) => sum + each, 0)
  const micros = timed.verified ? Math.round((cpuUsed / timed.verified) * 1e6) : 0
  return {
    pairsPerSecond: Math.round(timed.verified / (timed.ms / 1000)),
    answered: timed.answerMs.length,
    verified: timed.verified,
    p50: percentile(timed.answerMs, 0.5),
    p99: percentile(timed.answerMs, 0.99),
    verifyP50: percentile(timed.verifyMs, 0.5),
    verifyP99: percentile(timed.verifyMs, 0.99),
    serverMicrosPerPair: micros,
    ...(pids.length > 1
      ? {
          perInstanceMicros: timed.cpu.map((each) =>
            timed.verified ? Math.round((each / timed.verified) * 1e6) : 0,
          ),
        }
      : {}),
    pairsPerCpuSecond: micros ? Math.round(1e6 / micros) : 0,
    firstViewMicros: Math.round((viewCpu / count) * 1e6),
  }
}

/**
 * Creates `count` requests and opens each one's page with the bench browser's cookie; `cpu` is
 * the server's CPU seconds for the pages alone.
 */
async function openPages(
  at: Instance,
  count: number,
  tag: string,
): Promise<OpenPage[] & { cpu: number }> {
  const ids: string[] = []
  await inParallel(count, CONNECTIONS, async (i) => {
    ids.push((await api(at.base, 'POST', '/consent-requests', createBody(`pair-${tag}-${i}`))).id)
  })
  // Each answer needs its page's CSRF token and rendition.
  const pages: OpenPage[] = []
  const before = cpuSeconds(at.process.pid)
  await inParallel(ids.length, CONNECTIONS, async (i) => {
    const id = ids[i] ?? ''
    const html = await (
      await fetch(`${at.base}/consent/${id}`, { headers: { cookie: COOKIE } })
    ).text()
    pages.push({
      id,
      csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
      rendition: /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? '',
    })
  })
  return Object.assign(pages, { cpu: cpuSeconds(at.process.pid) - before })
}

/** Fisher–Yates with a fixed seed, so every run answers in an order as random as the last. */
function shuffle<T>(items: T[], seed: number): void {
  let state = seed >>> 0 || 1
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    const swap = items[i] as T
    items[i] = items[j] as T
    items[j] = swap
  }
}

interface Timed {
  answerMs: number[]
  verifyMs: number[]
  verified: number
  ms: number
  /** Server CPU seconds, per process. */
  cpu: number[]
}

/**
 * Answers `pages`, `CONNECTIONS` users at once, each over a keep-alive connection for the browser
 * and one for the AS; each answer is followed by its verify as soon as its 303 arrives, as an AS
 * redeems the verifier when the browser comes back (DESIGN §3.4).
 */
async function answerAll(
  answerAt: Instance,
  verifyAt: Instance,
  pages: readonly OpenPage[],
  pids: readonly number[],
  timed: Timed,
): Promise<void> {
  const browser = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  const server = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  let next = 0
  const cpuBefore = pids.map(cpuSeconds)
  const start = performance.now()
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let page = pages[next++]; page; page = pages[next++]) {
        const answer = await post(browser, answerAt.base, `/consent/${page.id}`, {
          headers: {
            cookie: COOKIE,
            'content-type': 'application/x-www-form-urlencoded',
            origin: answerAt.base,
          },
          body: `action=accept&csrf=${page.csrf}&rendition=${page.rendition}`,
        })
        if (answer.status !== 303) continue
        timed.answerMs.push(answer.ms)
        const back = new URL(answer.location ?? '')
        const verify = await post(
          server,
          verifyAt.base,
          `/api/v2/consent-requests/${back.searchParams.get('consent_request') ?? ''}/verify`,
          {
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ consent_verifier: back.searchParams.get('consent_verifier') }),
          },
        )
        if (verify.status !== 200) continue
        timed.verifyMs.push(verify.ms)
        timed.verified++
      }
    }),
  )
  timed.ms += performance.now() - start
  pids.forEach((pid, i) => {
    timed.cpu[i] = (timed.cpu[i] ?? 0) + cpuSeconds(pid) - (cpuBefore[i] ?? 0)
  })
  browser.destroy()
  server.destroy()
}

/** The `q` quantile of `values`, in whole milliseconds as autocannon reports its latencies. */
function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0)
}

/**
 * One POST over `agent`: its status, its `Location`, and how long the answer took to arrive. A
 * kept-alive socket the server closed as idle (its keep-alive timeout, 5 s, passed on a loaded
 * machine) resets the request before it is read: that one is sent again on a new socket, once. A
 * request the server did read and answered is then refused (409) and not counted.
 */
async function post(
  agent: http.Agent,
  base: string,
  path: string,
  request: { headers: Record<string, string>; body: string },
): Promise<{ status: number; location: string | undefined; ms: number }> {
  try {
    return await postOnce(agent, base, path, request)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error
    return postOnce(agent, base, path, request)
  }
}

function postOnce(
  agent: http.Agent,
  base: string,
  path: string,
  request: { headers: Record<string, string>; body: string },
): Promise<{ status: number; location: string | undefined; ms: number }> {
  const sent = performance.now()
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      `${base}${path}`,
      {
        agent,
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      },
      (response) => {
        response.resume()
        response.on('error', reject)
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            ms: performance.now() - sent,
          }),
        )
      },
    )
    outgoing.on('error', reject)
    outgoing.end(request.body)
  })
}
