import { describe, expect, it } from 'vitest'
import { endWithChosenDuration } from '../../examples/oidc-provider/chosen-duration.js'

/* The oidc-provider example ends its Grant with the duration the user chose (DESIGN §3.5.1). */

const now = new Date('2026-11-24T10:00:00Z')
const at = now.getTime() / 1000

describe('endWithChosenDuration', () => {
  it('ends a new Grant when the chosen duration does', () => {
    const grant: { exp?: number } = {}
    endWithChosenDuration(grant, { duration: 3600 }, now)
    expect(grant.exp).toBe(at + 3600)
  })

  it('never lengthens a Grant that ends sooner, and leaves it alone without a choice', () => {
    const sooner = { exp: at + 60 }
    endWithChosenDuration(sooner, { duration: 3600 }, now)
    expect(sooner.exp).toBe(at + 60)
    const later = { exp: at + 14 * 86_400 }
    endWithChosenDuration(later, { duration: 3600 }, now)
    expect(later.exp).toBe(at + 3600)
    for (const decision of [{ duration: null }, {}]) {
      const grant = { exp: at + 86_400 }
      endWithChosenDuration(grant, decision, now)
      expect(grant.exp).toBe(at + 86_400)
    }
  })
})
