import { describe, expect, it } from 'vitest'
import { displayableLink, displayableLogo } from '../../src/consent/index.js'

describe('displayableLink (DESIGN §3.10)', () => {
  it('shows https, and http on loopback, as the logo rule does', () => {
    expect(displayableLink('https://app.example/privacy')).toBe('https://app.example/privacy')
    expect(displayableLink('http://localhost:4000/terms')).toBe('http://localhost:4000/terms')
    expect(displayableLink('http://127.0.0.1/terms')).toBe('http://127.0.0.1/terms')
  })

  it.each([
    'javascript:alert(1)',
    'data:text/html,hi',
    'http://app.example/privacy',
    'ftp://app.example/',
    'not a url',
    '',
    null,
    undefined,
  ])('hides %s', (url) => {
    expect(displayableLink(url)).toBeNull()
  })

  it('hides a link with a user name or password, which a logo would still show', () => {
    for (const url of [
      'https://bank.example@evil.example/',
      'https://user:secret@app.example/',
      'https://:secret@app.example/',
    ]) {
      expect(displayableLink(url), url).toBeNull()
    }
    expect(displayableLogo('https://bank.example@evil.example/')).not.toBeNull()
  })
})
