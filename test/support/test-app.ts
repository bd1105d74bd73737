import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { createApp } from '../../src/app/create-app.js'
import { appDeps } from '../../src/app/deps.js'
import { bootstrap } from '../../src/bootstrap.js'
import { loadConfig } from '../../src/config/env.js'
import { paths } from '../../src/config/paths.js'
import { createI18n, loadLocaleResources } from '../../src/i18n/i18n.js'
import { type Logger, silentLogger } from '../../src/logger.js'
import type { AppDeps } from '../../src/routes/deps.js'
import { openStore } from '../../src/store/open-database.js'
import { loadAssets } from '../../src/web/render/assets.js'
import { createViews } from '../../src/web/render/views.js'
import { type ConsentBrowser, consentBrowser } from './consent.js'
import { type Management, management } from './management.js'
import { tempDir } from './temp.js'

export interface TestClock {
  now: () => Date
  advance(ms: number): void
}

export function testClock(start = new Date('2026-11-24T10:00:00Z')): TestClock {
  let at = start.getTime()
  return { now: () => new Date(at), advance: (ms) => (at += ms) }
}

export interface TestAppOptions {
  env?: Record<string, string>
  clock?: TestClock
  /** Where the app's log lines go (silent when absent). */
  log?: Logger
  /** Translations beyond the shipped ones, by tag (the pseudo-locales of the layout tests). */
  extraLocales?: Record<string, Record<string, unknown>>
  /**
   * Where SQLite keeps the data: in memory (the default), or in a file in a temp folder, for a
   * test that opens the file a second time to read what was written.
   */
  database?: 'memory' | 'file'
}

/** The real app over real SQLite (in memory unless asked for a file), with the demo data; no socket. */
export async function createTestApp(options: TestAppOptions = {}) {
  const temp = options.database === 'file' ? tempDir() : undefined
  const clock = options.clock ?? testClock()
  const config = loadConfig({
    DATABASE_URL: temp ? `sqlite:${join(temp.dir, 'assent.sqlite')}` : 'sqlite::memory:',
    ASSENT_ADMIN_TOKEN: 'test-admin-token-0123456789abcdefghijkl',
    LOG_LEVEL: 'silent',
    // Suites answer many prompts from one address; the rate-limit suite turns the limits on.
    ASSENT_RATE_LIMIT_ANSWERS: '0',
    ASSENT_RATE_LIMIT_CREATES: '0',
    ...options.env,
  })
  const store = await openStore(config.databaseUrl, { now: clock.now })
  const ready = await bootstrap(config, store)
  const deps: AppDeps = appDeps({
    config,
    store,
    i18n: createI18n({ ...loadLocaleResources(paths.locales), ...options.extraLocales }),
    views: createViews(paths.views),
    assets: loadAssets(paths.assets),
    log: options.log ?? silentLogger,
    now: clock.now,
    adminToken: ready.adminToken,
  })
  const app = createApp(deps, { demo: ready.demo })
  return {
    app,
    deps,
    store,
    clock,
    tenant: ready.tenant,
    adminToken: ready.adminToken,
    async close() {
      await store.close()
      temp?.remove()
    },
  }
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>

/** A test app with the two clients HTTP suites drive it through. */
export interface TestSuite {
  t: TestApp
  api: Management
  browser: ConsentBrowser
}

/**
 * A fresh test app for every test of the file, closed after it, so no test sees another's data.
 * `use` receives it before the test runs, to keep what the file needs (`({ t, api } = suite)`)
 * and to seed more.
 */
export function eachTestApp(
  use: (suite: TestSuite) => unknown,
  options: TestAppOptions = {},
): void {
  let current: TestApp | undefined
  beforeEach(async () => {
    current = await createTestApp(options)
    await use({ t: current, api: management(current), browser: consentBrowser(current) })
  })
  afterEach(async () => {
    await current?.close()
    current = undefined
  })
}
