/**
 * `npm run bench [-- --quick]`: Assent's consent page, answers and request creation under load on
 * loopback, beside a bare node:http ceiling serving the same bytes and oidc-provider's own
 * consent page, all measured in this run; results go to bench/results/. See bench/README.md.
 *
 * Options: `--quick` (short loads, one round), `--profile` (Assent's CPU profile),
 * `--serve` (set up, print the URLs, stay up for a measurement by hand), `--pairs-only` (answers
 * and verifies alone, twice, for a profile of them; `--immediate` for the immediate ones),
 * `--postgres-only`, `--no-large`, `--no-postgres`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { effectiveScopes, groupedLines } from '../src/consent/index.js'
import { SqliteDatabase as Database } from '../src/store/sqlite-driver.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../test/support/postgres.js'
import {
  canPin,
  cliLoad,
  freePort,
  LOAD_CPU,
  type Load,
  median,
  medianOf,
  memory,
  pinSelf,
  ROOT,
  resetPeak,
  SERVER_CPU,
  type Started,
  startProcess,
  stop,
  waitFor,
} from './lib.js'
import { answerPairs, type Pairs } from './pairs.js'
import {
  api,
  COOKIE,
  createBody,
  grantRows,
  growTenant,
  LARGE,
  setUpTenant,
  TOKEN,
} from './tenant.js'

const flag = (name: string) => process.argv.includes(`--${name}`)
const quick = flag('quick')
const DURATION = quick ? 3 : 10
const WARM_UP = quick ? 1 : 3
const ROUNDS = quick ? 1 : 3
const CONNECTIONS = 32
const PAIRS = quick ? 2_000 : 10_000
const WARM_UP_PAIRS = quick ? 1_000 : 2_000
// Pages open at once in the realistic pairs: people read a page for 5–30 s, so at 1,000 pages a
// second 5,000–30,000 are open, against 1,024 requests kept in memory.
const OPEN_PAGES = quick ? 4_000 : 10_000
const temp = mkdtempSync(join(tmpdir(), 'assent-bench-'))

interface Assent {
  readonly base: string
  readonly process: Started
  readonly databaseUrl: string
}

async function startAssent(name: string, databaseUrl: string, cpu?: number): Promise<Assent> {
  const port = await freePort()
  // `--profile` writes Assent's CPU profile of the whole run, for `node --cpu-prof` readers.
  const profileArgs = flag('profile')
    ? ['--cpu-prof', '--cpu-prof-dir', join(ROOT, 'bench', 'results', 'profile', name)]
    : []
  const started = startProcess(
    process.execPath,
    [
      ...profileArgs,
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      'dist/main.js',
    ],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ASSENT_ADMIN_TOKEN: TOKEN,
      ASSENT_DEMO: '0',
      ASSENT_REQUEST_TTL_SECONDS: '86400',
      ASSENT_ALLOWED_RETURN_URLS: 'https://as.bench.example/',
      ASSENT_RATE_LIMIT_ANSWERS: '0',
      ASSENT_RATE_LIMIT_CREATES: '0',
      LOG_LEVEL: 'warn',
      // For a look inside Assent during a run (`--require` a sampler, `--trace-gc`, …).
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
    cpu,
  )
  const base = `http://127.0.0.1:${port}`
  await waitFor(`${base}/healthz`)
  return { base, process: started, databaseUrl }
}

async function load(url: string, pid: number, headers?: Record<string, string>): Promise<Load> {
  const options = { url, connections: CONNECTIONS, headers }
  await cliLoad({ ...options, duration: WARM_UP })
  return cliLoad({ ...options, duration: DURATION }, pid)
}

/** Writes the large tenant's grants straight into its database. */
async function insertGrants(databaseUrl: string): Promise<void> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length))
    db.pragma('busy_timeout = 10000')
    const tenant = db.prepare('select id from tenants limit 1').get() as { id: string }
    const insert = db.prepare(
      'insert into grants (tenant_id, id, user_id, client_id, audience, scope, created_at, updated_at, scope_details) values (@tenant_id, @id, @user_id, @client_id, @audience, @scope, @created_at, @updated_at, @scope_details)',
    )
    db.transaction(() => {
      for (const row of grantRows(tenant.id, LARGE.grants)) insert.run(row)
    })()
    db.close()
    return
  }
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const tenant = (await client.query('select id from tenants limit 1')).rows[0] as { id: string }
    const rows = grantRows(tenant.id, LARGE.grants)
    for (let i = 0; i < rows.length; i += 5_000) {
      const batch = rows.slice(i, i + 5_000)
      const columns = Object.keys(batch[0] ?? {})
      const values: unknown[] = []
      const tuples = batch.map((row) => {
        const at = values.length
        values.push(...Object.values(row))
        return `(${columns.map((_, j) => `$${at + j + 1}`).join(', ')})`
      })
      await client.query(
        `insert into grants (${columns.join(', ')}) values ${tuples.join(', ')}`,
        values,
      )
    }
  } finally {
    await client.end()
  }
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

/** The peer in its own process on the server core, like Assent and the ceiling. */
async function startPeer() {
  const started = startProcess(
    process.execPath,
    ['--import', 'tsx', 'bench/peer.ts'],
    {},
    SERVER_CPU,
  )
  const line = JSON.parse(await started.firstLine) as { url: string; cookie: string; bytes: number }
  return { ...line, process: started }
}

/** Pages and pairs with two instances on one PostgreSQL (DESIGN §6, several instances). */
async function postgresFigures() {
  const database = await createTestDatabase()
  try {
    const a = await startAssent('pg-a', database.url)
    const { pagePath } = await setUpTenant(a.base)
    const b = await startAssent('pg-b', database.url)
    // Two servers, two loads and PostgreSQL on two cores: nothing is pinned here.
    const half = { connections: CONNECTIONS / 2, headers: { cookie: COOKIE }, cpu: null }
    await Promise.all([
      cliLoad({ ...half, url: `${a.base}${pagePath}`, duration: WARM_UP }),
      cliLoad({ ...half, url: `${b.base}${pagePath}`, duration: WARM_UP }),
    ])
    const [onA, onB] = await Promise.all([
      cliLoad({ ...half, url: `${a.base}${pagePath}`, duration: DURATION }, a.process.pid),
      cliLoad({ ...half, url: `${b.base}${pagePath}`, duration: DURATION }, b.process.pid),
    ])
    // Answers on one instance, verifies on the other: the AS may reach either.
    // A verify reads the request from the database there (it depends on the latest state, which
    // another instance may have changed), and so does an answer whose page is no longer kept:
    // the realistic way, where most are not, is measured.
    await answerPairs(a, b, WARM_UP_PAIRS, 'pg-warm')
    const pairs = await answerPairs(a, b, OPEN_PAGES, 'pg', 'open')
    await Promise.all([stop(a.process), stop(b.process)])
    return {
      pages: {
        requestsPerSecond: (onA?.requestsPerSecond ?? 0) + (onB?.requestsPerSecond ?? 0),
        p99: Math.max(onA?.p99 ?? 0, onB?.p99 ?? 0),
        non2xx: (onA?.non2xx ?? 0) + (onB?.non2xx ?? 0),
        perInstance: [onA, onB],
      },
      pairs,
    }
  } finally {
    await database.drop()
  }
}

async function main() {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  // The bench drives the answer loads itself: it runs where the load generators run.
  pinSelf(LOAD_CPU)
  if (flag('postgres-only')) {
    // The two PostgreSQL instances alone (`TEST_DATABASE_URL`), their figures printed.
    console.log('postgres', JSON.stringify(await postgresFigures()))
    return
  }

  const small = await startAssent('small', `sqlite:${join(temp, 'bench.sqlite')}`, SERVER_CPU)
  const { pagePath } = await setUpTenant(small.base)
  if (flag('pairs-only')) {
    // Answers and verifies alone, for a profile of them (`--pairs-only --profile`): the
    // realistic way, or with `--immediate` the immediate one.
    const scenario = flag('immediate') ? 'immediate' : 'open'
    await answerPairs(small, small, WARM_UP_PAIRS, 'pw')
    for (let round = 0; round < 2; round++) {
      const measured = await answerPairs(small, small, OPEN_PAGES, `p${round}`, scenario)
      console.log(`pairs (${scenario})`, JSON.stringify(measured))
    }
    await stop(small.process)
    return
  }
  // The ceiling serves the very bytes and headers of this page.
  const sample = await fetch(`${small.base}${pagePath}`, { headers: { cookie: COOKIE } })
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
    SERVER_CPU,
  )
  const ceilingUrl = `http://127.0.0.1:${(await ceiling.firstLine).trim()}/`

  if (flag('serve')) {
    // Both servers up, pinned as in a run: measure them by hand with the commands printed.
    const load = (url: string, cookie?: string) =>
      `npx autocannon -c ${CONNECTIONS} -d 10${cookie ? ` -H 'cookie=${cookie}'` : ''} ${url}`
    console.log(
      [
        `Assent (pid ${small.process.pid}): ${small.base}${pagePath}`,
        `ceiling (pid ${ceiling.pid}): ${ceilingUrl}`,
        `load the page:    ${load(`${small.base}${pagePath}`, COOKIE)}`,
        `load the ceiling: ${load(ceilingUrl)}`,
        'Ctrl-C to stop.',
      ].join('\n'),
    )
    await new Promise(() => {})
  }

  // The same prompt inside a tenant of 10,000 clients, 100 APIs of 100 scopes, 100,000 grants.
  let large: (Assent & { pagePath: string; seedSeconds: number }) | undefined
  let largeSeededRss: number | undefined
  if (!flag('no-large')) {
    const seedStart = performance.now()
    const started = await startAssent('large', `sqlite:${join(temp, 'large.sqlite')}`, SERVER_CPU)
    const setUp = await setUpTenant(started.base)
    await growTenant(started.base)
    await insertGrants(started.databaseUrl)
    large = { ...started, ...setUp, seedSeconds: (performance.now() - seedStart) / 1000 }
    console.log(`large tenant seeded in ${large.seedSeconds.toFixed(1)} s`)
    // Its peak is measured from here, as the small tenant's from its first phase: seeding 10,000
    // clients through the API is set-up, not the load measured.
    largeSeededRss = memory(large.process.pid).rssMb
    resetPeak(large.process.pid)
  }
  const peer = await startPeer()

  console.log(
    `Assent ${small.base}, page ${Buffer.byteLength(pageBody)} bytes; ${ROUNDS} round(s) of ${DURATION} s loads at ${CONNECTIONS} connections; ${canPin ? `servers on core ${SERVER_CPU}, load on core ${LOAD_CPU}` : 'not pinned'}`,
  )

  // Rounds interleave the ceiling and the pages, so a machine that slows down mid-run slows both.
  const memoryPeaks: Record<string, number> = {}
  // Where each phase starts: a phase's peak includes what the one before left uncollected.
  const memoryStarts: Record<string, number> = {}
  const startPhase = (name: string) => {
    memoryStarts[name] = memory(small.process.pid).rssMb
    resetPeak(small.process.pid)
  }
  startPhase('pages')
  const rounds: {
    ceiling: Load
    grouped: Load
    descriptions: Load
    peer: Load
    large?: Load
  }[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const ceilingLoad = await load(ceilingUrl, ceiling.pid)
    const grouped = await load(`${small.base}${pagePath}`, small.process.pid, { cookie: COOKIE })
    const largeLoad = large
      ? await load(`${large.base}${large.pagePath}`, large.process.pid, { cookie: COOKIE })
      : undefined
    const peerLoad = await load(peer.url, peer.process.pid, { cookie: peer.cookie })
    await api(small.base, 'PATCH', '/tenants/settings', {
      flags: { use_scope_descriptions_for_consent: true },
    })
    const descriptions = await load(`${small.base}${pagePath}`, small.process.pid, {
      cookie: COOKIE,
    })
    await api(small.base, 'PATCH', '/tenants/settings', {
      flags: { use_scope_descriptions_for_consent: false },
    })
    const figures = {
      ceiling: ceilingLoad,
      grouped,
      descriptions,
      peer: peerLoad,
      ...(largeLoad ? { large: largeLoad } : {}),
    }
    rounds.push(figures)
    console.log(`round ${round + 1}`, JSON.stringify(figures))
  }
  memoryPeaks.pages = memory(small.process.pid).peakMb
  await stop(ceiling)
  await stop(peer.process)

  const ratio = (pick: (r: (typeof rounds)[number]) => number | undefined) =>
    +median(rounds.map((r) => (pick(r) ?? 0) / r.ceiling.requestsPerSecond)).toFixed(2)
  const ratios = {
    groupedToCeiling: ratio((r) => r.grouped.requestsPerSecond),
    descriptionsToCeiling: ratio((r) => r.descriptions.requestsPerSecond),
    groupedToPeer: +median(
      rounds.map((r) => r.grouped.requestsPerSecond / r.peer.requestsPerSecond),
    ).toFixed(2),
    largeToSmallPage: large
      ? +median(
          rounds.map((r) => (r.large?.requestsPerSecond ?? 0) / r.grouped.requestsPerSecond),
        ).toFixed(2)
      : undefined,
    // What the load generator cannot hide: each server's own CPU time per page.
    groupedCpuToCeilingCpu: +median(
      rounds.map(
        (r) => (r.ceiling.serverMicrosPerRequest ?? 0) / (r.grouped.serverMicrosPerRequest ?? 1),
      ),
    ).toFixed(2),
  }
  const pick = (key: 'ceiling' | 'grouped' | 'descriptions' | 'peer') =>
    medianOf(
      rounds.map((r) => r[key]),
      (l) => l.requestsPerSecond,
    )

  // Creating consent requests: the AS's call, JSON in and out, one durable insert each.
  startPhase('creates')
  const creating = {
    url: `${small.base}/api/v2/consent-requests`,
    connections: CONNECTIONS,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    method: 'POST',
    body: JSON.stringify(createBody()),
  }
  await cliLoad({ ...creating, duration: WARM_UP })
  const create = await cliLoad({ ...creating, duration: DURATION }, small.process.pid)
  console.log('create', JSON.stringify(create))
  memoryPeaks.creates = memory(small.process.pid).peakMb

  // Alternate small and large, so the same noise falls on both; after an unmeasured warm-up, as
  // for every load (the first 2,000 pairs of a cold process run at two thirds of the speed). Each
  // round answers the realistic way (many pages open) and the immediate way, one after the other.
  const pairRuns: { open: Pairs; small: Pairs; large?: Pairs }[] = []
  startPhase('answers')
  for (const server of large ? [small, large] : [small])
    await answerPairs(server, server, WARM_UP_PAIRS, `w${server === small ? 's' : 'l'}`)
  for (let round = 0; round < ROUNDS; round++) {
    const openPairs = await answerPairs(small, small, OPEN_PAGES, `o${round}`, 'open')
    const smallPairs = await answerPairs(small, small, PAIRS, `s${round}`)
    const largePairs = large ? await answerPairs(large, large, PAIRS, `l${round}`) : undefined
    pairRuns.push({
      open: openPairs,
      small: smallPairs,
      ...(largePairs ? { large: largePairs } : {}),
    })
    console.log(`pairs ${round + 1}`, JSON.stringify(pairRuns.at(-1)))
  }
  memoryPeaks.answers = memory(small.process.pid).peakMb
  const byCpu = (p: Pairs) => p.pairsPerCpuSecond
  const openPairs = medianOf(
    pairRuns.map((r) => r.open),
    byCpu,
  )
  const pairs = medianOf(
    pairRuns.map((r) => r.small),
    byCpu,
  )
  const largePairs = large
    ? medianOf(
        pairRuns.map((r) => r.large as Pairs),
        byCpu,
      )
    : undefined
  const largeToSmallPairs = large
    ? +median(
        pairRuns.map((r) => (r.large?.pairsPerCpuSecond ?? 0) / r.small.pairsPerCpuSecond),
      ).toFixed(2)
    : undefined
  const largeMemory = large ? memory(large.process.pid).peakMb : undefined
  await stop(small.process)
  if (large) await stop(large.process)

  const postgres = TEST_DATABASE_URL && !flag('no-postgres') ? await postgresFigures() : undefined
  if (postgres) console.log('postgres', JSON.stringify(postgres))

  const domain = domainBench()
  // Each instance's CPU a page against the SQLite page's, the worse of the two.
  const postgresPageToSqlite = postgres
    ? +(
        Math.max(...postgres.pages.perInstance.map((l) => l?.serverMicrosPerRequest ?? 0)) /
        (pick('grouped').serverMicrosPerRequest ?? 1)
      ).toFixed(2)
    : undefined
  const peakRssMb = Math.max(...Object.values(memoryPeaks))
  const results = {
    when: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: {
      cpus: (await import('node:os')).cpus().length,
      node: process.version,
      pinned: canPin,
    },
    rounds: ROUNDS,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    pageBytes: Buffer.byteLength(pageBody),
    ceiling: pick('ceiling'),
    page: { grouped: pick('grouped'), descriptions: pick('descriptions') },
    peer: { ...pick('peer'), pageBytes: peer.bytes },
    create,
    answer: pairs,
    openAnswer: openPairs,
    large: large
      ? {
          size: LARGE,
          seedSeconds: Math.round(large.seedSeconds),
          page: medianOf(
            rounds.map((r) => r.large as Load),
            (l) => l.requestsPerSecond,
          ),
          answer: largePairs,
          peakRssMb: largeMemory,
          seededRssMb: largeSeededRss,
        }
      : undefined,
    postgres,
    domain,
    peakRssMb,
    memoryPeaks,
    memoryStarts,
    ratios: {
      ...ratios,
      largeToSmallPairs,
      postgresPageToSqlite,
      groupingToBaseline: +(domain.groupingMicros / domain.baselineMicros).toFixed(1),
    },
    everyRound: { pages: rounds, pairs: pairRuns },
  }
  const markdown = report(results)
  const name = `${quick ? 'quick' : 'latest'}${process.versions.node.startsWith('20.') ? '' : `-node${process.versions.node.split('.')[0]}`}`
  writeFileSync(
    join(ROOT, 'bench/results', `${name}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  )
  writeFileSync(join(ROOT, 'bench/results', `${name}.md`), markdown)
  console.log(`\n${markdown}`)
}

function report(r: {
  when: string
  mode: string
  rounds: number
  machine: { cpus: number; pinned: boolean }
  ceiling: Load
  page: { grouped: Load; descriptions: Load }
  peer: Load
  create: Load
  answer: Pairs
  openAnswer: Pairs
  large?: { page: Load; answer?: Pairs; peakRssMb?: number; seededRssMb?: number } | undefined
  postgres?: Awaited<ReturnType<typeof postgresFigures>> | undefined
  domain: ReturnType<typeof domainBench>
  peakRssMb: number
  memoryPeaks: Record<string, number>
  memoryStarts: Record<string, number>
  ratios: Record<string, number | undefined>
}): string {
  const n = (value: number) => value.toLocaleString('en')
  const cpu = (l: Load) =>
    l.serverMicrosPerRequest === undefined ? '' : `${l.serverMicrosPerRequest}`
  const row = (name: string, l: Load, ratio: string, target: string) =>
    `| ${name} | ${n(l.requestsPerSecond)} | ${l.p50} | ${l.p99} | ${cpu(l)} | ${ratio} | ${target} |`
  const pairRow = (name: string, p: Pairs, ratio: string, target: string) =>
    `| ${name} | ${n(p.pairsPerSecond)} pairs/s | ${p.p50} / ${p.verifyP50} | ${p.p99} / ${p.verifyP99} | ${n(p.serverMicrosPerPair)} | ${ratio} | ${target} |`
  const lines = [
    `Run ${r.when} (${r.mode}): median of ${r.rounds} round(s), ${DURATION} s per load after ${WARM_UP} s of warm-up, ${CONNECTIONS} connections, ${r.machine.cpus} cores${r.machine.pinned ? ' (servers on one, load on the other)' : ''}, Node ${process.version}.`,
    '',
    '| what | rate | p50 ms | p99 ms | server CPU µs each | ratio | target |',
    '|---|---|---|---|---|---|---|',
    row('ceiling: node:http, same bytes', r.ceiling, '1.00', ''),
    row(
      'consent page, grouped',
      r.page.grouped,
      `${r.ratios.groupedToCeiling} × ceiling (CPU: ${r.ratios.groupedCpuToCeilingCpu} ×)`,
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
      'Assent ≥ 2.5 × peer',
    ),
    row('create consent request', r.create, '', ''),
    pairRow(
      `answer + verify, durable, ${n(OPEN_PAGES)} pages open, answered in random order`,
      r.openAnswer,
      `**${n(r.openAnswer.pairsPerCpuSecond)} pairs per server CPU-second**; a first view ${r.openAnswer.firstViewMicros} µs`,
      '≥ 2,000 per CPU-second',
    ),
    pairRow(
      'answer + verify, durable, each answered as it opens',
      r.answer,
      `${n(r.answer.pairsPerCpuSecond)} per CPU-second`,
      '',
    ),
  ]
  if (r.large) {
    lines.push(
      row(
        'large tenant: consent page, grouped',
        r.large.page,
        `${r.ratios.largeToSmallPage} × small`,
        '≥ 0.9 × small',
      ),
    )
    if (r.large.answer)
      lines.push(
        pairRow(
          'large tenant: answer + verify',
          r.large.answer,
          `${r.ratios.largeToSmallPairs} × small`,
          '≥ 0.9 × small',
        ),
      )
  }
  if (r.postgres) {
    const pgPages = r.postgres.pages
    lines.push(
      `| PostgreSQL, two instances: consent page | ${n(pgPages.requestsPerSecond)} (${pgPages.perInstance.map((l) => n(l?.requestsPerSecond ?? 0)).join(' + ')}) | | ${pgPages.p99} | ${pgPages.perInstance.map((l) => l?.serverMicrosPerRequest ?? '').join(' / ')} | ${r.ratios.postgresPageToSqlite} × SQLite's CPU | ≤ 2 × |`,
      pairRow(
        'PostgreSQL, two instances: answer on one, verify on the other',
        r.postgres.pairs,
        `${n(r.postgres.pairs.pairsPerCpuSecond)} per CPU-second (${(r.postgres.pairs.perInstanceMicros ?? []).join(' + ')} µs)`,
        '≥ 1,000 per CPU-second',
      ),
    )
  }
  lines.push(
    `| grouping 1000 scopes | ${r.domain.groupingMicros.toFixed(1)} µs | | | | ${r.ratios.groupingToBaseline} × splitting them once | < 1,000 µs |`,
    `| peak RSS of the server | ${r.peakRssMb} MB | | | | ${['pages', 'creates', 'answers'].map((phase) => `${phase} ${r.memoryPeaks[phase]} MB (from ${r.memoryStarts[phase]})`).join(', ')}${r.large?.peakRssMb ? `; large tenant ${r.large.peakRssMb} MB (from ${r.large.seededRssMb} once seeded)` : ''} | < 150 MB |`,
    '',
  )
  return lines.join('\n')
}

main()
  .then(() => {
    rmSync(temp, { recursive: true, force: true })
    process.exit(0)
  })
  .catch((error) => {
    console.error(error)
    rmSync(temp, { recursive: true, force: true })
    process.exit(1)
  })
