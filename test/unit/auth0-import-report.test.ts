import { describe, expect, it } from 'vitest'
import { reportLineText } from '../../src/auth0-import/apply.js'

// An Auth0 export carries names strangers chose (a self-registered client names itself): the
// report prints them on the operator's terminal.
describe('import-auth0 report lines', () => {
  it('prints a name’s escape sequences, line breaks and bidi controls as visible escapes', () => {
    const text = reportLineText({
      kind: 'client',
      name: '\u001b]52;c;ZXZpbA==\u0007Shop\n  created  client           Bank\u202Ekcab',
      outcome: 'failed',
      detail: '400 invalid_body: name\r\u009b2J',
      source: 'clients/Shop.json',
    })
    expect(text).toBe(
      '  failed   client           \\u{1B}]52;c;ZXZpbA==\\u{7}Shop\\u{A}  created  client           Bank\\u{202E}kcab: 400 invalid_body: name\\u{D}\\u{9B}2J (clients/Shop.json)\n',
    )
  })

  it('keeps every other letter as written, joiners included', () => {
    const text = reportLineText({
      kind: 'role',
      name: 'Équipe می\u200Cخواهم 👩\u200D💻',
      outcome: 'created',
      detail: '',
      source: 'roles/x.json',
    })
    expect(text).toBe('  created  role             Équipe می\u200Cخواهم 👩\u200D💻\n')
  })
})
