/**
 * `npm run screenshots [-- <folder>]`: takes the pictures the README shows, into
 * `examples/screenshots/` (or `<folder>`), from the app with its demo data served on loopback and
 * Debian's Chromium (as the browser tests drive it). Run it when a page they show changes, and
 * commit the pictures; the tests never write them, so a test run leaves the checkout as it was.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { launchChromium } from '../test/support/browser.js'
import { freePort, listen } from '../test/support/serve.js'
import { createTestApp, type TestApp } from '../test/support/test-app.js'

export const SCREENSHOTS = new URL('../examples/screenshots/', import.meta.url).pathname

/** One picture: its file name, the browser it is taken in, and how to reach what it shows. */
interface Shot {
  readonly file: string
  readonly context: BrowserContextOptions
  show(page: Page, at: { url: string; t: TestApp }): Promise<void>
}

async function signIn(page: Page, { url, t }: { url: string; t: TestApp }) {
  await page.goto(`${url}/admin/login`)
  await page.getByLabel('Management token').fill(t.adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${url}/admin/apis`)
}

const SHOTS: readonly Shot[] = [
  {
    // README: the demo consent page, at the top.
    file: 'consent-en.png',
    context: { locale: 'en-US', colorScheme: 'light', viewport: { width: 760, height: 1100 } },
    async show(page, { url }) {
      await page.goto(`${url}/demo`)
      await page.waitForURL(/\/consent\//)
    },
  },
  {
    file: 'consent-ar-dark.png',
    context: { locale: 'ar', colorScheme: 'dark', viewport: { width: 1024, height: 820 } },
    async show(page, { url }) {
      await page.goto(`${url}/demo`)
      await page.waitForURL(/\/consent\//)
    },
  },
  {
    // README: the tenant-flag preview, both renderings side by side.
    file: 'preview.png',
    context: { locale: 'en-US', viewport: { width: 1280, height: 900 } },
    async show(page, at) {
      await signIn(page, at)
      await page.goto(`${at.url}/admin/preview`)
    },
  },
  {
    // README, admin console: an API's Permissions tab with one permission.
    file: 'console-permissions.png',
    context: { locale: 'en-US', viewport: { width: 1280, height: 900 } },
    async show(page, at) {
      await signIn(page, at)
      await page.getByRole('link', { name: 'APIs', exact: true }).click()
      await page.getByLabel('Name').fill('Messages API')
      await page.getByLabel('Identifier').fill('https://messages.example')
      await page.getByRole('button', { name: 'Create' }).click()
      await page.waitForURL(/\/admin\/apis\/[^/]+\/permissions\?done=created$/)
      const tab = page.url().replace(/\?done=created$/, '')
      await page.getByLabel('Permission', { exact: true }).fill('read:messages')
      await page.getByLabel('Description').fill('Read your messages')
      await page.getByRole('button', { name: '+ Add' }).click()
      await page.waitForURL(`${tab}?done=added`)
    },
  },
]

/** Takes every picture into `folder`, each from a fresh app; the paths written. */
export async function takeScreenshots(folder: string): Promise<string[]> {
  mkdirSync(folder, { recursive: true })
  const browser: Browser = await launchChromium()
  const written: string[] = []
  try {
    for (const shot of SHOTS) {
      // The page is reached at the public URL, as a browser of a real deployment would.
      const port = await freePort()
      const t = await createTestApp({
        env: {
          PORT: String(port),
          ASSENT_PUBLIC_URL: `http://127.0.0.1:${port}`,
          ASSENT_DEMO: '1',
        },
      })
      const server = await listen(t.app, port)
      const context = await browser.newContext(shot.context)
      try {
        const page = await context.newPage()
        await shot.show(page, { url: server.url, t })
        const path = join(folder, shot.file)
        await page.screenshot({ path, fullPage: true })
        written.push(path)
      } finally {
        await context.close()
        await server.close()
        await t.close()
      }
    }
  } finally {
    await browser.close()
  }
  return written
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const folder = resolve(process.argv[2] ?? SCREENSHOTS)
  for (const path of await takeScreenshots(folder)) console.log(path)
}
