import { describe, expect, it } from 'vitest'
import { DEMO } from '../../src/services/demo.js'
import { expectError, type Management } from '../support/management.js'
import { PAYMENT_TYPE } from '../support/payment.js'
import { eachTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let api: Management

eachTestApp((suite) => ({ t, api } = suite))

const audience = encodeURIComponent(DEMO.audience)

describe('detail types on a resource server (DESIGN §3.9)', () => {
  it('keeps the types, schemas and templates, and returns them as saved', async () => {
    const patched = await api('PATCH', `/resource-servers/${audience}`, {
      authorization_details: [PAYMENT_TYPE, { type: 'account_information' }],
    })
    expect(patched.status).toBe(200)
    const expected = [PAYMENT_TYPE, { type: 'account_information', consent_templates: {} }]
    expect(patched.body.authorization_details).toEqual(expected)
    const read = await api('GET', `/resource-servers/${audience}`)
    expect(read.body.authorization_details).toEqual(expected)
    // A PATCH without the field keeps it; `[]` removes every type.
    await api('PATCH', `/resource-servers/${audience}`, { name: 'Renamed' })
    expect((await api('GET', `/resource-servers/${audience}`)).body.authorization_details).toEqual(
      expected,
    )
    await api('PATCH', `/resource-servers/${audience}`, { authorization_details: [] })
    expect((await api('GET', `/resource-servers/${audience}`)).body).not.toHaveProperty(
      'authorization_details',
    )
  })

  it.each([
    ['a template that does not parse', { type: 'x', consent_templates: { en: 'Pay {amount' } }],
    ['a schema with an unknown keyword', { type: 'x', schema: { typ: 'object' } }],
    ['a schema naming a remote $ref', { type: 'x', schema: { $ref: 'https://evil.example/s' } }],
    ['a type with spaces', { type: 'pay ment' }],
    ['a template with a bidi override', { type: 'x', consent_templates: { en: 'Pay \u202e{a}' } }],
    ['an unknown field', { type: 'x', templates: {} }],
  ])('refuses %s with 400, saving nothing', async (_name, type) => {
    const res = await api('POST', '/resource-servers', {
      identifier: 'https://pay.example',
      authorization_details: [type],
    })
    expectError(res, 400, 'invalid_body')
    expect(res.body.message).toContain('authorization_details')
    expect(
      (await api('GET', `/resource-servers/${encodeURIComponent('https://pay.example')}`)).status,
    ).toBe(404)
  })

  it('refuses a type declared twice', async () => {
    const res = await api('PATCH', `/resource-servers/${audience}`, {
      authorization_details: [{ type: 'a' }, { type: 'a' }],
    })
    expectError(res, 400, 'invalid_body')
  })
})
