import { existsSync, mkdirSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { servePublicly } from './serve.js'
import type { TestAppOptions } from './test-app.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname

/** Debian's Chromium, headless, with nothing reaching out to the network on its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run npm test (it installs it as root), or apt-get install -y chromium (or set CHROMIUM_PATH)`,
    )
  }
  mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * What a browser suite starts before its first test: the test app served at its public address
 * (`servePublicly`) and Chromium; `close()` stops both.
 */
export async function startInChromium(options: TestAppOptions & { port?: number } = {}) {
  const served = await servePublicly(options)
  const browser = await launchChromium().catch(async (error: unknown) => {
    await served.close()
    throw error
  })
  return {
    t: served.t,
    server: served.server,
    browser,
    async close() {
      await browser.close()
      await served.close()
    },
  }
}

export type InChromium = Awaited<ReturnType<typeof startInChromium>>

type ChromiumOptions = TestAppOptions & { port?: number }

/**
 * `startInChromium` once for the whole file: started before its first test and stopped after its
 * last. `use` receives it to keep what the file needs (`({ t, server, browser } = started)`).
 * `options` may be a function, called in the same `beforeAll`, for options that name addresses
 * found only then (the free port of a server the file starts next). Stopped after the file's own
 * `afterAll`s, which vitest runs in reverse order, so servers the file started on top of it have
 * gone first.
 */
export function chromiumForFile(
  use: (started: InChromium) => unknown,
  options: ChromiumOptions | (() => ChromiumOptions | Promise<ChromiumOptions>) = {},
): void {
  let started: InChromium | undefined
  beforeAll(async () => {
    started = await startInChromium(typeof options === 'function' ? await options() : options)
    await use(started)
  })
  afterAll(() => started?.close())
}
