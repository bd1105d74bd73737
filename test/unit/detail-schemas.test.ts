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
