import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { paths } from '../../src/config/paths.js'
import { loadLocaleResources } from '../../src/i18n/i18n.js'
import { seriousViolations } from '../support/axe.js'
import { ARTIFACTS, chromiumForFile } from '../support/browser.js'
import { pseudoLocales } from '../support/pseudo-locales.js'
import type { Listening } from '../support/serve.js'
import type { TestApp } from '../support/test-app.js'

const shipped = Object.keys(loadLocaleResources(paths.locales)).sort()
const pseudo = pseudoLocales(loadLocaleResources(paths.locales).en ?? {})

let t: TestApp
let server: Listening
let browser: Browser

chromiumForFile((started) => ({ t, server, browser } = started), {
  env: { ASSENT_DEMO: '1' },
  extraLocales: pseudo,
})

/**
 * What spills out sideways: the page wider than the screen; a button, a line or any element of
 * the card wider than its box (scrollWidth > clientWidth) or reaching past either edge.
 */
function overflowing(page: Page) {
  return page.evaluate(() => {
    const found: string[] = []
    const root = document.documentElement
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`
    if (root.scrollWidth > root.clientWidth) found.push(`page ${root.scrollWidth}px wide`)
    if (document.body.scrollWidth > document.body.clientWidth) found.push('body')
    for (const el of document.querySelectorAll('button, .button, li, p, h1, label, a, main')) {
      if (el.scrollWidth > el.clientWidth + 1)
        found.push(`${name(el)}: ${el.scrollWidth}px in ${el.clientWidth}px`)
    }
    for (const el of document.querySelectorAll('main *')) {
      const box = el.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      if (box.left < -1 || box.right > root.clientWidth + 1)
        found.push(`${name(el)} from ${Math.round(box.left)} to ${Math.round(box.right)}`)
    }
    return found
  })
}

describe('pseudo-locales on a 320 px wide phone', () => {
  it.each(['en-XA', 'ar-XB'] as const)(
    '%s: nothing overflows or is clipped',
    async (tag) => {
      const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
      const page = await context.newPage()
      await page.goto(`${server.url}/demo?ui_locales=${tag}`)
      expect(await page.locator('html').getAttribute('lang')).toBe(tag)
      expect(await page.locator('html').getAttribute('dir')).toBe(tag === 'ar-XB' ? 'rtl' : 'ltr')
      // The pseudo text is on the page: the lines and the buttons, 40 % longer or mirrored.
      const accept = pseudo[tag].page as { accept: string }
      expect(await page.locator('button[value="accept"]').innerText()).toBe(accept.accept)
      expect(await overflowing(page)).toEqual([])
      await page.screenshot({ path: `${ARTIFACTS}pseudo-${tag}-320.png`, fullPage: true })
      await context.close()
    },
    60_000,
  )
})

describe('every shipped locale', () => {
  it('has no serious or critical axe violation (WCAG 2.2 AA), screenshots kept', async () => {
    const context = await browser.newContext({ viewport: { width: 480, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/demo`)
    const consent = page.url().split('?')[0] ?? ''
    // The picker's form has no action: sent, it stays on this request's page, with script off too.
    const picker = page.getByTestId('language-picker')
    await picker.locator('select[name="ui_locales"]').selectOption('de')
    await picker.locator('button[type="submit"]').click()
    await page.waitForURL(`${consent}?ui_locales=de`)
    expect(await page.locator('html').getAttribute('lang')).toBe('de')
    const violations: Record<string, string[]> = {}
    for (const tag of shipped) {
      await page.goto(`${consent}?ui_locales=${encodeURIComponent(tag)}`)
      expect(await page.locator('html').getAttribute('lang')).toBe(tag)
      const found = await seriousViolations(page, [
        'wcag2a',
        'wcag2aa',
        'wcag21a',
        'wcag21aa',
        'wcag22aa',
        'best-practice',
      ])
      if (found.length > 0)
        violations[tag] = found.map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`)
      await page.screenshot({ path: `${ARTIFACTS}locale-${tag}.png`, fullPage: true })
    }
    expect(violations).toEqual({})
    expect(shipped.length).toBeGreaterThanOrEqual(31)
    await context.close()
  }, 120_000)
})

describe('WCAG 2.2 AA beyond axe', () => {
  it('shows focus on every control, gives every target 24 px, moves nothing, and reflows at 200 % zoom', async () => {
    const tenant = await t.store.tenants.get(t.tenant.id)
    if (!tenant) throw new Error('no tenant')
    await t.store.tenants.updateSettings(t.tenant.id, {
      ...tenant.settings,
      flags: { ...tenant.settings.flags, enable_granular_consent: true },
    })
    // 200 % zoom of a 1280 px window: 640 CSS px across, each twice as large.
    const context = await browser.newContext({
      viewport: { width: 640, height: 800 },
      deviceScaleFactor: 2,
      reducedMotion: 'reduce',
    })
    const page = await context.newPage()
    await page.goto(`${server.url}/demo?ui_locales=de`)
    expect(await page.locator('input.scope-choice').count()).toBeGreaterThan(0)
    expect(await overflowing(page)).toEqual([])

    const controls = page.locator('a[href], button, input:not([type="hidden"])')
    const count = await controls.count()
    expect(count).toBeGreaterThan(5)
    // Focus visible (2.4.7) and not hidden (2.4.11): each control reached by Tab shows an outline.
    const seen = new Set<string>()
    for (let i = 0; i < count; i++) {
      await page.keyboard.press('Tab')
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null
        if (!el || el === document.body) return null
        const style = getComputedStyle(el)
        const box = el.getBoundingClientRect()
        return {
          id: `${el.tagName} ${el.getAttribute('value') ?? el.getAttribute('href') ?? el.id}`,
          outline: style.outlineStyle !== 'none' ? Number.parseFloat(style.outlineWidth) : 0,
          inView: box.bottom > 0 && box.top < window.innerHeight,
        }
      })
      if (!focused) continue
      seen.add(focused.id)
      expect(focused, focused.id).toMatchObject({ inView: true })
      expect(focused.outline, focused.id).toBeGreaterThanOrEqual(2)
    }
    expect(seen.size).toBe(count)

    // Target size (2.5.8): every control at least 24 × 24 CSS px.
    const small = await controls.evaluateAll((els) =>
      els
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 24 || box.height < 24)
        .map(({ el, box }) => `${el.outerHTML.slice(0, 60)} ${box.width}×${box.height}`),
    )
    expect(small).toEqual([])

    // Nothing animates or transitions (2.3.3), so reduced motion has nothing to stop.
    const moving = await page.evaluate(
      () =>
        [...document.querySelectorAll('*')].filter((el) => {
          const style = getComputedStyle(el)
          return (
            style.animationName !== 'none' ||
            style.transitionDuration.split(',').some((d) => Number.parseFloat(d) > 0)
          )
        }).length,
    )
    expect(moving).toBe(0)
    await page.screenshot({ path: `${ARTIFACTS}zoom-200-de.png`, fullPage: true })
    await context.close()
    await t.store.tenants.updateSettings(t.tenant.id, tenant.settings)
  }, 60_000)
})
