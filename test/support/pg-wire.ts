import pg from 'pg'
import { vi } from 'vitest'

// What PostgreSQL store tests watch on the wire: the statements pg sends, the notifications it
// receives, and the connections that listen for them.

/** Every statement pg sends from here on, by its text (the pools' and the listeners' alike). */
export function statements() {
  const sent: string[] = []
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
  const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    const text = args[0]
    sent.push(typeof text === 'string' ? text : String((text as { text?: string })?.text ?? ''))
    return query.apply(this, args)
  } as never)
  return { sent, restore: () => spy.mockRestore() }
}

/** What `work` sends to the database. */
export async function sentBy<T>(work: () => Promise<T>): Promise<{ value: T; sent: string[] }> {
  const seen = statements()
  try {
    return { value: await work(), sent: seen.sent }
  } finally {
    seen.restore()
  }
}

/**
 * Holds back the notifications on `channel` pg clients of this process receive, as a slow network
 * would, until `release` (delivering them) or `discard` (as a lost connection would). Other
 * channels pass: a configuration notice of an earlier write, late on a busy machine, is not
 * counted as the notice a test waits for.
 */
export function holdNotifications(channel = 'assent_requests') {
  const held: { client: pg.Client; args: unknown[] }[] = []
  const emit = pg.Client.prototype.emit
  const spy = vi.spyOn(pg.Client.prototype, 'emit').mockImplementation(function (
    this: pg.Client,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === 'notification' && (args[0] as { channel?: string })?.channel === channel) {
      held.push({ client: this, args })
      return true
    }
    return emit.call(this, event, ...args)
  } as never)
  return {
    count: () => held.length,
    release() {
      spy.mockRestore()
      for (const each of held.splice(0)) emit.call(each.client, 'notification', ...each.args)
    },
    discard() {
      spy.mockRestore()
      held.splice(0)
    },
  }
}

/** Asks `check` until it holds, a bounded number of times, letting the event loop turn between. */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`never: ${what}`)
}

/** Ends every connection listening for changes on the database of `url`; how many there were. */
export async function killListeners(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    const { rows } = await admin.query(
      `select pg_terminate_backend(pid) as killed from pg_stat_activity
       where datname = current_database() and application_name = 'assent-listen'`,
    )
    return rows.length
  } finally {
    await admin.end()
  }
}
