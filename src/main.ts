import { serve } from '@hono/node-server'
import { createApp } from './app/create-app.js'
import { shippedAppDeps } from './app/deps.js'
import { bootstrap } from './bootstrap.js'
import { type Config, ConfigError, loadConfigFromEnvironment } from './config/env.js'
import { limitHeapGrowth } from './heap.js'
import { createRetentionJob, PURGE_SCHEDULE } from './jobs/retention.js'
import { createLogger } from './logger.js'
import { createWebhookWorker, WEBHOOK_POLL_MS } from './services/webhooks/webhooks.js'
import { openStore } from './store/open-database.js'

/** The composition root: reads the environment, opens the store, serves, and drains on SIGTERM. */
async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfigFromEnvironment()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }

  const heapGrowingPercent = limitHeapGrowth()
  // A closed stdout (a log pipe gone away) must not take the service down with it.
  process.stdout.on('error', () => {})
  const log = createLogger(config.logLevel)
  const store = await openStore(config.databaseUrl)
  const ready = await bootstrap(config, store)
  // Rate-limit counters shared by every instance of a PostgreSQL deployment (DESIGN §6).
  const sharedCounters = config.databaseUrl.startsWith('sqlite:')
    ? undefined
    : new (await import('pg')).default.Pool({ connectionString: config.databaseUrl, max: 2 })
  sharedCounters?.on('error', () => {})
  const app = createApp(
    shippedAppDeps({ config, store, log, adminToken: ready.adminToken, sharedCounters }),
    { demo: ready.demo },
  )

  // Answered and expired requests and expired admin sessions go after a while (DESIGN §3.4).
  const retention = createRetentionJob({
    store,
    now: () => new Date(),
    log,
    retentionSeconds: config.requestRetentionSeconds,
  })
  const firstPurge = setTimeout(() => void retention.run(), PURGE_SCHEDULE.firstAfterMs).unref()
  const purges = setInterval(() => void retention.run(), PURGE_SCHEDULE.everyMs).unref()

  // Webhook events go out from the outbox, at least once, from every instance (DESIGN §3.8).
  const webhooks = createWebhookWorker({
    store,
    now: () => new Date(),
    log,
    allowHttpLoopback: config.webhookAllowHttpLoopback,
  })
  webhooks.start(WEBHOOK_POLL_MS)

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const base = config.publicUrl.href.replace(/\/$/, '')
    log.info('listening', {
      address: info.address,
      port: info.port,
      publicUrl: base,
      heapGrowingPercent,
    })
    const lines = [``, `  Assent is listening on ${base}`]
    if (ready.demo) lines.push(`  Demo consent page:   ${base}/demo`)
    lines.push(`  Admin preview:       ${base}/admin/preview`)
    const kept = ready.adminTokenFile ?? 'the database'
    if (ready.adminTokenCreated) {
      lines.push(`  Admin token (shown once, kept in ${kept}):`, `    ${ready.adminToken}`)
    } else if (ready.adminTokenFile) {
      lines.push(`  Admin token:         in ${kept}`)
    } else if (!config.adminToken) {
      lines.push(
        '  Admin token:         kept in the database (set ASSENT_ADMIN_TOKEN to choose your own)',
      )
    }
    if (config.logLevel !== 'silent') process.stdout.write(`${lines.join('\n')}\n\n`)
  })

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('stopping', { signal })
    clearTimeout(firstPurge)
    clearInterval(purges)
    const purgeStopped = Promise.all([retention.stop(), webhooks.stop()])
    // Stop purging and accepting; once requests in flight and a purge under way have finished,
    // close the store.
    const force = setTimeout(() => {
      log.warn('requests still open after 10 s; closing them')
      if ('closeAllConnections' in server) server.closeAllConnections()
    }, 10_000)
    force.unref()
    server.close(() => {
      void purgeStopped
        .then(() => Promise.all([store.close(), sharedCounters?.end()]))
        .then(() => {
          log.info('stopped')
          process.exit(0)
        })
    })
    // Keep-alive connections go as soon as their request in flight is answered.
    if ('closeIdleConnections' in server) {
      server.closeIdleConnections()
      setInterval(() => server.closeIdleConnections(), 50).unref()
    }
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Assent failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
