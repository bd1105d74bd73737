/*
 * The RFC 9396 payment the detail-type tests share (DESIGN §3.9): the type as the Management API
 * declares it on a resource server, and one entry of it as a consent request carries it.
 */

/** `payment_initiation` with its schema and its words in three languages, as a PATCH body sends it. */
export const PAYMENT_TYPE = {
  type: 'payment_initiation',
  schema: {
    type: 'object',
    required: ['type', 'instructedAmount', 'creditorName'],
    properties: {
      type: { const: 'payment_initiation' },
      instructedAmount: {
        type: 'object',
        required: ['currency', 'amount'],
        properties: {
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          amount: { type: 'string', pattern: '^\\d+(\\.\\d{1,2})?$' },
        },
        additionalProperties: false,
      },
      creditorName: { type: 'string', maxLength: 140 },
    },
  },
  consent_templates: {
    en: 'Pay {instructedAmount} to {creditorName}',
    fr: 'Payer {instructedAmount} à {creditorName}',
    de: '{instructedAmount} an {creditorName} zahlen',
  },
}

/** A `payment_initiation` entry that `PAYMENT_TYPE`'s schema accepts. */
export const PAYMENT = {
  type: 'payment_initiation',
  instructedAmount: { currency: 'EUR', amount: '123.50' },
  creditorName: 'Merchant A',
}
