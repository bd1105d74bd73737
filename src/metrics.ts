/**
 * Counters and a latency histogram in Prometheus's text format (exposition format 0.0.4),
 * served at `GET /metrics`. Per instance: a scraper sums them across instances.
 */
type Labels = Record<string, string>

const key = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}="${value.replace(/["\\\n]/g, '_')}"`)
    .join(',')

class Counter {
  private readonly values = new Map<string, number>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels)
    this.values.set(k, (this.values.get(k) ?? 0) + by)
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`]
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${v}`)
    return lines
  }
}

class Histogram {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>()
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}
  observe(labels: Labels, seconds: number): void {
    const k = key(labels)
    let s = this.series.get(k)
    if (!s) {
      s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }
      this.series.set(k, s)
    }
    this.bounds.forEach((bound, i) => {
      if (seconds <= bound)
        (s as { buckets: number[] }).buckets[i] = ((s as { buckets: number[] }).buckets[i] ?? 0) + 1
    })
    s.sum += seconds
    s.count += 1
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const [k, s] of this.series) {
      const sep = k ? `${k},` : ''
      for (const [i, bound] of this.bounds.entries())
        lines.push(`${this.name}_bucket{${sep}le="${bound}"} ${s.buckets[i]}`)
      lines.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`)
      lines.push(`${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`)
      lines.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.count}`)
    }
    return lines
  }
}

export function createMetrics() {
  const metrics = {
    promptsShown: new Counter('assent_prompts_shown_total', 'Consent pages shown, by mode'),
    answers: new Counter('assent_answers_total', 'Answers to consent pages, by outcome'),
    requestsCreated: new Counter(
      'assent_consent_requests_created_total',
      'Consent requests opened, by status',
    ),
    rateLimited: new Counter('assent_rate_limited_total', 'Requests refused with 429, by limit'),
    latency: new Histogram(
      'assent_http_request_duration_seconds',
      'HTTP request latency, by route and status class',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    render(): string {
      return `${[
        metrics.promptsShown,
        metrics.answers,
        metrics.requestsCreated,
        metrics.rateLimited,
        metrics.latency,
      ]
        .flatMap((m) => m.render())
        .join('\n')}\n`
    },
  }
  return metrics
}

export type Metrics = ReturnType<typeof createMetrics>
