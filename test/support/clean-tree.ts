import { execFileSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './process.js'

/** What a run could change in a checkout: git's status, and when each tracked file was written. */
export interface TreeState {
  /** `git status --porcelain` entries, untracked files one by one. */
  readonly status: ReadonlySet<string>
  /** Per tracked file, its modification time and size. */
  readonly stamps: ReadonlyMap<string, string>
}

const git = (root: string, args: string[]) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

const entries = (output: string) => output.split('\0').filter((entry) => entry !== '')

/** The state of the checkout at `root`; `undefined` outside a git checkout (an unpacked archive). */
export function snapshot(root: string): TreeState | undefined {
  try {
    git(root, ['rev-parse', '--is-inside-work-tree'])
  } catch {
    return undefined
  }
  const status = new Set(
    entries(git(root, ['status', '--porcelain', '-z', '--untracked-files=all'])),
  )
  const stamps = new Map<string, string>()
  for (const path of entries(git(root, ['ls-files', '-z']))) {
    try {
      const stat = statSync(join(root, path))
      stamps.set(path, `${stat.mtimeMs}:${stat.size}`)
    } catch {
      stamps.set(path, 'missing')
    }
  }
  return { status, stamps }
}

/**
 * What changed between two states: status entries new since `before`, and tracked files written
 * since, even with the bytes they had (git's status alone would not show a screenshot rewritten
 * identically). Edits already there at `before` are the developer's and are not listed.
 */
export function changes(before: TreeState, after: TreeState): string[] {
  const status = [...after.status].filter((entry) => !before.status.has(entry))
  const written = [...after.stamps]
    .filter(([path, stamp]) => before.stamps.get(path) !== stamp)
    .map(([path]) => `written: ${path}`)
  return [...new Set([...status, ...written])].sort()
}

/**
 * Vitest's global setup: tests leave no trace. The checkout is looked at before any test file
 * runs and again after the last; a file git tracks written, or one it neither tracks nor ignores
 * created, fails the run. Tests write to a temp folder or to the ignored `test-artifacts/`.
 */
export default function setup(): () => void {
  const before = snapshot(ROOT)
  return function checkCleanTree() {
    const after = before && snapshot(ROOT)
    const changed = before && after ? changes(before, after) : []
    if (changed.length === 0) return
    // Vitest prints an error thrown here but exits with the tests' status; this fails the run.
    process.exitCode = 1
    throw new Error(
      `The tests changed the checkout (write to a temp folder or test-artifacts/ instead):\n${changed.join('\n')}`,
    )
  }
}
