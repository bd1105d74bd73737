import { describe, expect, it } from 'vitest'
import { AA_NORMAL_TEXT, contrastRatio } from '../../src/services/admin/contrast.js'

describe('WCAG contrast ratio', () => {
  it('spans 1 to 21 and does not depend on the order', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5)
    expect(contrastRatio('#4f46e5', '#4f46e5')).toBeCloseTo(1, 5)
  })

  it('puts #767676 just above AA with white and #777777 just below', () => {
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(AA_NORMAL_TEXT)
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(AA_NORMAL_TEXT)
  })

  it('passes the default brand colour and refuses a yellow', () => {
    expect(contrastRatio('#4f46e5', '#ffffff')).toBeGreaterThan(AA_NORMAL_TEXT)
    expect(contrastRatio('#ffcc00', '#FFFFFF')).toBeLessThan(2)
  })
})
