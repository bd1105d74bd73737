import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { changes, snapshot } from '../support/clean-tree.js'
import { tempDir } from '../support/temp.js'

let repo: ReturnType<typeof tempDir>
const file = (path: string) => join(repo.dir, path)
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: repo.dir,
    stdio: 'pipe',
  })

beforeEach(() => {
  repo = tempDir()
  git('init', '-q')
  mkdirSync(file('shots'))
  writeFileSync(file('shots/a.png'), 'png')
  writeFileSync(file('README.md'), 'readme')
  writeFileSync(file('.gitignore'), 'test-artifacts/\n')
  git('add', '.')
  git('commit', '-q', '-m', 'first')
})
afterEach(() => repo.remove())

/** The tree's state before and after `run`, compared. */
function across(run: () => void): string[] {
  const before = snapshot(repo.dir)
  run()
  const after = snapshot(repo.dir)
  if (!before || !after) throw new Error('not a git checkout')
  return changes(before, after)
}

// Later than any stamp the first write had, whatever the file system's clock resolution.
const later = (path: string) => execFileSync('touch', ['-d', '+1 minute', file(path)])

describe('the clean-tree check of the test run', () => {
  it('sees a tracked file written, even with the bytes it had', () => {
    expect(
      across(() => {
        writeFileSync(file('shots/a.png'), readFileSync(file('shots/a.png')))
        later('shots/a.png')
      }),
    ).toEqual(['written: shots/a.png'])
    expect(across(() => writeFileSync(file('README.md'), 'changed'))).toEqual([
      ' M README.md',
      'written: README.md',
    ])
  })

  it('sees a new file git neither tracks nor ignores, and a tracked file deleted', () => {
    expect(across(() => writeFileSync(file('shots/b.png'), 'png'))).toEqual(['?? shots/b.png'])
    expect(across(() => rmSync(file('README.md')))).toEqual([' D README.md', 'written: README.md'])
  })

  it('leaves alone ignored files and edits there before the run', () => {
    writeFileSync(file('README.md'), 'my own edit')
    writeFileSync(file('notes.txt'), 'mine')
    expect(
      across(() => {
        mkdirSync(file('test-artifacts'))
        writeFileSync(file('test-artifacts/shot.png'), 'png')
      }),
    ).toEqual([])
  })

  it('is not asked outside a git checkout', () => {
    const plain = tempDir()
    try {
      expect(snapshot(plain.dir)).toBeUndefined()
    } finally {
      plain.remove()
    }
  })
})
