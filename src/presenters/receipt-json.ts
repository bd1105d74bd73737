import type { Receipt } from '../entities.js'

/** A receipt as JSON (DESIGN §3.6): its claims, and the JWS that proves them. */
export const receiptJson = (receipt: Receipt) => ({
  ...receipt.claims,
  granted_scopes: [...receipt.claims.granted_scopes],
  declined_scopes: [...receipt.claims.declined_scopes],
  lines: [...receipt.claims.lines],
  jws: receipt.jws,
})
