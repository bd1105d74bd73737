/**
 * Run before `npm test`: the browser tests drive Debian's Chromium. When it is missing and this
 * process may install packages (root, apt-get present), install it; otherwise stop with one
 * line saying what to run. Set CHROMIUM_PATH to use another Chromium.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { pathToFileURL } from 'node:url'

export const DEFAULT_CHROMIUM = '/usr/bin/chromium'

export interface Machine {
  /** CHROMIUM_PATH, when set. */
  chromiumPath: string | undefined
  exists(path: string): boolean
  isRoot: boolean
  hasAptGet: boolean
}

export type Plan =
  | { kind: 'ready'; path: string }
  | { kind: 'install'; path: string; commands: string[][] }
  | { kind: 'fail'; message: string }

/** What to do on this machine; decides only, runs nothing. */
export function planChromium(machine: Machine): Plan {
  const path = machine.chromiumPath || DEFAULT_CHROMIUM
  if (machine.exists(path)) return { kind: 'ready', path }
  if (machine.chromiumPath && machine.chromiumPath !== DEFAULT_CHROMIUM) {
    // Someone pointed at a browser of their own: installing Debian's would not put it there.
    return {
      kind: 'fail',
      message: `Chromium not found at CHROMIUM_PATH=${path}: fix CHROMIUM_PATH, or unset it and run: sudo apt-get install -y chromium`,
    }
  }
  if (!machine.hasAptGet) {
    return {
      kind: 'fail',
      message: `Chromium not found at ${path} and apt-get is missing: install Chromium and set CHROMIUM_PATH to its executable`,
    }
  }
  if (!machine.isRoot) {
    return {
      kind: 'fail',
      message: `Chromium not found at ${path}: run sudo apt-get install -y chromium, then npm test again`,
    }
  }
  return {
    kind: 'install',
    path,
    commands: [
      ['apt-get', 'update', '-qq'],
      ['apt-get', 'install', '-y', '-qq', 'chromium'],
    ],
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && executable(join(dir, name)))
}

function main(): number {
  const plan = planChromium({
    chromiumPath: process.env.CHROMIUM_PATH,
    exists: executable,
    isRoot: process.getuid?.() === 0,
    hasAptGet: onPath('apt-get'),
  })
  if (plan.kind === 'ready') return 0
  if (plan.kind === 'fail') {
    console.error(plan.message)
    return 1
  }
  console.log(
    `Chromium not found at ${plan.path}; installing Debian's chromium for the browser tests`,
  )
  for (const command of plan.commands) {
    const [program = '', ...args] = command
    console.log(`$ ${command.join(' ')}`)
    const run = spawnSync(program, args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    if (run.status !== 0) {
      console.error(`"${command.join(' ')}" failed; run: apt-get install -y chromium`)
      return 1
    }
  }
  if (!executable(plan.path)) {
    console.error(`chromium installed but ${plan.path} is missing; set CHROMIUM_PATH`)
    return 1
  }
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main()
