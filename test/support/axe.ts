import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource: string = createRequire(import.meta.url)('axe-core').source

/**
 * Runs axe-core in the page; returns the serious and critical violations. With `tags`, only the
 * rules of those tags run (e.g. `wcag22aa`); without, every rule.
 */
export async function seriousViolations(
  page: Page,
  tags?: readonly string[],
): Promise<{ id: string; impact: string; targets: string[] }[]> {
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async (only) => {
    const options = {
      resultTypes: ['violations'],
      ...(only ? { runOnly: { type: 'tag', values: only } } : {}),
    }
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page at run time
    const result = await (globalThis as any).axe.run(document, options)
    return (
      result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[]
    ).map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }))
  }, tags)
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
