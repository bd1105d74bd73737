import { describe, expect, it } from 'vitest'
import { readRequestNotice } from '../../src/store/config-changes.js'

describe('reading a notice of a changed consent request (anyone who can connect may send one)', () => {
  const own = 'assent:own'

  it('names the request another connection changed', () => {
    expect(readRequestNotice('["assent:other", "t1", "req_1"]', own)).toEqual({
      tenantId: 't1',
      id: 'req_1',
    })
  })

  it("is nothing for this instance's own write, which left its copy as the row is", () => {
    expect(readRequestNotice('["assent:own", "t1", "req_1"]', own)).toBeUndefined()
  })

  it('means every request for a delete, and for anything it cannot read', () => {
    for (const payload of [
      '["assent:own"]',
      '["psql"]',
      '',
      'not json',
      '{"tenantId":"t1","id":"req_1"}',
      '["a", "t1", 3]',
      '["a", "t1", "req_1", "more"]',
      '[]',
      'null',
    ]) {
      expect(readRequestNotice(payload, own)).toBe('all')
    }
  })
})
