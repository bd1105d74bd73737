import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { createKyselyStore, type KyselyStoreOptions } from './kysely-store.js'
import type { Store } from './port.js'
import type { Database } from './schema.js'

/**
 * Opens the store named by `DATABASE_URL` (DESIGN §7): `sqlite:<file>` (the default, one machine)
 * or `postgres://…` (several instances).
 */
export async function openStore(
  databaseUrl: string,
  options: KyselyStoreOptions = {},
): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:'))
    return createKyselyStore(openSqlite(databaseUrl.slice(7)), options)
  throw new Error(`unsupported DATABASE_URL scheme: ${databaseUrl.split(':')[0]}`)
}

export function openSqlite(file: string): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SqliteDatabase(file)
  // WAL lets readers run beside the writer; FULL makes every commit durable before it returns,
  // so an answer acknowledged with 303 survives a crash or power loss (DESIGN §6).
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
}
