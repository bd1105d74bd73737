import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

/**
 * The process's own metrics (resident memory, CPU, event-loop lag, GC, …), made once per process.
 * `collectDefaultMetrics` starts a GC observer and an event-loop delay sampler that prom-client
 * never lets go of; made per app, a test run that builds hundreds of apps would pile them up.
 * They describe the process, not an app, so every app's registry shares the one set.
 */
let processMetrics: Registry | undefined
function sharedProcessMetrics(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry()
    collectDefaultMetrics({ register: processMetrics })
  }
  return processMetrics
}

/**
 * The app's counters and latency histogram, and the process's metrics, in Prometheus's text
 * format (exposition format 0.0.4), served at `GET /metrics`. One registry per app: counts are
 * per instance, and a scraper sums them across instances.
 */
export function createMetrics() {
  const own = new Registry()
  const registers = [own]
  const metrics = {
    promptsShown: new Counter({
      name: 'assent_prompts_shown_total',
      help: 'Consent pages shown, by mode',
      labelNames: ['mode'],
      registers,
    }),
    answers: new Counter({
      name: 'assent_answers_total',
      help: 'Answers to consent pages, by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    requestsCreated: new Counter({
      name: 'assent_consent_requests_created_total',
      help: 'Consent requests opened, by status',
      labelNames: ['status'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'assent_rate_limited_total',
      help: 'Requests refused with 429, by limit',
      labelNames: ['limit'],
      registers,
    }),
    latency: new Histogram({
      name: 'assent_http_request_duration_seconds',
      help: 'HTTP request latency, by route and status class',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  }
  // Merging copies the metrics registered so far: every metric of this app is made above.
  const register = Registry.merge([own, sharedProcessMetrics()])
  return {
    ...metrics,
    /** The exposition text: this app's metrics, then the process's. */
    render: (): Promise<string> => register.metrics(),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
