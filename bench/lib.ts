/**
 * The benchmark's machinery: processes pinned to their own core, load from a separate autocannon
 * process, and each server's own CPU time and memory read from /proc.
 */
import { execFileSync, spawn } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { cpus } from 'node:os'

export const ROOT = new URL('../', import.meta.url).pathname

/**
 * Servers on core 0, load generators on core 1, when the machine has two cores and `taskset`:
 * sharing one core's time slices between a server and its load generator is the largest source
 * of run-to-run noise on a small machine, and it hides which of the two is the limit.
 */
export const SERVER_CPU = 0
export const LOAD_CPU = 1
export const canPin = cpus().length >= 2 && existsSync('/usr/bin/taskset')

export function pinned(
  cpu: number | undefined,
  command: string,
  args: string[],
): [string, string[]] {
  if (!canPin) return [command, args]
  // With no core named, every core: a child would otherwise inherit the bench's own pinning.
  const cores = cpu === undefined ? `0-${cpus().length - 1}` : String(cpu)
  return ['/usr/bin/taskset', ['-c', cores, command, ...args]]
}

/** Pins this very process (the bench, which drives the answer loads) to a core. */
export function pinSelf(cpu: number): void {
  if (canPin) execFileSync('/usr/bin/taskset', ['-pc', String(cpu), String(process.pid)])
}

const children: ReturnType<typeof spawn>[] = []
// Whatever happens, no server of the benchmark outlives it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

export interface Started {
  readonly child: ReturnType<typeof spawn>
  readonly pid: number
  readonly firstLine: Promise<string>
}

export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  cpu?: number,
): Started {
  const [file, argv] = pinned(cpu, command, args)
  const child = spawn(file, argv, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  const firstLine = new Promise<string>((resolve, reject) => {
    let text = ''
    const tee = process.env.BENCH_SERVER_LOG
    child.stdout?.on('data', (chunk: Buffer) => {
      if (tee) appendFileSync(`${tee}.${child.pid}`, chunk)
      if (text.length > 65_536) return
      text += chunk.toString()
      // The first line a bench server prints on purpose: a port or a JSON object (libraries
      // may print warnings before it).
      const line = text.split('\n').find((l, i, all) => i < all.length - 1 && /^[{\d]/.test(l))
      if (line !== undefined) resolve(line)
    })
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code}`)))
  })
  firstLine.catch(() => {})
  // taskset execs the command in place: the child's pid is the server's.
  return { child, pid: child.pid ?? 0, firstLine }
}

export async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return
  const exited = new Promise((resolve) => started.child.once('exit', resolve))
  started.child.kill('SIGTERM')
  await exited
}

export async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${url} did not come up`)
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
  } catch {
    return 100
  }
})()

/** User + system CPU seconds a process has used so far (`/proc/<pid>/stat`, fields 14 and 15). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name, field 2, may hold spaces: count from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/** Current and peak resident memory in MB (`VmRSS`, `VmHWM`). */
export function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0)
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) }
}

/** Starts a new peak-RSS measurement for a process (Linux: `5` into `clear_refs`). */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
  } catch {}
}

export interface Load {
  requestsPerSecond: number
  p50: number
  p99: number
  requests: number
  errors: number
  non2xx: number
  /** The server's own CPU time per response, in µs: what the load generator cannot hide. */
  serverMicrosPerRequest?: number
}

export interface LoadOptions {
  readonly url: string
  readonly headers?: Record<string, string> | undefined
  readonly method?: string
  readonly body?: string
  readonly connections: number
  readonly duration: number
  /** The core the load runs on; `null` for any (loads beside several servers and a database). */
  readonly cpu?: number | null
}

/**
 * One load from a separate autocannon process on the load core, as a user would run it by hand
 * (`autocannon -c 32 -d 10 -H cookie=… <url>`); the warm-up is the same command, unmeasured.
 */
export async function cliLoad(options: LoadOptions, serverPid?: number): Promise<Load> {
  const args = [
    'node_modules/autocannon/autocannon.js',
    '--json',
    '-c',
    String(options.connections),
    '-d',
    String(options.duration),
  ]
  for (const [name, value] of Object.entries(options.headers ?? {}))
    args.push('-H', `${name}=${value}`)
  if (options.method) args.push('-m', options.method)
  if (options.body) args.push('-b', options.body)
  args.push(options.url)
  const [file, argv] = pinned(
    options.cpu === null ? undefined : (options.cpu ?? LOAD_CPU),
    process.execPath,
    args,
  )
  const before = serverPid ? cpuSeconds(serverPid) : 0
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(file, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString()
    })
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`autocannon exited ${code}`)),
    )
  })
  const used = serverPid ? cpuSeconds(serverPid) - before : 0
  const result = JSON.parse(output) as {
    requests: { average: number; total: number }
    latency: { p50: number; p99: number }
    errors: number
    non2xx: number
  }
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    ...(serverPid && result.requests.total
      ? { serverMicrosPerRequest: Math.round((used / result.requests.total) * 1e6 * 10) / 10 }
      : {}),
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** The run whose value is the median: its other figures (latency) come with it. */
export function medianOf<T>(runs: T[], value: (run: T) => number): T {
  const m = median(runs.map(value))
  return runs.reduce((best, run) =>
    Math.abs(value(run) - m) < Math.abs(value(best) - m) ? run : best,
  )
}
