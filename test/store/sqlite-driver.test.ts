import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SqliteDatabase, sqliteDriverName } from '../../src/store/sqlite-driver.js'
import { tempDir } from '../support/temp.js'

const require = createRequire(import.meta.url)

describe('the SQLite driver', () => {
  it('is better-sqlite3 12 on Node 20 and 13 from Node 22 on', () => {
    expect(sqliteDriverName('20.19.0')).toBe('better-sqlite3')
    expect(sqliteDriverName('21.7.3')).toBe('better-sqlite3')
    expect(sqliteDriverName('22.12.0')).toBe('better-sqlite3-napi')
    expect(sqliteDriverName('24.21.0')).toBe('better-sqlite3-napi')

    const installed = require(`${sqliteDriverName()}/package.json`) as { version: string }
    const major = Number(process.versions.node.split('.')[0])
    expect(installed.version.split('.')[0]).toBe(major >= 22 ? '13' : '12')
  })

  it('writes a real file in WAL mode', () => {
    const temp = tempDir()
    try {
      const db = new SqliteDatabase(join(temp.dir, 'driver.sqlite'))
      expect(db.pragma('journal_mode = WAL', { simple: true })).toBe('wal')
      db.exec('create table t (a integer)')
      db.prepare('insert into t (a) values (?)').run(7)
      db.close()
      const again = new SqliteDatabase(join(temp.dir, 'driver.sqlite'), { readonly: true })
      expect(again.prepare('select a from t').get()).toEqual({ a: 7 })
      again.close()
    } finally {
      temp.remove()
    }
  })

  // better-sqlite3 12 on Node 24 aborts the process (`RemoveEnvironmentCleanupHook`,
  // `env != nullptr`) as soon as the garbage collector reclaims statements nobody holds any more,
  // which a long-running server does all the time. A child process, so an abort cannot take the
  // test runner with it.
  it('lets the garbage collector reclaim statements without taking the process down', async () => {
    const script = `
      const Database = require(process.argv[1])
      const db = new Database(':memory:')
      db.exec('create table t (a integer)')
      async function main() {
        for (let round = 0; round < 6; round++) {
          for (let i = 0; i < 2000; i++) db.prepare('insert into t (a) values (' + i + ')').run()
          const garbage = []
          for (let j = 0; j < 200000; j++) garbage.push({ j })
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
        process.stdout.write(String(db.prepare('select count(*) as n from t').get().n))
      }
      main()
    `
    const run = await new Promise<{ code: number | null; signal: string | null; out: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          ['-e', script, require.resolve(sqliteDriverName())],
          { timeout: 60_000 },
          (error, stdout) => {
            const failure = error as (Error & { code?: number; signal?: string }) | null
            resolve({
              code: failure ? (failure.code ?? null) : 0,
              signal: failure?.signal ?? null,
              out: stdout,
            })
          },
        )
      },
    )
    expect(run).toEqual({ code: 0, signal: null, out: '12000' })
  })
})
