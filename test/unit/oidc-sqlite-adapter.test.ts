import { afterEach, describe, expect, it } from 'vitest'
import { type OidcStorage, openOidcStorage } from '../../examples/oidc-provider/sqlite-adapter.js'

let storage: OidcStorage | undefined
let clock = Date.UTC(2030, 0, 1)
const open = () => {
  storage = openOidcStorage(':memory:', () => clock)
  return storage
}
afterEach(() => {
  storage?.close()
  storage = undefined
})

describe('the oidc-provider example’s SQLite adapter', () => {
  it('finds what it stored until it expires, and by uid', async () => {
    const { adapter } = open()
    const sessions = adapter('Session')
    await sessions.upsert('s1', { uid: 'u1', accountId: 'ana' }, 60)
    expect(await sessions.find('s1')).toEqual({ uid: 'u1', accountId: 'ana' })
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'ana' })
    // Another model with the same id is another row.
    expect(await adapter('Interaction').find('s1')).toBeUndefined()
    clock += 60_000
    expect(await sessions.find('s1')).toBeUndefined()
    expect(await sessions.findByUid('u1')).toBeUndefined()
  })

  it('marks a consumed token, and destroys one', async () => {
    const codes = open().adapter('AuthorizationCode')
    await codes.upsert('c1', { grantId: 'g1' }, 60)
    await codes.consume('c1')
    expect((await codes.find('c1'))?.consumed).toBe(Math.floor(clock / 1000))
    await codes.destroy('c1')
    expect(await codes.find('c1')).toBeUndefined()
  })

  it('revokes by grant only that model’s rows of that grant', async () => {
    const { adapter } = open()
    await adapter('RefreshToken').upsert('r1', { grantId: 'g1' }, 60)
    await adapter('RefreshToken').upsert('r2', { grantId: 'g2' }, 60)
    await adapter('AccessToken').upsert('a1', { grantId: 'g1' }, 60)
    await adapter('RefreshToken').revokeByGrantId('g1')
    expect(await adapter('RefreshToken').find('r1')).toBeUndefined()
    expect(await adapter('RefreshToken').find('r2')).toBeDefined()
    expect(await adapter('AccessToken').find('a1')).toBeDefined()
  })

  it('lists the Grants of exactly one account and client, whatever their ids hold', async () => {
    const { adapter, grantIds } = open()
    const grants = adapter('Grant')
    await grants.upsert('g1', { accountId: 'ana', clientId: 'app' }, 60)
    await grants.upsert('g2', { accountId: 'ana', clientId: 'other' }, 60)
    await grants.upsert('g3', { accountId: 'an%_\'"\u0000a', clientId: 'app' }, 60)
    // Tokens carry an account and a client too; they are not Grants.
    await adapter('AccessToken').upsert('a1', { accountId: 'ana', clientId: 'app' }, 60)
    expect(grantIds('ana', 'app')).toEqual(['g1'])
    expect(grantIds('an%', 'app')).toEqual([])
    expect(grantIds('an%_\'"\u0000a', 'app')).toEqual(['g3'])
    // Saved again for another account (never done by oidc-provider, but the index follows).
    await grants.upsert('g1', { accountId: 'bea', clientId: 'app' }, 60)
    expect(grantIds('ana', 'app')).toEqual([])
    await grants.destroy('g3')
    expect(grantIds('an%_\'"\u0000a', 'app')).toEqual([])
  })

  it('keeps the first value made for a name', async () => {
    const { keep } = open()
    expect(await keep('signing-key', async () => ({ kid: 'first' }))).toEqual({ kid: 'first' })
    expect(await keep('signing-key', async () => ({ kid: 'second' }))).toEqual({ kid: 'first' })
  })
})
