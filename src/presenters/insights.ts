import type { Insights } from '../read-models.js'

const WIDTH = 300
const HEIGHT = 60

/**
 * The view-model of the console's insights page: per client, the totals as numbers (the table
 * is the content; the picture repeats it) and a bar per day drawn as SVG on the server.
 */
export function insightsModel(data: Insights) {
  return {
    from: data.from,
    to: data.to,
    clients: data.clients.map((client) => {
      const peak = Math.max(1, ...client.days.map((d) => d.shown))
      const step = WIDTH / client.days.length
      const rate = (n: number) =>
        client.shown === 0 ? '–' : `${Math.round((n / client.shown) * 100)} %`
      return {
        ...client,
        acceptedRate: rate(client.accepted),
        declinedRate: rate(client.declined),
        abandonedRate: rate(client.abandoned),
        chart: {
          width: WIDTH,
          height: HEIGHT,
          label: `${client.name}: ${client.shown} prompts shown over ${client.days.length} days, ${client.accepted} accepted, ${client.declined} declined, ${client.abandoned} abandoned`,
          bars: client.days.map((d, i) => {
            const shownHeight = (d.shown / peak) * HEIGHT
            const answeredHeight = (d.answered / peak) * HEIGHT
            return {
              x: (i * step).toFixed(1),
              width: Math.max(1, step - 2).toFixed(1),
              shownY: (HEIGHT - shownHeight).toFixed(1),
              shownHeight: shownHeight.toFixed(1),
              answeredY: (HEIGHT - answeredHeight).toFixed(1),
              answeredHeight: answeredHeight.toFixed(1),
              title: `${d.day}: ${d.shown} shown, ${d.answered} answered`,
            }
          }),
        },
      }
    }),
    unticked: data.unticked,
  }
}
