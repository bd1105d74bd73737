import { type Kysely, sql } from 'kysely'
import type pg from 'pg'
import type { Database } from './schema.js'

/** The channel configuration writes are announced on (PostgreSQL `NOTIFY`). */
export const CONFIG_CHANNEL = 'assent_config'

/**
 * The channel every change to a consent request is announced on, by the database itself: a
 * trigger on `consent_requests` (migration `request-notices`) sends, in the writing transaction,
 * `[origin, tenant, id]` for each row updated and `[origin]` for each statement that deleted rows,
 * the origin being the writing connection's `application_name`.
 */
export const REQUEST_CHANNEL = 'assent_requests'

/** What an announcement on the request channel asks an instance to forget. */
export type RequestNotice =
  | { readonly tenantId: string; readonly id: string }
  /** Every kept request: some were deleted, or the notice could not be read. */
  | 'all'

/**
 * The notice `payload` carries, or undefined for one sent by `origin` (this instance's own
 * connections: the write that sent it already left the cache as it should be). Anything that is
 * not a notice this code sends means every request, so that nothing read can keep a copy alive.
 */
export function readRequestNotice(payload: string, origin?: string): RequestNotice | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return 'all'
  }
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) return 'all'
  const [from, tenantId, id] = parsed as string[]
  if (parsed.length === 3 && tenantId !== undefined && id !== undefined) {
    return from === origin ? undefined : { tenantId, id }
  }
  return 'all'
}

/**
 * How an instance hears of configuration written by the others (DESIGN §7). `trusted()` says
 * whether what is kept may be served as it is: only while a `LISTEN` connection is up and the
 * version row was read once after it started listening, so nothing written while no connection
 * listened goes unseen. Otherwise the caller reads the version row, and calls `checked` with the
 * token `beforeCheck` gave when the read started.
 */
export interface ConfigChanges {
  trusted(): boolean
  /**
   * The number of the connection listening now, or undefined while none is: a request copy is
   * trusted only while the connection it was kept under still listens.
   */
  listening(): number | undefined
  /** A token for a version read about to start; `checked(token)` once it has been read. */
  beforeCheck(): number
  checked(token: number): void
  /**
   * Sets the version row to `version` and tells every listening instance, in one statement: the
   * notification goes out when the row is committed, never without it.
   */
  publish(version: string): Promise<void>
  close(): Promise<void>
}

export interface ListenOptions {
  /** A new connection, not yet connected (pg's `Client`). */
  readonly connect: () => pg.Client
  /** Called with the version another instance announced. */
  readonly onChange: (version: string) => void
  /** Called with each change to a consent request announced by another connection. */
  readonly onRequest?: (notice: RequestNotice) => void
  /** The `application_name` of this instance's own connections, whose notices are its own. */
  readonly origin?: string
  /** Writes the version row and notifies `channel` with it, in one statement. */
  readonly publish: (channel: string, version: string) => Promise<void>
  /** The first wait before listening again after a connection is lost, in ms (doubled each time). */
  readonly firstRetryMs?: number
  /** The longest wait between two attempts to listen again, in ms. */
  readonly maxRetryMs?: number
}

/**
 * Listens on its own connection, and listens again after losing it (a restart of PostgreSQL, a
 * dropped connection, `pg_terminate_backend`), waiting longer after each failure up to
 * `maxRetryMs`. While no connection listens, nothing is trusted: every request reads the version
 * row, and every consent request the database, as they would without notifications.
 */
export function listenForConfigChanges(options: ListenOptions): ConfigChanges {
  const firstRetryMs = options.firstRetryMs ?? 50
  const maxRetryMs = Math.max(options.maxRetryMs ?? 5_000, firstRetryMs)
  // Bumped each time a connection starts or stops listening: a check that began under one
  // connection proves nothing about the next.
  let session = 0
  let listening = false
  let verified = false
  let closed = false
  let client: pg.Client | undefined
  let retryMs = firstRetryMs
  let retry: NodeJS.Timeout | undefined

  const lost = (which: pg.Client) => {
    if (which !== client) return
    client = undefined
    session += 1
    listening = false
    verified = false
    which.removeAllListeners('notification')
    // A dead connection may still emit errors; they must not take the process down.
    which.on('error', () => {})
    which.end().catch(() => {})
    if (closed) return
    retry = setTimeout(start, retryMs)
    retry.unref()
    retryMs = Math.min(retryMs * 2, maxRetryMs)
  }

  async function start(): Promise<void> {
    retry = undefined
    const next = options.connect()
    client = next
    next.on('error', () => lost(next))
    next.on('end', () => lost(next))
    next.on('notification', (message) => {
      if (message.channel === CONFIG_CHANNEL && message.payload) options.onChange(message.payload)
      if (message.channel === REQUEST_CHANNEL && options.onRequest) {
        const notice = readRequestNotice(message.payload ?? '', options.origin)
        if (notice) options.onRequest(notice)
      }
    })
    try {
      await next.connect()
      await next.query(`listen ${CONFIG_CHANNEL}; listen ${REQUEST_CHANNEL}`)
    } catch {
      lost(next)
      return
    }
    if (client !== next) return
    session += 1
    listening = true
    retryMs = firstRetryMs
  }

  void start()

  return {
    trusted: () => listening && verified,
    listening: () => (listening ? session : undefined),
    beforeCheck: () => (listening ? session : -1),
    checked(token) {
      if (listening && token === session) verified = true
    },
    publish: (version) => options.publish(CONFIG_CHANNEL, version),
    async close() {
      closed = true
      if (retry) clearTimeout(retry)
      const last = client
      client = undefined
      listening = false
      await last?.end().catch(() => {})
    },
  }
}

/** The row of `assent_meta` that names the configuration's latest version. */
export const CONFIG_VERSION_KEY = 'config_version'

/**
 * Configuration changes over PostgreSQL: a `LISTEN` connection of its own (`Client`, pg's, made
 * for `url`), and a version written with its notification by one statement on `db`, so the
 * notification is sent when the row is committed (PostgreSQL delivers it at commit), never alone.
 */
export function postgresConfigChanges(
  db: Kysely<Database>,
  url: string,
  Client: typeof pg.Client,
  retry: Pick<ListenOptions, 'firstRetryMs' | 'maxRetryMs' | 'origin'> = {},
): (
  onChange: (version: string) => void,
  onRequest?: (notice: RequestNotice) => void,
) => ConfigChanges {
  return (onChange, onRequest) =>
    listenForConfigChanges({
      ...retry,
      connect: () => new Client({ connectionString: url, application_name: 'assent-listen' }),
      onChange,
      ...(onRequest ? { onRequest } : {}),
      publish: async (channel, version) => {
        await sql`with stored as (
          insert into assent_meta (key, value) values (${CONFIG_VERSION_KEY}, ${version})
          on conflict (key) do update set value = excluded.value
          returning value
        ) select pg_notify(${channel}, value) from stored`.execute(db)
      },
    })
}
