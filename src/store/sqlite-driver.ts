import { createRequire } from 'node:module'
import type BetterSqlite3 from 'better-sqlite3'

/**
 * The SQLite driver for the running Node.js. better-sqlite3 12 is the last release that runs on
 * Node 20, but on Node 24 its objects' destructors call `RemoveEnvironmentCleanupHook` and abort
 * the process (`env != nullptr`) when they run after the environment is gone, as in a worker
 * thread's teardown. better-sqlite3 13, built on Node-API, does not, and supports Node 22 and later
 * only; its API is the same. Both are installed; the one that supports this Node.js is loaded.
 */
export function sqliteDriverName(nodeVersion: string = process.versions.node): string {
  const major = Number(nodeVersion.split('.')[0])
  return major >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3'
}

const require = createRequire(import.meta.url)

export const SqliteDatabase: typeof BetterSqlite3 = require(sqliteDriverName())
export type SqliteStatement = BetterSqlite3.Statement
