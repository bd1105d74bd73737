import { type AddressInfo, createServer } from 'node:net'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { afterEach, beforeEach } from 'vitest'
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.js'

/** Serves an app on a free loopback port; `close()` stops it. */
export async function listen(
  // biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its environment type
  app: Hono<any>,
  port = 0,
  hostname = '127.0.0.1',
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            if ('closeAllConnections' in server) server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

/** A loopback port free right now, for a server whose URL must be known before it starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

export type Listening = Awaited<ReturnType<typeof listen>>

/**
 * The test app served on loopback at the address it calls its own (`PORT` and `ASSENT_PUBLIC_URL`),
 * as a browser or an SDK reaches a real deployment and follows the links it writes. `port` is for
 * a caller that names the address in `env` too; a free one otherwise.
 */
export async function servePublicly(
  options: TestAppOptions & { port?: number } = {},
): Promise<{ t: TestApp; server: Listening; close: () => Promise<void> }> {
  const port = options.port ?? (await freePort())
  const t = await createTestApp({
    ...options,
    env: { PORT: String(port), ASSENT_PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.env },
  })
  const server = await listen(t.app, port)
  return {
    t,
    server,
    async close() {
      await server.close()
      await t.close()
    },
  }
}

/**
 * A fresh test app served on loopback for each test of the file that calls this: for tests that
 * need a real socket, where `app.request` would hand the app a web Request instead.
 */
export function serveEachTest(): { readonly t: TestApp; readonly url: string } {
  let t: TestApp | undefined
  let server: Awaited<ReturnType<typeof listen>> | undefined
  beforeEach(async () => {
    t = await createTestApp()
    server = await listen(t.app)
  })
  afterEach(async () => {
    await server?.close()
    await t?.close()
  })
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('serveEachTest: used outside a test')
    return value
  }
  return {
    get t() {
      return ready(t)
    },
    get url() {
      return ready(server).url
    },
  }
}
