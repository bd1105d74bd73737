import type {
  ApprovedDetail,
  Client,
  ConsentRequest,
  Grant,
  NewEvent,
  ReceiptAction,
  Tenant,
  WebhookEventType,
} from '../../entities.js'
import { randomToken } from '../../ids.js'
import type { SideEffects } from '../../store/port.js'
import type { Decision } from './decision.js'
import type { ReceiptService } from './receipts.js'

/** A webhook event about a user (DESIGN §3.8); its id is the Standard Webhooks `webhook-id`. */
export function newEvent(
  type: WebhookEventType,
  userId: string,
  payload: Record<string, unknown>,
): NewEvent {
  return { id: `msg_${randomToken(16)}`, type, userId, payload }
}

/**
 * What a verified answer carries, in its transaction (DESIGN §3.6, §3.8): the signed receipt of
 * what the user was shown and decided, and `consent.accepted` or `consent.denied`.
 */
export async function answerEvidence(
  receipts: ReceiptService,
  input: {
    tenant: Tenant
    request: ConsentRequest
    client: Client | undefined
    decision: Decision
  },
  at: Date,
): Promise<SideEffects> {
  const { tenant, request, decision } = input
  const action: ReceiptAction = decision.status === 'accepted' ? 'accept' : 'deny'
  const declined =
    action === 'deny' ? [...request.promptScopes] : [...(request.declinedScopes ?? [])]
  // Every text, the locale, the mode and the time are those of the page the user answered.
  const shown = request.shown
  const lines = shown?.lines ?? []
  const declinedSet = new Set(declined)
  const lineClaims = lines.map((line) => [...(line.claims ?? [])])
  const isDeclined = (line: (typeof lines)[number]) =>
    action === 'deny' ||
    (line.scopes.length > 0 && line.scopes.every((scope) => declinedSet.has(scope)))
  const receipt = await receipts.issue(
    tenant,
    {
      user_id: request.userId,
      client_id: request.clientId,
      client_name: input.client?.name ?? request.clientId,
      audience: request.audience,
      action,
      // The code the user compared, as the page they answered showed it (DESIGN §3.10).
      ...(shown?.device ? { flow: 'device' as const, user_code: shown.device.userCode } : {}),
      granted_scopes: decision.granted_scopes,
      declined_scopes: declined,
      lines: lines.map((line) => line.text),
      granted_lines: lines.filter((line) => !isDeclined(line)).map((line) => line.text),
      declined_lines: lines.filter(isDeclined).map((line) => line.text),
      ...(lineClaims.some((claims) => claims.length > 0) ? { line_claims: lineClaims } : {}),
      // The duration the user picked among those the page offered (DESIGN §3.5.1).
      ...(action === 'accept' && request.chosenDuration
        ? { duration: request.chosenDuration.seconds }
        : {}),
      ...(request.authorizationDetails ? { authorization_details: approvedAsShown(request) } : {}),
      locale: shown?.locale ?? null,
      mode: shown?.mode ?? null,
      shown_at: shown?.at.toISOString() ?? null,
      answered_at: request.answeredAt?.toISOString() ?? null,
    },
    at,
  )
  const event = newEvent(
    action === 'accept' ? 'consent.accepted' : 'consent.denied',
    request.userId,
    {
      consent_request_id: request.id,
      user_id: request.userId,
      client_id: request.clientId,
      audience: request.audience,
      granted_scopes: decision.granted_scopes,
      declined_scopes: declined,
      receipt_id: receipt.id,
    },
  )
  // Console insights: how prompts were answered, and which optional scopes users untick.
  const stats = [
    {
      clientId: request.clientId,
      metric: decision.status === 'accepted' ? 'accepted' : 'denied',
      scope: '',
      count: 1,
    } as const,
    ...(action === 'accept' ? declined : []).map(
      (scope) => ({ clientId: request.clientId, metric: 'unticked', scope, count: 1 }) as const,
    ),
  ]
  return { receipt, events: [event], stats }
}

/**
 * The entries an answer approved, each with its line as the page the user answered showed it
 * (DESIGN §3.6, §3.9): never worded again from today's templates.
 */
function approvedAsShown(request: ConsentRequest): ApprovedDetail[] {
  const approved = new Set(request.status === 'accepted' ? (request.approvedDetails ?? []) : [])
  const entries = request.authorizationDetails ?? []
  return (request.shown?.details ?? []).flatMap((detail) => {
    const entry = entries[detail.index]
    return entry && approved.has(detail.index) ? [{ text: detail.text, entry }] : []
  })
}

/** An admin took grants away: the AS hears `grant.deleted` for each (DESIGN §3.8). */
export const grantDeleted = (grants: readonly Grant[]): SideEffects => ({
  events: grants.map((grant) =>
    newEvent('grant.deleted', grant.userId, {
      grant_id: grant.id,
      user_id: grant.userId,
      client_id: grant.clientId,
      audience: grant.audience,
      scope: [...grant.scope],
    }),
  ),
})
