import { describe, expect, it } from 'vitest'
import { type DueEndpoint, fairShares } from '../../src/store/kysely/webhooks.js'

const endpoint = (
  tenantId: string,
  webhookId: string,
  oldest: string,
  due = 100,
  leased = 0,
): DueEndpoint => ({ tenantId, webhookId, due, oldest, leased })

describe('fairShares: which due webhook events one claim takes (DESIGN §3.8)', () => {
  it('lets tenants take turns, so twenty endpoints get no more than one', () => {
    const busy = Array.from({ length: 20 }, (_, i) =>
      endpoint('big', `wh_big_${i}`, `2026-11-24T10:00:${String(i).padStart(2, '0')}Z`),
    )
    const shares = fairShares(
      [...busy, endpoint('small', 'wh_small', '2026-11-24T11:00:00Z')],
      4,
      2,
    )
    // The small tenant's events are the newest, and it still gets half.
    expect(shares.get('wh_small')).toBe(2)
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBe(4)
    // The big tenant's turns go to its endpoints one after the other, oldest first.
    expect(shares.get('wh_big_0')).toBe(1)
    expect(shares.get('wh_big_1')).toBe(1)
  })

  it('gives an endpoint no more than perEndpoint, counting what others hold, nor more than is due', () => {
    const shares = fairShares(
      [
        endpoint('t1', 'wh_dead', '2026-11-24T09:00:00Z', 500, 1),
        endpoint('t1', 'wh_full', '2026-11-24T09:00:00Z', 500, 2),
        endpoint('t2', 'wh_one', '2026-11-24T10:00:00Z', 1),
      ],
      32,
      2,
    )
    expect(Object.fromEntries(shares)).toEqual({ wh_dead: 1, wh_one: 1 })
  })

  it('takes nothing when the limit is nought', () => {
    expect(fairShares([endpoint('t1', 'wh', '2026-11-24T09:00:00Z')], 0, 2).size).toBe(0)
  })
})
