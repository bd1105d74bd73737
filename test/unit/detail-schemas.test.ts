import { describe, expect, it } from 'vitest'
import type { DetailType } from '../../src/consent/index.js'
import { checkAuthorizationDetails, schemaError } from '../../src/services/consent/details.js'

// Every tenant's schemas are compiled in one process: what one declares must be invisible to another.
describe('detail type schemas kept apart (DESIGN §3.9)', () => {
  const bank: DetailType = {
    type: 'bank_transfer',
    schema: {
      $id: 'https://schemas.example/transfer',
      type: 'object',
      required: ['type', 'internal_ledger_code'],
    },
    consentTemplates: {},
  }

  it('lets two APIs declare schemas with the same $id, each judged by its own', () => {
    const other: DetailType = {
      type: 'bank_transfer',
      schema: {
        $id: 'https://schemas.example/transfer',
        type: 'object',
        required: ['type', 'iban'],
      },
      consentTemplates: {},
    }
    expect(schemaError(bank.schema ?? {})).toBeNull()
    expect(schemaError(other.schema ?? {})).toBeNull()
    expect(() =>
      checkAuthorizationDetails([{ type: 'bank_transfer', iban: 'x' }], [other]),
    ).not.toThrow()
    expect(() => checkAuthorizationDetails([{ type: 'bank_transfer', iban: 'x' }], [bank])).toThrow(
      /internal_ledger_code/,
    )
  })

  it('resolves no $ref to a schema another API declared', () => {
    expect(schemaError(bank.schema ?? {})).toBeNull()
    checkAuthorizationDetails([{ type: 'bank_transfer', internal_ledger_code: 'a' }], [bank])
    expect(schemaError({ $ref: 'https://schemas.example/transfer' })).toMatch(/resolve/)
    expect(schemaError({ properties: { a: { $id: 'https://schemas.example/nested' } } })).toBeNull()
    expect(schemaError({ $ref: 'https://schemas.example/nested' })).toMatch(/resolve/)
  })
})

// A pattern is the admin's, the string an AS's client's: matching must not depend on backtracking.
describe('patterns in detail type schemas (DESIGN §3.9, §6)', () => {
  const typeWith = (pattern: string): DetailType => ({
    type: 'transfer',
    schema: {
      type: 'object',
      properties: { reference: { type: 'string', pattern } },
    },
    consentTemplates: {},
  })

  // A backtracking engine would accept these: their refusal shows the patterns run on RE2. Time is
  // not measured; the inputs below stay small enough that a backtracking engine, were it back,
  // would still answer (slowly) rather than hold the run.
  it('refuses when saved a pattern that needs backtracking (lookaround, backreferences)', () => {
    expect(schemaError(typeWith('^(?=a)a+$').schema ?? {})).toMatch(/pattern|regexp|syntax/i)
    expect(schemaError(typeWith('^(a)\\1$').schema ?? {})).toMatch(/pattern|regexp|syntax/i)
  })

  it('gives the right verdict on patterns that backtrack exponentially or polynomially', () => {
    const nested = typeWith('^(a+)+$')
    expect(schemaError(nested.schema ?? {})).toBeNull()
    expect(() =>
      checkAuthorizationDetails([{ type: 'transfer', reference: `${'a'.repeat(22)}!` }], [nested]),
    ).toThrow(/reference/)
    expect(() =>
      checkAuthorizationDetails([{ type: 'transfer', reference: 'a'.repeat(22) }], [nested]),
    ).not.toThrow()
    const spaces = typeWith('\\s*\\s*x')
    expect(() =>
      checkAuthorizationDetails([{ type: 'transfer', reference: ' '.repeat(1_500) }], [spaces]),
    ).toThrow(/reference/)
  })

  it('keeps the patterns a schema usually holds: classes, counts, anchors, Unicode properties', () => {
    const iban = typeWith('^[A-Z]{2}\\d{2}[A-Z0-9]{10,30}$')
    expect(() =>
      checkAuthorizationDetails(
        [{ type: 'transfer', reference: 'DE89370400440532013000' }],
        [iban],
      ),
    ).not.toThrow()
    expect(() =>
      checkAuthorizationDetails([{ type: 'transfer', reference: 'de89' }], [iban]),
    ).toThrow(/reference/)
    const letters = typeWith('^\\p{L}+$')
    expect(() =>
      checkAuthorizationDetails([{ type: 'transfer', reference: 'Müller' }], [letters]),
    ).not.toThrow()
  })
})
