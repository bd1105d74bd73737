import type { StatCount } from '../../entities.js'
import type { ClientInsight, Insights } from '../../read-models.js'
import type { Store } from '../../store/port.js'

export const INSIGHT_DAYS = 30

const dayOf = (at: Date) => at.toISOString().slice(0, 10)

/** The last 30 days of how prompts were answered, per client, for the console. */
export async function insights(store: Store, tenantId: string, now: Date): Promise<Insights> {
  const to = dayOf(now)
  const from = dayOf(new Date(now.getTime() - (INSIGHT_DAYS - 1) * 86_400_000))
  const counts = await store.stats.range(tenantId, from, to)
  const byClient = new Map<string, StatCount[]>()
  for (const count of counts) {
    const rows = byClient.get(count.clientId)
    if (rows) rows.push(count)
    else byClient.set(count.clientId, [count])
  }

  const days: string[] = []
  for (let i = INSIGHT_DAYS - 1; i >= 0; i--)
    days.push(dayOf(new Date(now.getTime() - i * 86_400_000)))

  const clients: ClientInsight[] = []
  for (const [clientId, rows] of byClient) {
    const total = (metric: StatCount['metric']) =>
      rows.filter((row) => row.metric === metric).reduce((sum, row) => sum + row.count, 0)
    const shown = total('shown')
    const accepted = total('accepted')
    const declined = total('denied')
    const client = await store.clients.get(tenantId, clientId)
    clients.push({
      clientId,
      name: client?.name ?? clientId,
      shown,
      accepted,
      declined,
      abandoned: Math.max(0, shown - accepted - declined),
      days: days.map((day) => {
        const of = (metric: StatCount['metric']) =>
          rows
            .filter((row) => row.day === day && row.metric === metric)
            .reduce((s, r) => s + r.count, 0)
        return { day, shown: of('shown'), answered: of('accepted') + of('denied') }
      }),
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
