import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { LRUCache } from 'lru-cache'
import { limits } from '../config/env.js'
import { withConfigCache } from './cached-store.js'
import { postgresConfigChanges } from './config-changes.js'
import { createKyselyStore, type KyselyStoreOptions } from './kysely/index.js'
import type { Store } from './port.js'
import type { Database } from './schema.js'
import { SqliteDatabase, type SqliteStatement } from './sqlite-driver.js'

/**
 * Opens the store named by `DATABASE_URL` (DESIGN §7): `sqlite:<file>` (the default, one machine)
 * or `postgres://…` (several instances behind a load balancer).
 */
export async function openStore(
  databaseUrl: string,
  options: Omit<KyselyStoreOptions, 'exclusive'> = {},
): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) {
    // One process owns a SQLite file: its own writes are all there is to forget.
    return withConfigCache(
      createKyselyStore(openSqlite(databaseUrl.slice(7)), { ...options, groupCommit: true }),
      {
        shared: false,
      },
    )
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // This instance's connections name it: the notices its own writes send are its own.
    const origin = `assent:${randomBytes(9).toString('base64url')}`
    const db = await openPostgres(databaseUrl, origin)
    const { default: pg } = await import('pg')
    return withConfigCache(
      createKyselyStore(db, { ...options, exclusive: advisoryLock(db), lockRows: true }),
      {
        shared: true,
        listen: postgresConfigChanges(db, databaseUrl, pg.Client, { origin }),
      },
    )
  }
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
  // better-sqlite3 builds SQLite with a 16 MB page cache (SQLITE_DEFAULT_CACHE_SIZE=-16000), which
  // fills as the file grows: 15 MB of the server's resident memory after 30,000 creates. Reads
  // are by key, and the operating system caches the file anyway; SQLite's own default, 2 MB,
  // keeps creates, answers and verifies as fast.
  sqlite.pragma(`cache_size = ${-limits.sqliteCacheKib}`)
  // Kysely prepares every query it runs; preparing costs more than running these small
  // statements, so each distinct SQL text is prepared once and reused, the least used dropped
  // first when there are too many (an `IN` list of each length is a text of its own).
  const statements = new LRUCache<string, SqliteStatement>({
    max: limits.sqliteStatements,
    memoMethod: (text) => sqlite.prepare(text),
  })
  const database = {
    close: () => sqlite.close(),
    prepare: (text: string) => statements.memo(text),
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
}

/** A pool of connections to `url`, each named `applicationName` when given. */
export async function openPostgres(
  url: string,
  applicationName?: string,
): Promise<Kysely<Database>> {
  // Loaded for PostgreSQL only: pg holds about 2.7 MB of heap that a SQLite server never uses.
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    idleTimeoutMillis: 30_000,
    ...(applicationName ? { application_name: applicationName } : {}),
  })
  // A dropped idle connection must not take the process down; the pool replaces it.
  pool.on('error', () => {})
  // Nor one dropped while checked out (pg-pool takes its idle listener off then): between two
  // statements of a transaction, pg has no query to fail and emits the error on the client, which
  // with no listener ends the process. The statement under way, or the next, fails instead.
  pool.on('connect', (client) => {
    client.on('error', () => {})
  })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

/** A session-level advisory lock (PostgreSQL §13.3.5) held on one connection while `work` runs. */
function advisoryLock(db: Kysely<Database>) {
  return <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const key = createHash('sha256').update(`assent:${name}`).digest().readBigInt64BE(0)
    return db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${key})`.execute(conn)
      try {
        return await work()
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(conn)
      }
    })
  }
}
