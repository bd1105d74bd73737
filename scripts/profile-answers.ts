/**
 * `npx tsx scripts/profile-answers.ts [pairs] [rounds] [--webhook] [--postgres] [--sql]
 * [--profile=<file>] [--open] [--file]`: the answer + verify pair in process, without sockets — the
 * bench's tenant (12 scopes over 6 resources, a client with a logo, two roles given to the user) on
 * SQLite in memory (`--file`: a real file, durable commits as the server makes them), each round answering `pairs` prompts 32 at a time (the bench's connections, so
 * group commit shares its commits) and then verifying them. Prints pairs/s, the process's CPU time
 * per pair (the requests' own making and reading included) and SQL statements per answer and per
 * verify, begin and commit included. The first round warms the JIT and is not counted.
 *
 * `--webhook` subscribes an endpoint to the answers (never delivered here); `--postgres` runs on a
 * fresh database of `TEST_DATABASE_URL` instead; `--sql` prints every statement as it runs;
 * `--open` answers as people do (the bench's realistic pairs): every page of a round opened first,
 * then answered in random order, each answer followed by its verify; with more pairs than the
 * requests kept in memory (1,024), most answers find their request only in the database.
 * `--profile=<file>` writes a CPU profile (`.cpuprofile`) of the counted rounds' answers and
 * verifies alone, not of the setup, creates and pages.
 */
import { writeFileSync } from 'node:fs'
import type { Profiler } from 'node:inspector'
import { Session } from 'node:inspector/promises'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { SqliteDatabase } from '../src/store/sqlite-driver.js'
import { createTestDatabase } from '../test/support/postgres.js'
import { createTestApp } from '../test/support/test-app.js'

const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const PAIRS = Number(args[0] ?? 2000)
const ROUNDS = Number(args[1] ?? 4)
const WEBHOOK = process.argv.includes('--webhook')
const POSTGRES = process.argv.includes('--postgres')
const SHOW_SQL = process.argv.includes('--sql')
const PROFILE = process.argv.find((arg) => arg.startsWith('--profile='))?.slice(10)
const OPEN = process.argv.includes('--open')
const FILE = process.argv.includes('--file')
const CONNECTIONS = 32
const AUDIENCE = 'https://api.bench.example/'
const RESOURCES = ['messages', 'contacts', 'calendar_events', 'files', 'photos', 'tasks']
const API_SCOPES = RESOURCES.flatMap((r) => [
  { value: `read:${r}`, description: `See your ${r.replace('_', ' ')}` },
  { value: `write:${r}`, description: `Change your ${r.replace('_', ' ')}` },
])

// Every statement the driver runs, begin and commit included.
let statements = 0
const count = () => statements
function counting(prototype: Record<string, (...args: unknown[]) => unknown>, method: string) {
  const original = prototype[method]
  if (!original) return
  prototype[method] = function counted(this: { source?: string }, ...rest: unknown[]) {
    statements += 1
    if (SHOW_SQL) console.log(this.source ?? rest[0])
    return original.apply(this, rest)
  }
}
if (POSTGRES) counting(pg.Client.prototype as never, 'query')
else {
  const probe = new SqliteDatabase(':memory:')
  const Statement = Object.getPrototypeOf(probe.prepare('select 1'))
  probe.close()
  for (const method of ['run', 'all', 'get', 'iterate']) counting(Statement, method)
}
const database = POSTGRES ? await createTestDatabase() : undefined

const t = await createTestApp({
  ...(FILE ? { database: 'file' as const } : {}),
  clock: { now: () => new Date(), advance: () => {} },
  env: {
    ASSENT_ALLOWED_RETURN_URLS: 'https://as.bench.example/',
    ASSENT_REQUEST_TTL_SECONDS: '86400',
    ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1',
    ASSENT_DEMO: '0',
    ...(database ? { DATABASE_URL: database.url } : {}),
  },
})
// What @hono/node-server hands the app: the connection, whose peer address the app reads.
const server = { incoming: { socket: { remoteAddress: '127.0.0.1', remoteFamily: 'IPv4' } } }
const request = (path: string, init: RequestInit = {}) => t.app.request(path, init, server)
const admin = { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' }

async function api(method: string, path: string, body?: unknown) {
  const res = await request(`/api/v2${path}`, {
    method,
    headers: admin,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  const text = await res.text()
  return text ? JSON.parse(text) : undefined
}

/** Runs `work` for each item, `CONNECTIONS` at a time. */
async function pool<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await work(items[i] as T)
      }
    }),
  )
  return out
}

await api('POST', '/resource-servers', {
  name: 'Bench API',
  identifier: AUDIENCE,
  scopes: API_SCOPES,
})
await api('POST', '/clients', {
  client_id: 'bench-client',
  name: 'Bench Client',
  logo_uri: 'https://client.bench.example/logo.png',
  callbacks: ['https://client.bench.example/cb'],
})
for (const [name, prefix] of [
  ['Reader', 'read:'],
  ['Editor', 'write:'],
] as const) {
  const role = await api('POST', '/roles', { name })
  await api('POST', `/roles/${role.id}/permissions`, {
    permissions: API_SCOPES.filter((s) => s.value.startsWith(prefix)).map((s) => ({
      resource_server_identifier: AUDIENCE,
      permission_name: s.value,
    })),
  })
  await api('POST', '/users/bench-user/roles', { roles: [role.id] })
}
if (WEBHOOK) {
  // Subscribed, never delivered here: the worker does not run in this process.
  await api('POST', '/webhooks', {
    url: 'http://127.0.0.1:9/hook',
    events: ['consent.accepted', 'consent.denied'],
  })
}

const cookie = 'assent_csrf=bench-cookie-value-0123456789'
const createBody = JSON.stringify({
  client_id: 'bench-client',
  user_id: 'bench-user',
  user_name: 'bench@example.com',
  audience: AUDIENCE,
  scope: `openid profile email ${API_SCOPES.map((s) => s.value).join(' ')}`,
  redirect_uri: 'https://client.bench.example/cb',
  return_to: 'https://as.bench.example/resume',
  state: 'bench',
  // The bench creates every request before the first verify; here later rounds would find the
  // grant and need no prompt. Asked again, each verify merges into the one grant, as there.
  prompt: 'consent',
})

const session = PROFILE ? new Session() : undefined
session?.connect()
await session?.post('Profiler.enable')
await session?.post('Profiler.setSamplingInterval', { interval: 200 })
const profiles: Profiler.Profile[] = []

/**
 * Runs one phase: its time and statements, and its CPU profile when asked to and `counted` (the
 * warm-up is not); the profiler starts before the clock and stops after it.
 */
async function phase<T>(counted: boolean, work: () => Promise<T>) {
  const profiling = session !== undefined && counted
  if (profiling) await session.post('Profiler.start')
  const before = count()
  const cpu = process.cpuUsage()
  const start = performance.now()
  const value = await work()
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  const statements = count() - before
  if (profiling) profiles.push((await session.post('Profiler.stop')).profile)
  return { value, ms, cpuMs, statements }
}

async function answer({ id, csrf, rendition }: { id: string; csrf: string; rendition: string }) {
  const res = await request(`/consent/${id}`, {
    method: 'POST',
    headers: {
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      origin: t.deps.config.publicUrl.origin,
    },
    body: `action=accept&csrf=${csrf}&rendition=${rendition}`,
  })
  if (res.status !== 303) throw new Error(`answer: ${res.status} ${await res.text()}`)
  const back = new URL(res.headers.get('location') ?? '')
  return { id, verifier: back.searchParams.get('consent_verifier') ?? '' }
}

async function verify({ id, verifier }: { id: string; verifier: string }) {
  const res = await request(`/api/v2/consent-requests/${id}/verify`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ consent_verifier: verifier }),
  })
  if (res.status !== 200) throw new Error(`verify: ${res.status} ${await res.text()}`)
  await res.arrayBuffer()
}

async function round(
  counted: boolean,
): Promise<{ answers: number; verifies: number; pairs: number; cpuPerPair: number }> {
  const ids = await pool(Array.from({ length: PAIRS }), async () => {
    const res = await request('/api/v2/consent-requests', {
      method: 'POST',
      headers: admin,
      body: createBody,
    })
    return ((await res.json()) as { id: string }).id
  })
  const tokens = await pool(ids, async (id) => {
    const html = await (await request(`/consent/${id}`, { headers: { cookie } })).text()
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1]
    const rendition = /name="rendition" value="([^"]*)"/.exec(html)?.[1] ?? ''
    if (!csrf) throw new Error(`page: ${html.slice(0, 2000)}`)
    return { id, csrf, rendition }
  })

  if (OPEN) {
    // As people read: every page open before the first answer, answered in random order, each
    // answer followed by its verify.
    for (let i = tokens.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1))
      ;[tokens[i], tokens[j]] = [
        tokens[j] as (typeof tokens)[number],
        tokens[i] as (typeof tokens)[number],
      ]
    }
    const both = await phase(counted, () =>
      pool(tokens, async (token) => verify(await answer(token))),
    )
    return {
      answers: 0,
      verifies: both.statements / PAIRS,
      pairs: PAIRS / (both.ms / 1000),
      cpuPerPair: (both.cpuMs * 1000) / PAIRS,
    }
  }
  const answers = await phase(counted, () => pool(tokens, answer))
  const verifies = await phase(counted, () => pool(answers.value, verify))
  return {
    answers: answers.statements / PAIRS,
    verifies: verifies.statements / PAIRS,
    pairs: PAIRS / ((answers.ms + verifies.ms) / 1000),
    cpuPerPair: ((answers.cpuMs + verifies.cpuMs) * 1000) / PAIRS,
  }
}

const rates: number[] = []
const cpu: number[] = []
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0
for (let i = 0; i <= ROUNDS; i++) {
  const r = await round(i > 0)
  const label = i === 0 ? 'warm-up' : `round ${i}`
  console.log(
    `${label}: ${Math.round(r.pairs)} pairs/s, ${Math.round(r.cpuPerPair)} µs CPU a pair; statements per answer ${r.answers.toFixed(2)}, per verify ${r.verifies.toFixed(2)} (each batch's begin and commit shared out)`,
  )
  if (i > 0) {
    rates.push(r.pairs)
    cpu.push(r.cpuPerPair)
  }
}
console.log(
  `${ROUNDS} rounds of ${PAIRS} on ${POSTGRES ? 'PostgreSQL' : 'SQLite'}${WEBHOOK ? ' (one webhook)' : ''}: median ${Math.round(median(rates))} pairs/s (best ${Math.round(Math.max(...rates))}), median ${Math.round(median(cpu))} µs CPU a pair`,
)
if (PROFILE) writeFileSync(PROFILE, JSON.stringify(mergeProfiles(profiles)))
await t.close()
await database?.drop()

/** One profile of several, one after the other: their trees under one root. */
function mergeProfiles(parts: readonly Profiler.Profile[]): Profiler.Profile {
  const callFrame = {
    functionName: '(root)',
    scriptId: '0',
    url: '',
    lineNumber: -1,
    columnNumber: -1,
  }
  const root = { id: 1, callFrame, children: [] as number[] }
  const merged = {
    nodes: [root] as Profiler.ProfileNode[],
    samples: [] as number[],
    timeDeltas: [] as number[],
  }
  let offset = 1
  for (const part of parts) {
    root.children.push((part.nodes[0]?.id ?? 0) + offset)
    for (const node of part.nodes)
      merged.nodes.push({
        ...node,
        id: node.id + offset,
        children: node.children?.map((id) => id + offset) ?? [],
      })
    merged.samples.push(...(part.samples ?? []).map((id) => id + offset))
    merged.timeDeltas.push(...(part.timeDeltas ?? []))
    offset += Math.max(...part.nodes.map((node) => node.id))
  }
  const startTime = parts[0]?.startTime ?? 0
  const endTime = startTime + merged.timeDeltas.reduce((sum, delta) => sum + delta, 0)
  return { ...merged, startTime, endTime }
}
