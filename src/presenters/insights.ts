import type { InsightDay, Insights } from '../read-models.js'

/** The chart's drawing box (SVG user units); it scales to the page's width. */
const BOX = { width: 640, height: 220, left: 40, right: 8, top: 12, bottom: 30 }

/** What a day's bar is made of, bottom up, with the words of the legend. */
const SERIES = [
  { key: 'accepted', label: 'Accepted' },
  { key: 'declined', label: 'Declined' },
  { key: 'abandoned', label: 'Abandoned (expired unanswered)' },
  { key: 'open', label: 'Open (may still be answered)' },
] as const

/** The smallest of 1, 2, 5, 10, 20, 50… at or above `n`: a y axis that reads round. */
function niceCeiling(n: number): number {
  if (n <= 1) return 1
  const magnitude = 10 ** Math.floor(Math.log10(n))
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= n) ?? 10
  return step * magnitude
}

/**
 * One client's chart: a bar per day (its height the prompts shown that day), stacked from the
 * answers; days on the x axis, counts on the y axis. The table beside it is the content.
 */
function chart(name: string, days: readonly InsightDay[]) {
  const plotWidth = BOX.width - BOX.left - BOX.right
  const plotHeight = BOX.height - BOX.top - BOX.bottom
  const top = niceCeiling(Math.max(1, ...days.map((d) => d.shown)))
  const y = (count: number) => BOX.top + plotHeight - (count / top) * plotHeight
  const step = plotWidth / days.length
  const gap = Math.min(4, step / 4)
  const half = top / 2
  return {
    ...BOX,
    axis: {
      x1: BOX.left,
      x2: BOX.width - BOX.right,
      y: BOX.top + plotHeight,
      yTop: BOX.top,
    },
    // A middle tick only when it is a whole number of prompts.
    yTicks: (Number.isInteger(half) && half > 0 ? [0, half, top] : [0, top]).map((value) => ({
      value,
      y: y(value).toFixed(1),
    })),
    // Every seventh day from the last, so today is always labelled.
    xTicks: days
      .map((d, i) => ({ i, day: d.day }))
      .filter(({ i }) => (days.length - 1 - i) % 7 === 0)
      .map(({ i, day }) => ({
        x: (BOX.left + i * step + step / 2).toFixed(1),
        label: day.slice(5),
      })),
    bars: days.map((d, i) => {
      let base = 0
      const segments = SERIES.flatMap(({ key }) => {
        const count = d[key]
        if (count === 0) return []
        const segment = {
          series: key,
          y: y(base + count).toFixed(1),
          height: (y(base) - y(base + count)).toFixed(1),
        }
        base += count
        return [segment]
      })
      return {
        x: (BOX.left + i * step + gap / 2).toFixed(1),
        width: Math.max(1, step - gap).toFixed(1),
        title: `${d.day}: ${d.shown} shown, ${d.accepted} accepted, ${d.declined} declined, ${d.abandoned} abandoned, ${d.open} open`,
        segments,
      }
    }),
    label: `${name}: prompts per day over ${days.length} days`,
  }
}

/**
 * The view-model of the console's insights page: per client, the totals as numbers (the table
 * is the content; the chart repeats it per day, with its legend and the days' numbers).
 */
export function insightsModel(data: Insights) {
  return {
    from: data.from,
    to: data.to,
    legend: SERIES.map(({ key, label }) => ({ series: key, label })),
    clients: data.clients.map((client) => {
      const rate = (n: number) =>
        client.shown === 0 ? '–' : `${Math.round((n / client.shown) * 100)} %`
      return {
        ...client,
        acceptedRate: rate(client.accepted),
        declinedRate: rate(client.declined),
        abandonedRate: rate(client.abandoned),
        openRate: rate(client.open),
        summary: `${client.name}: ${client.shown} prompts shown over ${client.days.length} days, ${client.accepted} accepted, ${client.declined} declined, ${client.abandoned} abandoned, ${client.open} still open`,
        chart: chart(client.name, client.days),
        // The days that had a prompt, for the table under the chart.
        activeDays: client.days.filter((d) => d.shown + d.accepted + d.declined > 0),
      }
    }),
    unticked: data.unticked,
  }
}
