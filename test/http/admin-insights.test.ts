import { describe, expect, it } from 'vitest'
import { consentBrowser, demoRequest } from '../support/consent.js'
import { consoleSession, scopedApp } from '../support/console.js'
import { management } from '../support/management.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

eachTestApp((suite) => ({ t } = suite))

async function prompt(action: 'accept' | 'deny' | 'leave', checked?: string[]) {
  const api = management(t)
  const browser = consentBrowser(t)
  const request = (
    await api(
      'POST',
      '/consent-requests',
      demoRequest({
        user_id: `insight-${Math.random()}`,
        scope: 'openid profile read:messages read:contacts',
        granular: checked !== undefined,
      }),
    )
  ).body
  const page = await browser.visit(request.id)
  // Seen twice by its browser: shown once.
  await browser.visit(request.id, page.cookie)
  if (action === 'leave') return
  const fields = (checked ?? []).map((value): [string, string] => ['scopes', value])
  await browser.redeem(await browser.answer(request.id, action, page, fields))
}

describe('console insights (DESIGN §5)', () => {
  it('counts prompts shown, accepted, declined and abandoned per client, and the unticked scopes', async () => {
    await prompt('accept')
    await prompt('accept', ['profile'])
    await prompt('deny')
    await prompt('leave')
    const s = await consoleSession(t)
    const counts = (html: string) =>
      /<th scope="row"><bdi>Mail Helper<\/bdi><\/th>\s*<td>(\d+)<\/td>\s*<td>(\d+) [\s\S]*?<td>(\d+) [\s\S]*?<td>(\d+) [\s\S]*?<td>(\d+) /
        .exec(html)
        ?.slice(1)
    const html = await (await s.get('/admin/insights')).text()
    // Shown, accepted, declined, abandoned, open: the prompt left today may still be answered.
    expect(counts(html)).toEqual(['4', '2', '1', '0', '1'])
    expect(html).toContain('(50 %)')
    expect(html).toMatch(/<code><bdi>read:messages<\/bdi><\/code><\/td><td>1<\/td>/)
    expect(html).toMatch(/<code><bdi>read:contacts<\/bdi><\/code><\/td><td>1<\/td>/)
    expect(html).toContain(
      'role="img" aria-label="Mail Helper: 4 prompts shown over 30 days, 2 accepted, 1 declined, 0 abandoned, 1 still open"',
    )

    // Once the day is over and the last request it could have shown has expired, it is abandoned.
    const ttl = t.deps.config.requestTtlSeconds * 1000
    const now = t.clock.now()
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
    t.clock.advance(midnight - now.getTime() + ttl - 1)
    // (A day on, the morning's console session has ended: a new one.)
    const next = await consoleSession(t)
    expect(counts(await (await next.get('/admin/insights')).text())).toEqual([
      '4',
      '2',
      '1',
      '0',
      '1',
    ])
    t.clock.advance(1)
    const later = await (await next.get('/admin/insights')).text()
    expect(counts(later)).toEqual(['4', '2', '1', '1', '0'])
  })

  it('draws days on an axis, the answers stacked with a legend, and the numbers per day', async () => {
    await prompt('accept')
    await prompt('deny')
    const s = await consoleSession(t)
    const html = await (await s.get('/admin/insights')).text()
    const chart = /data-testid="insight-chart">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? ''
    // Today labelled on the x axis, counts on the y axis (0 and a round top: 2).
    const today = t.clock.now().toISOString().slice(5, 10)
    expect(chart).toContain(`text-anchor="middle">${today}</text>`)
    expect(chart).toMatch(/dominant-baseline="middle">0<\/text>/)
    expect(chart).toMatch(/dominant-baseline="middle">2<\/text>/)
    expect(chart.match(/<rect class="bar-accepted"/g)).toHaveLength(1)
    expect(chart.match(/<rect class="bar-declined"/g)).toHaveLength(1)
    for (const name of [
      'Accepted',
      'Declined',
      'Abandoned (expired unanswered)',
      'Open (may still be answered)',
    ])
      expect(chart).toContain(`</span>${name}</li>`)
    expect(chart).toMatch(
      /<th scope="row"><time datetime="[\d-]+">[\d-]+<\/time><\/th><td>2<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>0<\/td>/,
    )
  })

  it('is refused without read:stats, and not in the menu', async () => {
    const scoped = await scopedApp()
    try {
      const s = await consoleSession(scoped.t, await scoped.token('read:clients'))
      expect((await s.get('/admin/insights')).status).toBe(403)
      expect(await (await s.get('/admin/clients')).text()).not.toContain('/admin/insights')
    } finally {
      await scoped.close()
    }
  })
})
