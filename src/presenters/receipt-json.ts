import type { Receipt } from '../entities.js'

/** A receipt as JSON (DESIGN §3.6): its claims, and the JWS that proves them. */
export const receiptJson = (receipt: Receipt) => {
  const { granted_lines, declined_lines, line_claims, authorization_details, ...claims } =
    receipt.claims
  return {
    ...claims,
    granted_scopes: [...claims.granted_scopes],
    declined_scopes: [...claims.declined_scopes],
    lines: [...claims.lines],
    ...(granted_lines ? { granted_lines: [...granted_lines] } : {}),
    ...(declined_lines ? { declined_lines: [...declined_lines] } : {}),
    ...(line_claims ? { line_claims: line_claims.map((claims) => [...claims]) } : {}),
    ...(authorization_details
      ? {
          authorization_details: authorization_details.map((detail) => ({
            text: detail.text,
            entry: { ...detail.entry },
          })),
        }
      : {}),
    jws: receipt.jws,
  }
}
