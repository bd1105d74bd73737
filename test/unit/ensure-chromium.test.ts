import { describe, expect, it } from 'vitest'
import { DEFAULT_CHROMIUM, type Machine, planChromium } from '../../scripts/ensure-chromium.js'

const fresh: Machine = {
  chromiumPath: undefined,
  exists: () => false,
  isRoot: true,
  hasAptGet: true,
}

describe('planChromium', () => {
  it('does nothing when Debian Chromium is there', () => {
    const plan = planChromium({ ...fresh, exists: (path) => path === DEFAULT_CHROMIUM })
    expect(plan).toEqual({ kind: 'ready', path: DEFAULT_CHROMIUM })
  })

  it('uses CHROMIUM_PATH when it points at a browser', () => {
    const plan = planChromium({
      ...fresh,
      chromiumPath: '/opt/chrome/chrome',
      exists: (path) => path === '/opt/chrome/chrome',
    })
    expect(plan).toEqual({ kind: 'ready', path: '/opt/chrome/chrome' })
  })

  it('installs chromium with apt-get, non-interactively, as root on Debian', () => {
    const plan = planChromium(fresh)
    expect(plan).toEqual({
      kind: 'install',
      path: DEFAULT_CHROMIUM,
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium'],
      ],
    })
  })

  it('says what to run when it may not install packages', () => {
    const plan = planChromium({ ...fresh, isRoot: false })
    expect(plan.kind).toBe('fail')
    expect(plan.kind === 'fail' && plan.message).toMatch(/sudo apt-get install -y chromium/)
    expect(plan.kind === 'fail' && plan.message).not.toContain('\n')
  })

  it('says what to do without apt-get', () => {
    const plan = planChromium({ ...fresh, hasAptGet: false })
    expect(plan.kind === 'fail' && plan.message).toMatch(/CHROMIUM_PATH/)
  })

  it('never installs over a CHROMIUM_PATH that points nowhere', () => {
    const plan = planChromium({ ...fresh, chromiumPath: '/opt/chrome/chrome' })
    expect(plan.kind === 'fail' && plan.message).toMatch(/CHROMIUM_PATH=\/opt\/chrome\/chrome/)
  })
})
