import { type Insertable, type Kysely, sql } from 'kysely'
import type { ConsentRequest, NewConsentRequest, ShownPage } from '../../entities.js'
import { copyWith } from '../../objects.js'
import type { AnswerOutcome, ConsentAnswer, SideEffects, VerifyOutcome } from '../port.js'
import type { Database } from '../schema.js'
import type { EffectsLog } from './effects.js'
import { mergeGrant } from './grants.js'
import { prepared } from './prepared.js'
import {
  answeredConsentRequest,
  bit,
  iso,
  json,
  storedConsentRequest,
  storedDuration,
  toChosenDuration,
  toConsentRequest,
} from './rows.js'
import { addingToCount, dayOf } from './stats.js'
import { rememberUser } from './users.js'

// The request path's statements, compiled once (prepared.ts).

type NewRow = Required<
  Omit<
    Insertable<Database['consent_requests']>,
    | 'binding_hash'
    | 'verifier_hash'
    | 'verified_at'
    | 'declined_scopes'
    | 'shown'
    | 'rendition'
    | 'receipt_id'
    | 'chosen_duration'
    | 'approved_details'
  >
>

const insertRequest = prepared((db, row: NewRow) => db.insertInto('consent_requests').values(row))

const selectRequest = prepared((db, key: { tenantId: string; id: string }) =>
  db
    .selectFrom('consent_requests')
    .selectAll()
    .where('tenant_id', '=', key.tenantId)
    .where('id', '=', key.id),
)

type AnswerParams = {
  tenantId: string
  id: string
  at: string
  status: string
  grantedScopes: string | null
  declinedScopes: string | null
  approvedDetails: string | null
  rendition: string
  error: string | null
  verifierHash: string
  chosenDuration: number | null
}

const answerUpdate = (db: Kysely<Database>, p: AnswerParams) =>
  db
    .updateTable('consent_requests')
    .set({
      chosen_duration: p.chosenDuration,
      status: p.status,
      granted_scopes: p.grantedScopes,
      declined_scopes: p.declinedScopes,
      approved_details: p.approvedDetails,
      error: p.error,
      answered_at: p.at,
      verifier_hash: p.verifierHash,
    })
    .where('tenant_id', '=', p.tenantId)
    .where('id', '=', p.id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', p.at)
    // The page answered is still the latest one rendered (DESIGN §3.2.2).
    .where('rendition', '=', p.rendition)

const answerRequest = prepared((db, p: AnswerParams) => answerUpdate(db, p).returningAll())

// The same update when the caller holds the request as it stands: only whether it matched.
const answerKnownRequest = prepared((db, p: AnswerParams) => answerUpdate(db, p).returning('id'))

type BindParams = {
  tenantId: string
  id: string
  bindingHash: string
  shown: string
  rendition: string
}

const bindUpdate = (db: Kysely<Database>, p: BindParams) =>
  db
    .updateTable('consent_requests')
    .set({ binding_hash: p.bindingHash, shown: p.shown, rendition: p.rendition })
    .where('tenant_id', '=', p.tenantId)
    .where('id', '=', p.id)
    .where('binding_hash', 'is', null)
    .returningAll()

const bindRequest = prepared(bindUpdate)

/** Binding and count in one round trip (PostgreSQL's data-modifying `WITH`; SQLite has none). */
const bindAndCount = prepared((db, p: BindParams & { day: string }) =>
  db
    .with('bound', (qc) => bindUpdate(qc as Kysely<Database>, p))
    .with('counted', (qc) =>
      qc
        .insertInto('consent_stats')
        .columns(['tenant_id', 'day', 'client_id', 'metric', 'scope', 'count'])
        .expression((eb) =>
          eb
            .selectFrom('bound')
            .select((eb) => [
              'bound.tenant_id',
              eb.val(p.day).as('day'),
              'bound.client_id',
              sql.lit('shown').as('metric'),
              sql.lit('').as('scope'),
              sql.lit(1).as('count'),
            ]),
        )
        .onConflict(addingToCount),
    )
    .selectFrom('bound')
    .selectAll(),
)

const showRequest = prepared(
  (db, p: { tenantId: string; id: string; shown: string; rendition: string }) =>
    db
      .updateTable('consent_requests')
      .set({ shown: p.shown, rendition: p.rendition })
      .where('tenant_id', '=', p.tenantId)
      .where('id', '=', p.id)
      .where('status', '=', 'pending')
      .returningAll(),
)

/** A shown page as stored: JSON, its time as ISO 8601 text. */
const shownJson = (shown: ShownPage) => json(copyWith(shown, { at: iso(shown.at) }))

const verifyRequest = prepared(
  (db, p: { tenantId: string; id: string; at: string; receiptId: string | null }) =>
    db
      .updateTable('consent_requests')
      .set({ verified_at: p.at, receipt_id: p.receiptId })
      .where('tenant_id', '=', p.tenantId)
      .where('id', '=', p.id)
      .where('status', '!=', 'pending')
      .where('verified_at', 'is', null)
      .returning(['user_id', 'client_id', 'audience', 'chosen_duration']),
)

/** Stores the request, and remembers `user` as last seen; run it inside a transaction. */
export async function insertConsentRequest(
  trx: Kysely<Database>,
  request: NewConsentRequest,
  user?: { name: string | null; email: string | null },
): Promise<ConsentRequest> {
  // A request decided without a page (DESIGN §3.3) is answered the moment it is created.
  const answeredAt = request.status === 'pending' ? null : request.createdAt
  if (user) {
    await rememberUser(trx, request.createdAt, request.tenantId, {
      userId: request.userId,
      ...user,
    })
  }
  await insertRequest(trx, {
    tenant_id: request.tenantId,
    id: request.id,
    client_id: request.clientId,
    user_id: request.userId,
    user_name: request.userName,
    audience: request.audience ?? '',
    requested_scopes: json(request.requestedScopes),
    effective_scopes: json(request.effectiveScopes),
    dropped_scopes: json(request.droppedScopes),
    prompt_scopes: json(request.promptScopes),
    granted_scopes: request.grantedScopes === null ? null : json(request.grantedScopes),
    prompt: request.prompt,
    ui_locales: request.uiLocales,
    return_to: request.returnTo,
    state: request.state,
    redirect_uri: request.redirectUri,
    status: request.status,
    error: request.error,
    created_at: iso(request.createdAt),
    expires_at: iso(request.expiresAt),
    answered_at: answeredAt === null ? null : iso(answeredAt),
    granular: bit(request.granular ?? false),
    required_scopes: json(request.requiredScopes ?? []),
    changed_scopes: json(request.changedScopes ?? []),
    flow: request.device ? 'device' : null,
    user_code: request.device?.userCode ?? null,
    device_name: request.device?.name ?? null,
    switch_account_url: request.switchAccountUrl ?? null,
    authorization_details:
      request.authorizationDetails && request.authorizationDetails.length > 0
        ? json(request.authorizationDetails)
        : null,
  })
  return storedConsentRequest(request, answeredAt)
}

export async function findConsentRequest(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<ConsentRequest | undefined> {
  const [row] = await selectRequest(db, { tenantId, id })
  return row ? toConsentRequest(row) : undefined
}

/**
 * Answers a pending, unexpired request, once, and keeps the hash of the verifier handed out: one
 * conditional statement, atomic on its own (and a read saying why, when it changed nothing), so
 * it needs no transaction around it. Nothing is granted yet: that waits for the verifier (DESIGN §3.4).
 * Given `asRead`, the request as it stands (the caching store's copy, which every write to it
 * goes through), the answered request is built from it instead of read back.
 */
export async function answerConsentRequest(
  trx: Kysely<Database>,
  tenantId: string,
  id: string,
  answer: ConsentAnswer,
  asRead?: ConsentRequest,
): Promise<AnswerOutcome> {
  const at = iso(answer.at)
  const granted = answer.action === 'accept' ? [...new Set(answer.scopes)] : null
  const declined = answer.action === 'accept' ? (answer.declined ?? []) : null
  const status = answer.action === 'accept' ? 'accepted' : 'denied'
  const error = answer.action === 'accept' ? null : answer.error
  const approved =
    answer.action === 'accept' && answer.approvedDetails ? answer.approvedDetails : null
  const storedChoice = answer.action === 'accept' ? storedDuration(answer.duration) : null
  const params: AnswerParams = {
    tenantId,
    id,
    at,
    status,
    grantedScopes: granted === null ? null : json(granted),
    declinedScopes: declined === null ? null : json(declined),
    approvedDetails: approved === null ? null : json(approved),
    rendition: answer.shown.rendition,
    error,
    verifierHash: answer.verifierHash,
    chosenDuration: storedChoice,
  }
  // The condition is the lock: only a pending, unexpired row changes, so one answer wins.
  if (asRead) {
    const [matched] = await answerKnownRequest(trx, params)
    if (matched) {
      const request = answeredConsentRequest(asRead, {
        status,
        grantedScopes: granted,
        declinedScopes: declined === null ? null : [...declined],
        error,
        answeredAt: new Date(at),
        verifierHash: answer.verifierHash,
        approvedDetails: approved,
        chosenDuration: toChosenDuration(storedChoice),
      })
      return { outcome: 'answered', request }
    }
    return whyNotAnswered(trx, tenantId, id, at)
  }
  const [row] = await answerRequest(trx, params)
  if (row) return { outcome: 'answered', request: toConsentRequest(row) }
  return whyNotAnswered(trx, tenantId, id, at)
}

/** Nothing changed: say why. */
async function whyNotAnswered(
  trx: Kysely<Database>,
  tenantId: string,
  id: string,
  at: string,
): Promise<AnswerOutcome> {
  const found = await trx
    .selectFrom('consent_requests')
    .select(['status', 'expires_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!found) return { outcome: 'not_found' }
  if (found.status !== 'pending') return { outcome: 'already_answered' }
  return { outcome: found.expires_at > at ? 'stale' : 'expired' }
}

/**
 * Binds a pending request to a browser, once (DESIGN §3.2), with its first render as the page
 * shown (§3.2.2), and counts that view for the console's insights when this call binds it: the
 * first binding wins, and the request as it stands afterwards is returned, so the caller compares
 * its browser with it. Given `log` (SQLite, in the caller's transaction), the count goes there;
 * without it (PostgreSQL), binding and count are one statement.
 */
export async function bindConsentRequest(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  bindingHash: string,
  shown: ShownPage,
  log?: EffectsLog,
): Promise<ConsentRequest | undefined> {
  const params = { tenantId, id, bindingHash, shown: shownJson(shown), rendition: shown.rendition }
  const [row] = log
    ? await bindRequest(db, params)
    : await bindAndCount(db, copyWith(params, { day: dayOf(shown.at) }))
  if (!row) return findConsentRequest(db, tenantId, id)
  if (log) {
    const counted = { clientId: row.client_id, metric: 'shown', scope: '', count: 1 } as const
    await log.add(tenantId, { stats: [counted] }, shown.at)
  }
  return toConsentRequest(row, shown)
}

/** Records the latest render of a pending request (DESIGN §3.2.2); the request as it stands. */
export async function showConsentRequest(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  shown: ShownPage,
): Promise<ConsentRequest | undefined> {
  const [row] = await showRequest(db, {
    tenantId,
    id,
    shown: shownJson(shown),
    rendition: shown.rendition,
  })
  return row ? toConsentRequest(row, shown) : findConsentRequest(db, tenantId, id)
}

/**
 * Marks an answered request verified, once, and merges `scopes` (an accepted answer's) into the
 * user's grant in the same transaction (DESIGN §3.4); what the verify carries goes to `log`, for
 * the transaction to write before it commits. Of two racing verifies one writes.
 */
export async function verifyConsentRequest(
  trx: Kysely<Database>,
  log: EffectsLog,
  tenantId: string,
  id: string,
  at: Date,
  scopes: readonly string[] | null,
  versions: Readonly<Record<string, number>> = {},
  effects?: SideEffects,
): Promise<VerifyOutcome> {
  const [row] = await verifyRequest(trx, {
    tenantId,
    id,
    at: iso(at),
    receiptId: effects?.receipt?.id ?? null,
  })
  if (!row) {
    const found = await findConsentRequest(trx, tenantId, id)
    return found ? { outcome: 'unchanged', request: found } : { outcome: 'not_found' }
  }
  if (scopes !== null && scopes.length > 0) {
    await mergeGrant(
      trx,
      at,
      { tenantId, userId: row.user_id, clientId: row.client_id, audience: row.audience },
      scopes,
      versions,
      toChosenDuration(row.chosen_duration),
    )
  }
  await log.add(tenantId, effects, at)
  return { outcome: 'verified' }
}

/**
 * Removes the requests answered before `before`, and the unanswered ones that expired before it;
 * returns how many. The condition is on time alone, so purging twice removes nothing more.
 */
export async function purgeConsentRequests(db: Kysely<Database>, before: Date): Promise<number> {
  const cut = iso(before)
  const result = await db
    .deleteFrom('consent_requests')
    .where((eb) =>
      eb.or([
        eb('answered_at', '<', cut),
        eb.and([eb('answered_at', 'is', null), eb('expires_at', '<', cut)]),
      ]),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
