/**
 * oidc-provider's storage in SQLite: its adapter interface (upsert, find, findByUid,
 * findByUserCode, consume, destroy, revokeByGrantId) over one table, so Grants, sessions,
 * interactions, codes and refresh tokens survive a restart of the authorization server.
 *
 * Beyond the adapter interface the AS needs one question answered that oidc-provider never asks:
 * which Grants does this account hold for this client? Assent's `grant.revoked` names a user and a
 * client, not oidc-provider's grant ids, so Grant rows keep their `accountId` and `clientId` in
 * indexed columns, written with the Grant itself: the answer is as durable as the Grant.
 *
 * The file holds bearer secrets (refresh token and code values are their row ids) and the
 * signing key: protect it like one.
 */
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider'
import { SqliteDatabase } from '../../src/store/sqlite-driver.js'

export interface OidcStorage {
  /** oidc-provider's `adapter` option. */
  readonly adapter: AdapterFactory
  /** The ids of the Grants `accountId` holds for `clientId`. */
  grantIds(accountId: string, clientId: string): string[]
  /** The value stored under `name`; the first caller's `make()` decides it, for every process. */
  keep<T>(name: string, make: () => Promise<T>): Promise<T>
  close(): void
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oidc_model (
  model TEXT NOT NULL,
  id TEXT NOT NULL,
  payload TEXT NOT NULL,
  grant_id TEXT,
  uid TEXT,
  user_code TEXT,
  -- Grant rows only: whose consent it holds, for revocations that name a user and a client.
  account_id TEXT,
  client_id TEXT,
  -- Milliseconds since the epoch; NULL for what oidc-provider stores without a lifetime.
  expires_at INTEGER,
  PRIMARY KEY (model, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS oidc_model_grant_id ON oidc_model (model, grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_model_uid ON oidc_model (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_model_user_code ON oidc_model (model, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_grant_owner ON oidc_model (account_id, client_id) WHERE model = 'Grant';
CREATE INDEX IF NOT EXISTS oidc_model_expires_at ON oidc_model (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS oidc_kept (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`

// Expired rows are never returned; they are deleted at most this often, on a write.
const PURGE_EVERY_MS = 60_000

/** Opens (creating if needed) the storage at `path`; `:memory:` keeps nothing past `close()`. */
export function openOidcStorage(path: string, now: () => number = Date.now): OidcStorage {
  const db = new SqliteDatabase(path)
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.exec(SCHEMA)

  const live = '(expires_at IS NULL OR expires_at > @now)'
  const statements = {
    upsert: db.prepare(`INSERT INTO oidc_model
        (model, id, payload, grant_id, uid, user_code, account_id, client_id, expires_at)
      VALUES (@model, @id, @payload, @grant_id, @uid, @user_code, @account_id, @client_id, @expires_at)
      ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
        uid = excluded.uid, user_code = excluded.user_code, account_id = excluded.account_id,
        client_id = excluded.client_id, expires_at = excluded.expires_at`),
    find: db.prepare(
      `SELECT payload FROM oidc_model WHERE model = @model AND id = @id AND ${live}`,
    ),
    findByUid: db.prepare(
      `SELECT payload FROM oidc_model WHERE model = @model AND uid = @uid AND ${live}`,
    ),
    findByUserCode: db.prepare(
      `SELECT payload FROM oidc_model WHERE model = @model AND user_code = @user_code AND ${live}`,
    ),
    // oidc-provider marks a used code or rotated refresh token consumed (seconds since the epoch)
    // and refuses it, and revokes its grant, if it comes back.
    consume: db.prepare(`UPDATE oidc_model SET payload = json_set(payload, '$.consumed', @at)
      WHERE model = @model AND id = @id`),
    destroy: db.prepare('DELETE FROM oidc_model WHERE model = @model AND id = @id'),
    revokeByGrantId: db.prepare(
      'DELETE FROM oidc_model WHERE model = @model AND grant_id = @grant_id',
    ),
    grantIds: db.prepare(`SELECT id FROM oidc_model
      WHERE model = 'Grant' AND account_id = @account_id AND client_id = @client_id`),
    purge: db.prepare('DELETE FROM oidc_model WHERE expires_at <= @now'),
    keep: db.prepare(
      'INSERT INTO oidc_kept (name, value) VALUES (@name, @value) ON CONFLICT DO NOTHING',
    ),
    kept: db.prepare('SELECT value FROM oidc_kept WHERE name = @name'),
  }

  let purgedAt = 0
  const purge = () => {
    if (now() - purgedAt < PURGE_EVERY_MS) return
    purgedAt = now()
    statements.purge.run({ now: purgedAt })
  }
  purge()

  const payloadOf = (row: unknown): AdapterPayload | undefined =>
    row ? (JSON.parse((row as { payload: string }).payload) as AdapterPayload) : undefined

  const adapter: AdapterFactory = (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      purge()
      statements.upsert.run({
        model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        account_id: model === 'Grant' ? (payload.accountId ?? null) : null,
        client_id: model === 'Grant' ? (payload.clientId ?? null) : null,
        expires_at: typeof expiresIn === 'number' ? now() + expiresIn * 1000 : null,
      })
    },
    async find(id) {
      return payloadOf(statements.find.get({ model, id, now: now() }))
    },
    async findByUid(uid) {
      return payloadOf(statements.findByUid.get({ model, uid, now: now() }))
    },
    async findByUserCode(userCode) {
      return payloadOf(statements.findByUserCode.get({ model, user_code: userCode, now: now() }))
    },
    async consume(id) {
      statements.consume.run({ model, id, at: Math.floor(now() / 1000) })
    },
    async destroy(id) {
      statements.destroy.run({ model, id })
    },
    async revokeByGrantId(grantId) {
      statements.revokeByGrantId.run({ model, grant_id: grantId })
    },
  })

  return {
    adapter,
    grantIds: (accountId, clientId) =>
      (
        statements.grantIds.all({ account_id: accountId, client_id: clientId }) as { id: string }[]
      ).map((row) => row.id),
    async keep<T>(name: string, make: () => Promise<T>): Promise<T> {
      const found = statements.kept.get({ name }) as { value: string } | undefined
      if (found) return JSON.parse(found.value) as T
      // Two processes starting on one file both make a value; the first one written is kept.
      statements.keep.run({ name, value: JSON.stringify(await make()) })
      return JSON.parse((statements.kept.get({ name }) as { value: string }).value) as T
    },
    close: () => db.close(),
  }
}
