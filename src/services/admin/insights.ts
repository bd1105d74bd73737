import type { StatCount } from '../../entities.js'
import type { ClientInsight, InsightDay, Insights } from '../../read-models.js'
import type { Store } from '../../store/port.js'

export const INSIGHT_DAYS = 30
const DAY_MS = 86_400_000

const dayOf = (at: Date) => at.toISOString().slice(0, 10)

/**
 * Whether every prompt shown on `day` (UTC) has expired by `now`: the day is over, and so is the
 * lifetime of a request shown in its last instant. Until then an unanswered prompt of that day
 * may still be answered, so it is not counted as abandoned.
 */
export function settled(day: string, now: Date, requestTtlSeconds: number): boolean {
  const end = Date.parse(`${day}T00:00:00.000Z`) + DAY_MS
  return now.getTime() >= end + requestTtlSeconds * 1000
}

/** One client's counts of one day: unanswered prompts are abandoned once the day is settled. */
export function insightDay(
  day: string,
  counts: { shown: number; accepted: number; declined: number },
  isSettled: boolean,
): InsightDay {
  // An answer may fall on the day after the prompt was shown: never below zero.
  const unanswered = Math.max(0, counts.shown - counts.accepted - counts.declined)
  return {
    day,
    ...counts,
    abandoned: isSettled ? unanswered : 0,
    open: isSettled ? 0 : unanswered,
  }
}

/** The last 30 days of how prompts were answered, per client, for the console. */
export async function insights(
  store: Store,
  tenantId: string,
  now: Date,
  requestTtlSeconds: number,
): Promise<Insights> {
  const to = dayOf(now)
  const from = dayOf(new Date(now.getTime() - (INSIGHT_DAYS - 1) * DAY_MS))
  const counts = await store.stats.range(tenantId, from, to)
  const byClient = new Map<string, StatCount[]>()
  for (const count of counts) {
    const rows = byClient.get(count.clientId)
    if (rows) rows.push(count)
    else byClient.set(count.clientId, [count])
  }

  const days: string[] = []
  for (let i = INSIGHT_DAYS - 1; i >= 0; i--) days.push(dayOf(new Date(now.getTime() - i * DAY_MS)))

  const clients: ClientInsight[] = []
  for (const [clientId, rows] of byClient) {
    const perDay = days.map((day) => {
      const of = (metric: StatCount['metric']) =>
        rows
          .filter((row) => row.day === day && row.metric === metric)
          .reduce((sum, row) => sum + row.count, 0)
      return insightDay(
        day,
        { shown: of('shown'), accepted: of('accepted'), declined: of('denied') },
        settled(day, now, requestTtlSeconds),
      )
    })
    const sum = (key: keyof Omit<InsightDay, 'day'>) => perDay.reduce((n, d) => n + d[key], 0)
    const client = await store.clients.get(tenantId, clientId)
    clients.push({
      clientId,
      name: client?.name ?? clientId,
      shown: sum('shown'),
      accepted: sum('accepted'),
      declined: sum('declined'),
      abandoned: sum('abandoned'),
      open: sum('open'),
      days: perDay,
    })
  }
  clients.sort((a, b) => b.shown - a.shown || a.clientId.localeCompare(b.clientId))

  const unticked = new Map<string, { clientId: string; scope: string; count: number }>()
  for (const row of counts.filter((c) => c.metric === 'unticked')) {
    const key = `${row.clientId}\u0000${row.scope}`
    const seen = unticked.get(key) ?? { clientId: row.clientId, scope: row.scope, count: 0 }
    unticked.set(key, { ...seen, count: seen.count + row.count })
  }
  return {
    from,
    to,
    clients,
    unticked: [...unticked.values()].sort((a, b) => b.count - a.count).slice(0, 20),
  }
}
