/**
 * `npm run bench [-- --quick]`: Assent's consent page, answers and request creation under load on
 * loopback, beside a bare node:http ceiling serving the same bytes and oidc-provider's own
 * consent page, all measured in this run; results go to bench/results/.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import { effectiveScopes, groupedLines } from '../src/consent/index.js'
import { startPeer } from './peer.js'

const quick = process.argv.includes('--quick')
const profile = process.argv.includes('--profile')
const DURATION = quick ? 3 : 10
const WARM_UP = quick ? 1 : 3
const CONNECTIONS = 32
const ANSWERS = quick ? 2_000 : 10_000
const ROOT = new URL('../', import.meta.url).pathname
const TOKEN = 'bench-admin-token-0123456789abcdefghijklmnop'
const temp = mkdtempSync(join(tmpdir(), 'assent-bench-'))

const RESOURCES = ['messages', 'contacts', 'calendar_events', 'files', 'photos', 'tasks']
const API_SCOPES = RESOURCES.flatMap((r) => [
  { value: `read:${r}`, description: `See your ${r.replace('_', ' ')}` },
  { value: `write:${r}`, description: `Change your ${r.replace('_', ' ')}` },
])
const REQUEST_SCOPE = `openid profile email ${API_SCOPES.map((s) => s.value).join(' ')}`

interface Load {
  requestsPerSecond: number
  p50: number
  p99: number
  requests: number
  errors: number
  non2xx: number
}

const children: ReturnType<typeof spawn>[] = []
// Whatever happens, no server of the benchmark outlives it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

function startProcess(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  const firstLine = new Promise<string>((resolve) => {
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.includes('\n')) resolve(text)
    })
  })
  return { child, firstLine }
}

async function waitFor(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${url} did not come up`)
}

/** Load that is not measured, so the JIT has compiled the hot path before the measured run. */
async function warmUp(options: autocannon.Options): Promise<void> {
  await autocannon({ connections: CONNECTIONS, duration: WARM_UP, ...options })
}

async function load(options: autocannon.Options): Promise<Load> {
  await warmUp(options)
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options })
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  }
}

async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}/api/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

function domainBench() {
  const scopes = Array.from({ length: 1000 }, (_, i) => ({
    value: `${['read', 'write', 'approve'][i % 3]}:res_${Math.floor(i / 3)}`,
    description: '',
  }))
  const api = {
    identifier: 'https://api/',
    name: 'API',
    scopes,
    enforcePolicies: false,
    allowOfflineAccess: false,
    skipConsentForVerifiableFirstPartyClients: false,
    tokenDialect: 'access_token' as const,
  }
  const requested = scopes.map((s) => s.value)
  const run = () =>
    groupedLines(effectiveScopes({ requested, api, permissions: new Set(), granted: [] }).toPrompt)
  // Baseline in the same run: one pass that splits each of the 1000 values once.
  const baseline = () => requested.map((value) => value.split(':', 2)).length
  const time = (fn: () => unknown) => {
    for (let i = 0; i < 200; i++) fn()
    const iterations = 2000
    const start = performance.now()
    for (let i = 0; i < iterations; i++) fn()
    return ((performance.now() - start) / iterations) * 1000
  }
  return { groupingMicros: time(run), baselineMicros: time(baseline) }
}

async function main() {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  })

  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
  // `--profile` writes Assent's CPU profile of the whole run, for `node --cpu-prof` readers.
  const profileArgs = profile
    ? ['--cpu-prof', '--cpu-prof-dir', join(ROOT, 'bench', 'results', 'profile')]
    : []
  const assent = startProcess(process.execPath, [...profileArgs, 'dist/index.js'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(temp, 'bench.sqlite')}`,
    ASSENT_ADMIN_TOKEN: TOKEN,
    ASSENT_DEMO: '0',
    ASSENT_REQUEST_TTL_SECONDS: '86400',
    ASSENT_ALLOWED_RETURN_URLS: 'https://as.bench.example/',
    ASSENT_RATE_LIMIT_ANSWERS: '0',
    ASSENT_RATE_LIMIT_CREATES: '0',
    LOG_LEVEL: 'warn',
  })
  const base = `http://127.0.0.1:${port}`
  await waitFor(`${base}/healthz`)

  // A realistic tenant: 12 scopes over 6 resources, a client with a logo, roles for a user.
  await api(base, 'POST', '/resource-servers', {
    name: 'Bench API',
    identifier: 'https://api.bench.example/',
    scopes: API_SCOPES,
  })
  await api(base, 'POST', '/clients', {
    client_id: 'bench-client',
    name: 'Bench Client',
    logo_uri: 'https://client.bench.example/logo.png',
    callbacks: ['https://client.bench.example/cb'],
  })
  for (const [name, perms] of [
    ['Reader', API_SCOPES.filter((s) => s.value.startsWith('read:'))],
    ['Editor', API_SCOPES.filter((s) => s.value.startsWith('write:'))],
  ] as const) {
    const role = await api(base, 'POST', '/roles', { name })
    await api(base, 'POST', `/roles/${role.id}/permissions`, {
      permissions: perms.map((s) => ({
        resource_server_identifier: 'https://api.bench.example/',
        permission_name: s.value,
      })),
    })
    await api(base, 'POST', '/users/bench-user/roles', { roles: [role.id] })
  }
  const createBody = {
    client_id: 'bench-client',
    user_id: 'bench-user',
    user_name: 'bench@example.com',
    audience: 'https://api.bench.example/',
    scope: REQUEST_SCOPE,
    redirect_uri: 'https://client.bench.example/cb',
    return_to: 'https://as.bench.example/resume',
    state: 'bench',
  }
  const request = await api(base, 'POST', '/consent-requests', createBody)
  const pagePath = `/consent/${request.id}`
  const cookie = 'assent_csrf=bench-cookie-value-0123456789'

  // The ceiling serves the very bytes and headers of this page.
  const sample = await fetch(`${base}${pagePath}`, { headers: { cookie } })
  const pageBody = await sample.text()
  const headers: Record<string, string> = {}
  sample.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(name))
      headers[name] = value
  })
  writeFileSync(join(temp, 'page.html'), pageBody)
  writeFileSync(join(temp, 'headers.json'), JSON.stringify(headers))
  const ceiling = startProcess(
    process.execPath,
    ['bench/ceiling.mjs', join(temp, 'page.html'), join(temp, 'headers.json')],
    {},
  )
  const ceilingPort = Number((await ceiling.firstLine).trim())

  const results: Record<string, unknown> = {}
  console.log(
    `Assent ${base}, page ${Buffer.byteLength(pageBody)} bytes; ${DURATION} s per load at ${CONNECTIONS} connections`,
  )

  const ceilingLoad = await load({ url: `http://127.0.0.1:${ceilingPort}/` })
  console.log('ceiling', ceilingLoad)
  const grouped = await load({ url: `${base}${pagePath}`, headers: { cookie } })
  console.log('page grouped', grouped)
  await api(base, 'PATCH', '/tenants/settings', {
    flags: { use_scope_descriptions_for_consent: true },
  })
  const descriptions = await load({ url: `${base}${pagePath}`, headers: { cookie } })
  console.log('page descriptions', descriptions)
  await api(base, 'PATCH', '/tenants/settings', {
    flags: { use_scope_descriptions_for_consent: false },
  })

  // Creating consent requests; their ids feed the answer benchmark.
  const ids: string[] = []
  const create = await load({
    url: `${base}/api/v2/consent-requests`,
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(createBody),
    requests: [
      {
        onResponse: (status: number, body: string) => {
          if (status === 201 && ids.length < ANSWERS) ids.push(JSON.parse(body).id)
        },
      },
    ],
  } as autocannon.Options)
  console.log('create', create)

  // Each answer needs its page's CSRF token: fetch them first, then post every answer once.
  const tokens: { id: string; csrf: string }[] = []
  for (let i = 0; i < ids.length; i += 64) {
    const batch = ids.slice(i, i + 64)
    const pages = await Promise.all(
      batch.map((id) =>
        fetch(`${base}/consent/${id}`, { headers: { cookie } }).then((r) => r.text()),
      ),
    )
    for (const [j, html] of pages.entries()) {
      tokens.push({ id: batch[j] ?? '', csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' })
    }
  }
  let next = 0
  let redirected = 0
  /** What each 303 handed the browser: the AS redeems it next (DESIGN §3.4). */
  const verifiers: { id: string; verifier: string }[] = []
  // Timed to the last acknowledgement: autocannon itself resolves only on its next 1 s tick.
  let lastAnswerAt = 0
  const answerStart = performance.now()
  const answer = await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount: tokens.length,
    requests: [
      {
        setupRequest: (req) => {
          const token = tokens[next++ % tokens.length] ?? { id: '', csrf: '' }
          return {
            ...req,
            method: 'POST',
            path: `/consent/${token.id}`,
            headers: {
              cookie,
              'content-type': 'application/x-www-form-urlencoded',
              origin: base,
            },
            body: `action=accept&csrf=${token.csrf}`,
          }
        },
        onResponse: (
          status: number,
          _body: string,
          _context: unknown,
          headers: Record<string, string>,
        ) => {
          if (status === 303) {
            redirected++
            lastAnswerAt = performance.now()
            const back = new URL(headers.location ?? '')
            verifiers.push({
              id: back.searchParams.get('consent_request') ?? '',
              verifier: back.searchParams.get('consent_verifier') ?? '',
            })
          }
        },
      },
    ],
  } as autocannon.Options)
  const answerSeconds = (lastAnswerAt - answerStart) / 1000

  // The authorization server redeems every verifier: the grant is written here, durably.
  let verifyNext = 0
  let verified = 0
  let lastVerifyAt = 0
  const verifyStart = performance.now()
  const verify = await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount: verifiers.length,
    requests: [
      {
        setupRequest: (req) => {
          const one = verifiers[verifyNext++ % verifiers.length] ?? { id: '', verifier: '' }
          return {
            ...req,
            method: 'POST',
            path: `/api/v2/consent-requests/${one.id}/verify`,
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ consent_verifier: one.verifier }),
          }
        },
        onResponse: (status: number) => {
          if (status === 200) {
            verified++
            lastVerifyAt = performance.now()
          }
        },
      },
    ],
  } as autocannon.Options)
  const verifySeconds = (lastVerifyAt - verifyStart) / 1000
  const answers = {
    // A pair is what one user's consent costs: the browser's answer and the AS's verify.
    answersPerSecond: Math.round(Math.min(redirected, verified) / (answerSeconds + verifySeconds)),
    answered: redirected,
    verified,
    p50: answer.latency.p50,
    p99: answer.latency.p99,
    verifyP50: verify.latency.p50,
    verifyP99: verify.latency.p99,
  }
  console.log('answer', answers)

  const rss = peakRss(assent.child.pid ?? 0)

  const peer = await startPeer(
    API_SCOPES.map((s) => s.value),
    REQUEST_SCOPE,
  )
  const peerLoad = await load({ url: peer.url, headers: { cookie: peer.cookie } })
  console.log('peer', peerLoad)
  await peer.close()

  const domain = domainBench()
  console.log('domain', domain)

  // Wait for Assent's drain and exit: that is when a profile is written.
  const assentExit = new Promise((resolve) => assent.child.once('exit', resolve))
  assent.child.kill('SIGTERM')
  ceiling.child.kill('SIGTERM')
  await assentExit

  Object.assign(results, {
    when: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    pageBytes: Buffer.byteLength(pageBody),
    ceiling: ceilingLoad,
    page: { grouped, descriptions },
    answer: answers,
    create,
    peer: { ...peerLoad, pageBytes: peer.bytes },
    domain,
    peakRssMb: Math.round(rss),
    ratios: {
      groupedToCeiling: +(grouped.requestsPerSecond / ceilingLoad.requestsPerSecond).toFixed(2),
      descriptionsToCeiling: +(
        descriptions.requestsPerSecond / ceilingLoad.requestsPerSecond
      ).toFixed(2),
      groupedToPeer: +(grouped.requestsPerSecond / peerLoad.requestsPerSecond).toFixed(2),
      groupingToBaseline: +(domain.groupingMicros / domain.baselineMicros).toFixed(1),
    },
  })

  const r = results as {
    ratios: Record<string, number>
    ceiling: Load
    page: { grouped: Load; descriptions: Load }
    answer: typeof answers
    create: Load
    peer: Load
    domain: typeof domain
    peakRssMb: number
  }
  const row = (
    name: string,
    l: { requestsPerSecond: number; p50: number; p99: number },
    ratio: string,
    target: string,
  ) =>
    `| ${name} | ${l.requestsPerSecond.toLocaleString('en')} | ${l.p50} | ${l.p99} | ${ratio} | ${target} |`
  const markdown = [
    `Run ${results.when} (${results.mode}), ${DURATION} s per load, ${CONNECTIONS} connections, ${results.machine && (results.machine as { cpus: number }).cpus} cores, Node ${process.version}.`,
    '',
    '| what | req/s | p50 ms | p99 ms | ratio | target |',
    '|---|---|---|---|---|---|',
    row('ceiling: node:http, same bytes', r.ceiling, '1.00', ''),
    row(
      'consent page, grouped',
      r.page.grouped,
      `${r.ratios.groupedToCeiling} × ceiling`,
      '≥ 0.5 × ceiling, p99 ≤ 10 ms',
    ),
    row(
      'consent page, descriptions',
      r.page.descriptions,
      `${r.ratios.descriptionsToCeiling} × ceiling`,
      '≥ 0.5 × ceiling, p99 ≤ 10 ms',
    ),
    row(
      'peer: oidc-provider consent page',
      r.peer,
      `Assent ${r.ratios.groupedToPeer} × peer`,
      'Assent ≥ 2 × peer',
    ),
    row('create consent request', r.create, '', ''),
    `| answer + verify (POST /consent, POST …/verify; durable commits) | ${r.answer.answersPerSecond.toLocaleString('en')} pairs/s | ${r.answer.p50} / ${r.answer.verifyP50} | ${r.answer.p99} / ${r.answer.verifyP99} | ${r.answer.answered} answered, ${r.answer.verified} verified | ≥ 2,000/s |`,
    `| grouping 1000 scopes | ${r.domain.groupingMicros.toFixed(1)} µs | | | ${r.ratios.groupingToBaseline} × splitting them once | < 1,000 µs |`,
    `| peak RSS of the server | ${r.peakRssMb} MB | | | | < 150 MB |`,
    '',
  ].join('\n')
  const name = quick ? 'quick' : 'latest'
  writeFileSync(
    join(ROOT, 'bench/results', `${name}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  )
  writeFileSync(join(ROOT, 'bench/results', `${name}.md`), markdown)
  console.log(`\n${markdown}`)
  rmSync(temp, { recursive: true, force: true })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  rmSync(temp, { recursive: true, force: true })
  process.exit(1)
})
