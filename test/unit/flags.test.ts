import { describe, expect, it } from 'vitest'
import { flagOn, flagValues, TENANT_FLAGS } from '../../src/consent/index.js'

describe('the tenant flags registry (STYLE 16)', () => {
  it('names each flag once, with its default and the words the console shows', () => {
    const names = TENANT_FLAGS.map((flag) => flag.name)
    expect(new Set(names).size).toBe(names.length)
    for (const flag of TENANT_FLAGS) {
      expect(flag.name).toMatch(/^[a-z0-9_]{1,64}$/)
      expect(flag.label.length).toBeGreaterThan(0)
      expect(flag.help.length).toBeGreaterThan(0)
    }
  })

  it('reads a stored value, else the default, and keeps flags it does not know as sent', () => {
    expect(flagOn({}, 'enable_granular_consent')).toBe(false)
    expect(flagOn({ enable_granular_consent: true }, 'enable_granular_consent')).toBe(true)
    expect(flagValues({ enable_granular_consent: true, enable_custom_domain: true })).toEqual({
      use_scope_descriptions_for_consent: false,
      enable_granular_consent: true,
      enable_custom_domain: true,
    })
  })
})
