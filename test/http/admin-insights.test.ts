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
    const html = await (await s.get('/admin/insights')).text()
    const row =
      /<th scope="row"><bdi>Mail Helper<\/bdi><\/th>\s*<td>(\d+)<\/td>\s*<td>(\d+) [\s\S]*?<td>(\d+) [\s\S]*?<td>(\d+) /.exec(
        html,
      )
    expect(row?.slice(1)).toEqual(['4', '2', '1', '1'])
    expect(html).toContain('(50 %)')
    expect(html).toMatch(/<code><bdi>read:messages<\/bdi><\/code><\/td><td>1<\/td>/)
    expect(html).toMatch(/<code><bdi>read:contacts<\/bdi><\/code><\/td><td>1<\/td>/)
    expect(html).toContain(
      'role="img" aria-label="Mail Helper: 4 prompts shown over 30 days, 2 accepted, 1 declined, 1 abandoned"',
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
