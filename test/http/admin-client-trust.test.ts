import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { consoleSession } from '../support/console.js'
import { htmlForm } from '../support/html-form.js'
import { management } from '../support/management.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const PAGE = `/admin/clients/${DEMO.clientId}`

async function clientForm(s: Awaited<ReturnType<typeof consoleSession>>) {
  return htmlForm(await (await s.get(PAGE)).text(), (f) => f.action === PAGE)
}
const stored = async () => t.store.clients.get(t.tenant.id, DEMO.clientId)

describe('console: a client’s verification and consent lifetime (DESIGN §3.5.1, §3.5.2, §5)', () => {
  it('unticks Verified, and the next prompt warns about the app', async () => {
    const s = await consoleSession(t)
    const res = await s.submit(await clientForm(s), { is_verified: false })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${PAGE}?done=saved`)
    expect((await stored())?.isVerified).toBe(false)
    const request = await management(t)('POST', '/consent-requests', {
      client_id: DEMO.clientId,
      user_id: 'u-trust',
      audience: DEMO.audience,
      scope: 'openid read:messages',
      redirect_uri: DEMO.redirectUri,
      return_to: 'http://localhost:3000/demo/done',
    })
    expect(request.status).toBe(201)
    const prompt = await (await t.app.request(`/consent/${request.body.id}`)).text()
    expect(prompt).toContain('data-testid="unverified-notice"')
    // Ticked again through the same form.
    await s.submit(await clientForm(s), { is_verified: true })
    expect((await stored())?.isVerified).toBe(true)
  })

  it('sets a lifetime in days, shows it in the largest whole unit, and blank follows the tenant', async () => {
    const s = await consoleSession(t)
    await s.submit(await clientForm(s), { consent_lifetime: '30', consent_lifetime_unit: 'days' })
    expect((await stored())?.consentLifetime).toBe(30 * 86_400)
    await management(t)('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: 5400 })
    const form = await clientForm(s)
    expect(form.entries()).toEqual(
      expect.arrayContaining([
        ['consent_lifetime', '90'],
        ['consent_lifetime_unit', 'minutes'],
      ]),
    )
    // Saved as served: nothing changes, nothing is written.
    await s.submit(form)
    expect((await stored())?.consentLifetime).toBe(5400)
    await s.submit(await clientForm(s), { consent_lifetime: '' })
    expect((await stored())?.consentLifetime).toBeNull()
  })

  it('refuses what the Management API refuses, beside the field, and stores nothing', async () => {
    const s = await consoleSession(t)
    for (const [amount, unit] of [
      ['30', 'seconds'],
      ['4000', 'days'],
      ['-5', 'days'],
      ['1e3', 'days'],
      ['abc', 'hours'],
      ['99999999999999999999', 'days'],
    ] as const) {
      const res = await s.submit(await clientForm(s), {
        consent_lifetime: amount,
        consent_lifetime_unit: unit,
      })
      expect(res.status, amount).toBe(400)
      const html = await res.text()
      expect(html).toContain('id="consent_lifetime-error"')
      expect(html).toContain('must be between a minute and ten years')
      expect(html).toContain(`value="${amount}"`)
    }
    expect((await stored())?.consentLifetime).toBeNull()
    // The same rule answers the API.
    const api = await management(t)('PATCH', `/clients/${DEMO.clientId}`, { consent_lifetime: 30 })
    expect(api.status).toBe(400)
  })

  it('leaves both alone when a post does not carry them, and refuses a post without the token', async () => {
    const s = await consoleSession(t)
    await management(t)('PATCH', `/clients/${DEMO.clientId}`, {
      is_verified: false,
      consent_lifetime: 3600,
    })
    expect((await s.post(PAGE, { name: 'Mail Helper 2' })).status).toBe(303)
    expect(await stored()).toMatchObject({
      name: 'Mail Helper 2',
      isVerified: false,
      consentLifetime: 3600,
    })
    const forged = await s.post(PAGE, { is_verified: 'on', consent_lifetime: '' }, false)
    expect(forged.status).toBe(403)
    expect((await stored())?.isVerified).toBe(false)
  })
})

describe('console: the tenant’s consent lifetimes (DESIGN §3.5.1, §5)', () => {
  const settingsForm = async (s: Awaited<ReturnType<typeof consoleSession>>) =>
    htmlForm(await (await s.get('/admin/settings')).text(), (f) => f.action === '/admin/settings')

  it('sets both lifetimes, and a save as served changes nothing', async () => {
    const s = await consoleSession(t)
    const res = await s.submit(await settingsForm(s), {
      consent_lifetime: '365',
      consent_lifetime_unit: 'days',
      dynamic_client_consent_lifetime: '12',
      dynamic_client_consent_lifetime_unit: 'hours',
    })
    expect(res.status).toBe(303)
    const settings = (await t.store.tenants.get(t.tenant.id))?.settings
    expect(settings?.consent_lifetime).toBe(365 * 86_400)
    expect(settings?.dynamic_client_consent_lifetime).toBe(12 * 3600)
    const before = await t.store.auditLog.list(t.tenant.id, { page: 0, perPage: 100 })
    await s.submit(await settingsForm(s))
    const after = await t.store.auditLog.list(t.tenant.id, { page: 0, perPage: 100 })
    expect(after.total).toBe(before.total)
    // Blank: back to the default.
    await s.submit(await settingsForm(s), { consent_lifetime: '' })
    expect((await t.store.tenants.get(t.tenant.id))?.settings.consent_lifetime).toBeUndefined()
  })

  it('refuses a lifetime out of bounds beside its field, and the API refuses it too', async () => {
    const s = await consoleSession(t)
    const res = await s.submit(await settingsForm(s), {
      dynamic_client_consent_lifetime: '59',
      dynamic_client_consent_lifetime_unit: 'seconds',
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(
      'id="dynamic_client_consent_lifetime-error">must be between a minute and ten years',
    )
    expect(
      (await t.store.tenants.get(t.tenant.id))?.settings.dynamic_client_consent_lifetime,
    ).toBeUndefined()
    const api = await management(t)('PATCH', '/tenants/settings', {
      dynamic_client_consent_lifetime: 59,
    })
    expect(api.status).toBe(400)
  })
})
