import { type Kysely, Migrator, type Selectable, type SelectQueryBuilder, sql } from 'kysely'
import type { ApiScope, TokenDialect } from '../consent/index.js'
import type {
  Client,
  ConsentRequest,
  ConsentStatus,
  Grant,
  NewClient,
  NewConsentRequest,
  NewResourceServer,
  PermissionRef,
  ResourceServer,
  Role,
  Tenant,
  TenantSettings,
  User,
  UserPermission,
} from '../entities.js'
import { ConflictError } from '../errors.js'
import { randomAlphanumeric } from '../ids.js'
import { migrations } from './migrations/index.js'
import type { AnswerOutcome, ConsentAnswer, Page, Paged, Store } from './port.js'
import type { Database } from './schema.js'

type Row<T extends keyof Database> = Selectable<Database[T]>

const json = (value: unknown): string => JSON.stringify(value)
const list = (text: string): string[] => JSON.parse(text) as string[]
const iso = (date: Date): string => date.toISOString()
const bit = (value: boolean): number => (value ? 1 : 0)

/**
 * Adds scopes to a grant inside a transaction. The row is created first (or left as it is), then
 * read under lock and rewritten, so two merges never drop each other's scopes.
 */
async function mergeGrant(
  trx: Kysely<Database>,
  lockRows: boolean,
  at: string,
  key: { tenantId: string; userId: string; clientId: string; audience: string },
  scopes: readonly string[],
): Promise<Grant> {
  await trx
    .insertInto('grants')
    .values({
      tenant_id: key.tenantId,
      id: `cgr_${randomAlphanumeric(16)}`,
      user_id: key.userId,
      client_id: key.clientId,
      audience: key.audience,
      scope: '[]',
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'user_id', 'client_id', 'audience']).doNothing())
    .execute()
  // On PostgreSQL the read takes the row's lock, so a concurrent merge waits for this one;
  // SQLite runs one write transaction at a time, and has no FOR UPDATE.
  let read = trx
    .selectFrom('grants')
    .selectAll()
    .where('tenant_id', '=', key.tenantId)
    .where('user_id', '=', key.userId)
    .where('client_id', '=', key.clientId)
    .where('audience', '=', key.audience)
  if (lockRows) read = read.forUpdate()
  const row = await read.executeTakeFirstOrThrow()
  const merged = [...new Set([...list(row.scope), ...scopes])]
  await trx
    .updateTable('grants')
    .set({ scope: json(merged) })
    .where('id', '=', row.id)
    .execute()
  return toGrant({ ...row, scope: json(merged), updated_at: at })
}

/** Records a user as last seen now (DESIGN §2: users are what consent requests told us). */
async function rememberUser(
  trx: Kysely<Database>,
  at: string,
  tenantId: string,
  user: { userId: string; name: string | null; email: string | null },
): Promise<void> {
  await trx
    .insertInto('users')
    .values({
      tenant_id: tenantId,
      user_id: user.userId,
      name: user.name,
      email: user.email,
      created_at: at,
      last_seen_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'user_id'])
        .doUpdateSet({ name: user.name, email: user.email, last_seen_at: at }),
    )
    .execute()
}

/** Answers one consent request inside `trx` (see `Store.consentRequests.answer`). */
async function answerIn(
  trx: Kysely<Database>,
  lockRows: boolean,
  tenantId: string,
  id: string,
  answer: ConsentAnswer,
): Promise<AnswerOutcome> {
  const at = iso(answer.at)
  const granted = answer.action === 'accept' ? [...new Set(answer.scopes)] : null
  // The condition is the lock: only a pending, unexpired row changes, so one answer wins.
  const row = await trx
    .updateTable('consent_requests')
    .set({
      status: answer.action === 'accept' ? 'accepted' : 'denied',
      granted_scopes: granted === null ? null : json(granted),
      error: answer.action === 'accept' ? null : 'access_denied',
      answered_at: at,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', at)
    .returningAll()
    .executeTakeFirst()
  if (!row) {
    // Nothing changed: say why.
    const found = await trx
      .selectFrom('consent_requests')
      .select('status')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!found) return { outcome: 'not_found' }
    return { outcome: found.status === 'pending' ? 'expired' : 'already_answered' }
  }
  if (granted !== null) {
    await mergeGrant(
      trx,
      lockRows,
      at,
      { tenantId, userId: row.user_id, clientId: row.client_id, audience: row.audience },
      granted,
    )
  }
  return { outcome: 'answered', request: toConsentRequest(row) }
}

/** A unique or primary key violation, in SQLite's or PostgreSQL's words. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  )
}

async function conflictAs<T>(message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(message)
    throw error
  }
}

/** Runs a list query for one page and its total count. */
async function paged<TB extends keyof Database, O>(
  query: SelectQueryBuilder<Database, TB, O>,
  { page, perPage }: Page,
): Promise<Paged<O>> {
  const [items, total] = await Promise.all([
    query
      .limit(perPage)
      .offset(page * perPage)
      .execute(),
    query
      .clearSelect()
      .clearOrderBy()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow() as Promise<{ n: number }>,
  ])
  return { items, total: Number(total.n) }
}

function pageOf<T>(all: T[], { page, perPage }: Page): Paged<T> {
  return { items: all.slice(page * perPage, page * perPage + perPage), total: all.length }
}

const toRole = (row: Row<'roles'>): Role => ({
  id: row.id,
  name: row.name,
  description: row.description,
})

function toResourceServer(row: Row<'resource_servers'>): ResourceServer {
  return {
    id: row.id,
    identifier: row.identifier,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ApiScope[],
    enforcePolicies: row.enforce_policies === 1,
    allowOfflineAccess: row.allow_offline_access === 1,
    skipConsentForVerifiableFirstPartyClients:
      row.skip_consent_for_verifiable_first_party_clients === 1,
    tokenDialect: row.token_dialect as TokenDialect,
    tokenLifetime: Number(row.token_lifetime),
    signingAlg: row.signing_alg,
    isSystem: row.is_system === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

function toClient(row: Row<'clients'>): Client {
  return {
    clientId: row.client_id,
    name: row.name,
    description: row.description,
    logoUri: row.logo_uri,
    isFirstParty: row.is_first_party === 1,
    callbacks: list(row.callbacks),
    appType: row.app_type,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

function toGrant(row: Row<'grants'>): Grant {
  return {
    id: row.id,
    userId: row.user_id,
    clientId: row.client_id,
    audience: row.audience,
    scope: list(row.scope),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

function toConsentRequest(row: Row<'consent_requests'>): ConsentRequest {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    userId: row.user_id,
    userName: row.user_name,
    audience: row.audience === '' ? null : row.audience,
    requestedScopes: list(row.requested_scopes),
    effectiveScopes: list(row.effective_scopes),
    droppedScopes: list(row.dropped_scopes),
    promptScopes: list(row.prompt_scopes),
    grantedScopes: row.granted_scopes === null ? null : list(row.granted_scopes),
    prompt: row.prompt,
    uiLocales: row.ui_locales,
    returnTo: row.return_to,
    state: row.state,
    redirectUri: row.redirect_uri,
    status: row.status as ConsentStatus,
    error: row.error,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    answeredAt: row.answered_at === null ? null : new Date(row.answered_at),
  }
}

export interface KyselyStoreOptions {
  /** The clock; tests pass their own. */
  readonly now?: () => Date
  /** Mutual exclusion across instances; without it work runs as it comes (one process). */
  readonly exclusive?: <T>(name: string, work: () => Promise<T>) => Promise<T>
  /**
   * Commit answers that arrive together in one transaction: one durable commit (one fsync on
   * SQLite) for the batch, each answer acknowledged only once it is committed.
   */
  readonly groupCommit?: boolean
  /** Take row locks with `SELECT … FOR UPDATE` (PostgreSQL); SQLite serializes writers instead. */
  readonly lockRows?: boolean
}

/** The store over Kysely: the same queries for SQLite and PostgreSQL. */
export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions = {}): Store {
  const now = options.now ?? (() => new Date())

  async function tenantFromRow(row: Row<'tenants'>): Promise<Tenant> {
    const domains = await db
      .selectFrom('tenant_domains')
      .select('domain')
      .where('tenant_id', '=', row.id)
      .orderBy('domain')
      .execute()
    return {
      id: row.id,
      domains: domains.map((d) => d.domain),
      settings: JSON.parse(row.settings) as TenantSettings,
      createdAt: new Date(row.created_at),
    }
  }

  const exclusive = options.exclusive ?? (<T>(_name: string, work: () => Promise<T>) => work())
  const lockRows = options.lockRows ?? false

  type WriteJob = {
    run: (trx: Kysely<Database>) => Promise<unknown>
    resolve: (outcome: unknown) => void
    reject: (error: unknown) => void
  }
  const writeQueue: WriteJob[] = []
  function flushWrites(): void {
    const jobs = writeQueue.splice(0)
    db.transaction()
      .execute(async (trx) => {
        const outcomes: unknown[] = []
        for (const job of jobs) outcomes.push(await job.run(trx))
        return outcomes
      })
      .then(
        (outcomes) => {
          for (const [i, job] of jobs.entries()) job.resolve(outcomes[i])
        },
        // The batch rolled back whole: each answer gets its own transaction, and its own fate.
        async () => {
          for (const job of jobs) {
            await db
              .transaction()
              .execute((trx) => job.run(trx))
              .then(job.resolve, job.reject)
          }
        },
      )
  }
  /** A write transaction of the request path: batched with those arriving together, when grouped. */
  function batched<T>(run: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (!options.groupCommit) return db.transaction().execute(run)
    return new Promise<T>((resolve, reject) => {
      writeQueue.push({ run, resolve: resolve as (outcome: unknown) => void, reject })
      if (writeQueue.length === 1) setImmediate(flushWrites)
    })
  }

  const store: Store = {
    exclusive,

    async migrate() {
      await exclusive('migrate', async () => {
        const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
        const { error, results } = await migrator.migrateToLatest()
        if (error) {
          const failed = results?.find((result) => result.status === 'Error')?.migrationName
          throw new Error(`migration ${failed ?? ''} failed: ${String(error)}`, { cause: error })
        }
      })
    },

    async close() {
      await db.destroy()
    },

    async sync() {},

    async ping() {
      try {
        await db.selectFrom('assent_meta').select('key').limit(1).execute()
        return true
      } catch {
        return false
      }
    },

    meta: {
      async get(key) {
        const row = await db
          .selectFrom('assent_meta')
          .select('value')
          .where('key', '=', key)
          .executeTakeFirst()
        return row?.value
      },
      async set(key, value) {
        await db
          .insertInto('assent_meta')
          .values({ key, value })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
          .execute()
      },
    },

    keys: {
      async getOrCreate(id, create) {
        await db
          .insertInto('signing_keys')
          .values({ id, secret: create(), created_at: iso(now()) })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute()
        const row = await db
          .selectFrom('signing_keys')
          .select('secret')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
        return row.secret
      },
    },

    adminSessions: {
      async create(session, at) {
        await db
          .insertInto('admin_sessions')
          .values({
            id: session.id,
            tenant_id: session.tenantId,
            scopes: json(session.scopes),
            created_at: iso(at),
            expires_at: iso(session.expiresAt),
          })
          .execute()
      },

      async get(id, at) {
        const row = await db
          .selectFrom('admin_sessions')
          .selectAll()
          .where('id', '=', id)
          .where('expires_at', '>', iso(at))
          .executeTakeFirst()
        if (!row) return undefined
        const scopes = JSON.parse(row.scopes) as string[] | 'all'
        return { id: row.id, tenantId: row.tenant_id, scopes, expiresAt: new Date(row.expires_at) }
      },

      async delete(id) {
        await db.deleteFrom('admin_sessions').where('id', '=', id).execute()
      },

      async purgeExpired(at) {
        const result = await db
          .deleteFrom('admin_sessions')
          .where('expires_at', '<=', iso(at))
          .executeTakeFirst()
        return Number(result.numDeletedRows)
      },
    },

    tenants: {
      async count() {
        const row = await db
          .selectFrom('tenants')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        return Number(row.n)
      },

      async create({ id, domains, settings }) {
        const at = iso(now())
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('tenants')
            .values({ id, settings: json(settings), created_at: at, updated_at: at })
            .execute()
          for (const domain of domains) {
            await trx
              .insertInto('tenant_domains')
              .values({ domain: domain.toLowerCase(), tenant_id: id })
              .execute()
          }
        })
        return {
          id,
          domains: domains.map((d) => d.toLowerCase()).sort(),
          settings,
          createdAt: new Date(at),
        }
      },

      async get(id) {
        const row = await db
          .selectFrom('tenants')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? tenantFromRow(row) : undefined
      },

      async forHost(host) {
        const domain = await db
          .selectFrom('tenant_domains')
          .select('tenant_id')
          .where('domain', '=', host.toLowerCase())
          .executeTakeFirst()
        if (domain) return store.tenants.get(domain.tenant_id)
        const rows = await db.selectFrom('tenants').selectAll().limit(2).execute()
        return rows.length === 1 && rows[0] ? tenantFromRow(rows[0]) : undefined
      },

      async updateSettings(id, settings) {
        const result = await db
          .updateTable('tenants')
          .set({ settings: json(settings), updated_at: iso(now()) })
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numUpdatedRows > 0n ? store.tenants.get(id) : undefined
      },
    },

    resourceServers: {
      async create(tenantId, server: NewResourceServer) {
        const at = iso(now())
        const row = {
          tenant_id: tenantId,
          id: server.id,
          identifier: server.identifier,
          name: server.name,
          scopes: json(server.scopes),
          enforce_policies: bit(server.enforcePolicies),
          allow_offline_access: bit(server.allowOfflineAccess),
          skip_consent_for_verifiable_first_party_clients: bit(
            server.skipConsentForVerifiableFirstPartyClients,
          ),
          token_dialect: server.tokenDialect,
          token_lifetime: server.tokenLifetime,
          signing_alg: server.signingAlg,
          is_system: bit(server.isSystem),
          created_at: at,
          updated_at: at,
        }
        await conflictAs('A resource server with the same identifier already exists', () =>
          db.insertInto('resource_servers').values(row).execute(),
        )
        return toResourceServer(row)
      },

      async find(tenantId, idOrIdentifier) {
        const rows = await db
          .selectFrom('resource_servers')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where((eb) =>
            eb.or([eb('id', '=', idOrIdentifier), eb('identifier', '=', idOrIdentifier)]),
          )
          .execute()
        const row = rows.find((r) => r.id === idOrIdentifier) ?? rows[0]
        return row ? toResourceServer(row) : undefined
      },

      async list(tenantId, page) {
        const result = await paged(
          db
            .selectFrom('resource_servers')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .orderBy('created_at')
            .orderBy('id'),
          page,
        )
        return { items: result.items.map(toResourceServer), total: result.total }
      },

      async update(tenantId, id, changes) {
        return db.transaction().execute(async (trx) => {
          const current = await trx
            .selectFrom('resource_servers')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .where('id', '=', id)
            .executeTakeFirst()
          if (!current) return undefined
          const set: Partial<Row<'resource_servers'>> = { updated_at: iso(now()) }
          if (changes.name !== undefined) set.name = changes.name
          if (changes.scopes !== undefined) set.scopes = json(changes.scopes)
          if (changes.enforcePolicies !== undefined)
            set.enforce_policies = bit(changes.enforcePolicies)
          if (changes.allowOfflineAccess !== undefined)
            set.allow_offline_access = bit(changes.allowOfflineAccess)
          if (changes.skipConsentForVerifiableFirstPartyClients !== undefined) {
            set.skip_consent_for_verifiable_first_party_clients = bit(
              changes.skipConsentForVerifiableFirstPartyClients,
            )
          }
          if (changes.tokenDialect !== undefined) set.token_dialect = changes.tokenDialect
          if (changes.tokenLifetime !== undefined) set.token_lifetime = changes.tokenLifetime
          if (changes.signingAlg !== undefined) set.signing_alg = changes.signingAlg
          await trx.updateTable('resource_servers').set(set).where('id', '=', id).execute()
          if (changes.scopes !== undefined) {
            // A permission names a scope of the API; with the scope gone, so is the permission.
            const kept = changes.scopes.map((scope) => scope.value)
            for (const table of ['user_permissions', 'role_permissions'] as const) {
              let removal = trx
                .deleteFrom(table)
                .where('tenant_id', '=', tenantId)
                .where('resource_server_identifier', '=', current.identifier)
              if (kept.length > 0) removal = removal.where('permission_name', 'not in', kept)
              await removal.execute()
            }
          }
          return toResourceServer({ ...current, ...set })
        })
      },

      async delete(tenantId, id) {
        return db.transaction().execute(async (trx) => {
          const current = await trx
            .selectFrom('resource_servers')
            .select('identifier')
            .where('tenant_id', '=', tenantId)
            .where('id', '=', id)
            .executeTakeFirst()
          if (!current) return false
          for (const table of ['user_permissions', 'role_permissions'] as const) {
            await trx
              .deleteFrom(table)
              .where('tenant_id', '=', tenantId)
              .where('resource_server_identifier', '=', current.identifier)
              .execute()
          }
          await trx.deleteFrom('resource_servers').where('id', '=', id).execute()
          return true
        })
      },
    },

    clients: {
      async create(tenantId, client: NewClient) {
        const at = iso(now())
        const row = {
          tenant_id: tenantId,
          client_id: client.clientId,
          name: client.name,
          description: client.description,
          logo_uri: client.logoUri,
          is_first_party: bit(client.isFirstParty),
          callbacks: json(client.callbacks),
          app_type: client.appType,
          created_at: at,
          updated_at: at,
        }
        await conflictAs('A client with the same client_id already exists', () =>
          db.insertInto('clients').values(row).execute(),
        )
        return toClient(row)
      },

      async list(tenantId, page) {
        const result = await paged(
          db
            .selectFrom('clients')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .orderBy('created_at')
            .orderBy('client_id'),
          page,
        )
        return { items: result.items.map(toClient), total: result.total }
      },

      async update(tenantId, clientId, changes) {
        const set: Partial<Row<'clients'>> = { updated_at: iso(now()) }
        if (changes.name !== undefined) set.name = changes.name
        if (changes.description !== undefined) set.description = changes.description
        if (changes.logoUri !== undefined) set.logo_uri = changes.logoUri
        if (changes.isFirstParty !== undefined) set.is_first_party = bit(changes.isFirstParty)
        if (changes.callbacks !== undefined) set.callbacks = json(changes.callbacks)
        if (changes.appType !== undefined) set.app_type = changes.appType
        const result = await db
          .updateTable('clients')
          .set(set)
          .where('tenant_id', '=', tenantId)
          .where('client_id', '=', clientId)
          .executeTakeFirst()
        return result.numUpdatedRows > 0n ? store.clients.get(tenantId, clientId) : undefined
      },

      async delete(tenantId, clientId) {
        return db.transaction().execute(async (trx) => {
          const result = await trx
            .deleteFrom('clients')
            .where('tenant_id', '=', tenantId)
            .where('client_id', '=', clientId)
            .executeTakeFirst()
          // What a user granted this client goes with it.
          await trx
            .deleteFrom('grants')
            .where('tenant_id', '=', tenantId)
            .where('client_id', '=', clientId)
            .execute()
          return result.numDeletedRows > 0n
        })
      },

      async get(tenantId, clientId) {
        const row = await db
          .selectFrom('clients')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('client_id', '=', clientId)
          .executeTakeFirst()
        return row ? toClient(row) : undefined
      },
    },

    users: {
      async remember(tenantId, user) {
        await rememberUser(db, iso(now()), tenantId, user)
      },

      async get(tenantId, userId): Promise<User | undefined> {
        const row = await db
          .selectFrom('users')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
        return row
          ? {
              userId: row.user_id,
              name: row.name,
              email: row.email,
              createdAt: new Date(row.created_at),
              lastSeenAt: new Date(row.last_seen_at),
            }
          : undefined
      },
    },

    roles: {
      async create(tenantId, role) {
        await conflictAs('A role with the same name already exists', () =>
          db
            .insertInto('roles')
            .values({ tenant_id: tenantId, ...role, created_at: iso(now()) })
            .execute(),
        )
        return role
      },

      async get(tenantId, id) {
        const row = await db
          .selectFrom('roles')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toRole(row) : undefined
      },

      async list(tenantId, page, nameFilter) {
        let query = db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId)
        if (nameFilter) {
          // Case-insensitive, with the same escape character on SQLite and PostgreSQL.
          const pattern = `%${nameFilter.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
          query = query.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`)
        }
        const result = await paged(query.orderBy('name').orderBy('id'), page)
        return { items: result.items.map(toRole), total: result.total }
      },

      async update(tenantId, id, changes) {
        const current = await store.roles.get(tenantId, id)
        if (!current) return undefined
        const next = { ...current, ...changes }
        await conflictAs('A role with the same name already exists', () =>
          db
            .updateTable('roles')
            .set({ name: next.name, description: next.description })
            .where('tenant_id', '=', tenantId)
            .where('id', '=', id)
            .execute(),
        )
        return next
      },

      async delete(tenantId, id) {
        const result = await db
          .deleteFrom('roles')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },

      async permissions(tenantId, id, page) {
        const result = await paged(
          db
            .selectFrom('role_permissions')
            .select(['resource_server_identifier', 'permission_name'])
            .where('tenant_id', '=', tenantId)
            .where('role_id', '=', id)
            .orderBy('resource_server_identifier')
            .orderBy('permission_name'),
          page,
        )
        return {
          items: result.items.map((row) => ({
            resourceServerIdentifier: row.resource_server_identifier,
            permissionName: row.permission_name,
          })),
          total: result.total,
        }
      },

      async addPermissions(tenantId, id, permissions) {
        if (permissions.length === 0) return
        await db
          .insertInto('role_permissions')
          .values(
            permissions.map((p) => ({
              tenant_id: tenantId,
              role_id: id,
              resource_server_identifier: p.resourceServerIdentifier,
              permission_name: p.permissionName,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute()
      },

      async removePermissions(tenantId, id, permissions) {
        await db.transaction().execute(async (trx) => {
          for (const p of permissions) {
            await trx
              .deleteFrom('role_permissions')
              .where('tenant_id', '=', tenantId)
              .where('role_id', '=', id)
              .where('resource_server_identifier', '=', p.resourceServerIdentifier)
              .where('permission_name', '=', p.permissionName)
              .execute()
          }
        })
      },

      async users(tenantId, id, page) {
        const result = await paged(
          db
            .selectFrom('user_roles')
            .leftJoin('users', (join) =>
              join
                .onRef('users.tenant_id', '=', 'user_roles.tenant_id')
                .onRef('users.user_id', '=', 'user_roles.user_id'),
            )
            .select(['user_roles.user_id', 'users.name', 'users.email'])
            .where('user_roles.tenant_id', '=', tenantId)
            .where('user_roles.role_id', '=', id)
            .orderBy('user_roles.user_id'),
          page,
        )
        return {
          items: result.items.map((row) => ({
            userId: row.user_id,
            name: row.name ?? null,
            email: row.email ?? null,
          })),
          total: result.total,
        }
      },

      async addUsers(tenantId, id, userIds) {
        if (userIds.length === 0) return
        await db
          .insertInto('user_roles')
          .values(userIds.map((userId) => ({ tenant_id: tenantId, user_id: userId, role_id: id })))
          .onConflict((oc) => oc.doNothing())
          .execute()
      },
    },

    userRoles: {
      async list(tenantId, userId, page) {
        const result = await paged(
          db
            .selectFrom('user_roles')
            .innerJoin('roles', 'roles.id', 'user_roles.role_id')
            .select(['roles.id', 'roles.name', 'roles.description'])
            .where('user_roles.tenant_id', '=', tenantId)
            .where('user_roles.user_id', '=', userId)
            .orderBy('roles.name')
            .orderBy('roles.id'),
          page,
        )
        return result
      },

      async add(tenantId, userId, roleIds) {
        if (roleIds.length === 0) return
        await db
          .insertInto('user_roles')
          .values(
            roleIds.map((roleId) => ({ tenant_id: tenantId, user_id: userId, role_id: roleId })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute()
      },

      async remove(tenantId, userId, roleIds) {
        if (roleIds.length === 0) return
        await db
          .deleteFrom('user_roles')
          .where('tenant_id', '=', tenantId)
          .where('user_id', '=', userId)
          .where('role_id', 'in', roleIds)
          .execute()
      },
    },

    permissions: {
      async grantToUser(tenantId, userId, audience, names) {
        if (names.length === 0) return
        await db
          .insertInto('user_permissions')
          .values(
            names.map((name) => ({
              tenant_id: tenantId,
              user_id: userId,
              resource_server_identifier: audience,
              permission_name: name,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute()
      },

      async removeFromUser(tenantId, userId, permissions) {
        await db.transaction().execute(async (trx) => {
          for (const p of permissions) {
            await trx
              .deleteFrom('user_permissions')
              .where('tenant_id', '=', tenantId)
              .where('user_id', '=', userId)
              .where('resource_server_identifier', '=', p.resourceServerIdentifier)
              .where('permission_name', '=', p.permissionName)
              .execute()
          }
        })
      },

      async ofUser(tenantId, userId, page) {
        const [direct, fromRoles] = await Promise.all([
          db
            .selectFrom('user_permissions')
            .select(['resource_server_identifier', 'permission_name'])
            .where('tenant_id', '=', tenantId)
            .where('user_id', '=', userId)
            .execute(),
          db
            .selectFrom('user_roles')
            .innerJoin('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
            .innerJoin('roles', 'roles.id', 'user_roles.role_id')
            .select([
              'role_permissions.resource_server_identifier',
              'role_permissions.permission_name',
              'roles.id as role_id',
              'roles.name as role_name',
            ])
            .where('user_roles.tenant_id', '=', tenantId)
            .where('user_roles.user_id', '=', userId)
            .orderBy('roles.name')
            .execute(),
        ])
        const byKey = new Map<
          string,
          { ref: PermissionRef; sources: UserPermission['sources'][number][] }
        >()
        const entry = (identifier: string, name: string) => {
          const key = `${identifier}\u0000${name}`
          let found = byKey.get(key)
          if (!found) {
            found = {
              ref: { resourceServerIdentifier: identifier, permissionName: name },
              sources: [],
            }
            byKey.set(key, found)
          }
          return found
        }
        for (const row of direct)
          entry(row.resource_server_identifier, row.permission_name).sources.push({
            type: 'DIRECT',
          })
        for (const row of fromRoles) {
          entry(row.resource_server_identifier, row.permission_name).sources.push({
            type: 'ROLE',
            roleId: row.role_id,
            roleName: row.role_name,
          })
        }
        const all = [...byKey.values()]
          .map(({ ref, sources }) => ({ ...ref, sources }))
          .sort(
            (a, b) =>
              a.resourceServerIdentifier.localeCompare(b.resourceServerIdentifier) ||
              a.permissionName.localeCompare(b.permissionName),
          )
        return pageOf(all, page)
      },

      async namesFor(tenantId, userId, audience) {
        const rows = await db
          .selectFrom('user_permissions')
          .select('permission_name')
          .where('tenant_id', '=', tenantId)
          .where('user_id', '=', userId)
          .where('resource_server_identifier', '=', audience)
          .union(
            db
              .selectFrom('user_roles')
              .innerJoin('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
              .select('role_permissions.permission_name')
              .where('user_roles.tenant_id', '=', tenantId)
              .where('user_roles.user_id', '=', userId)
              .where('role_permissions.resource_server_identifier', '=', audience),
          )
          .execute()
        return new Set(rows.map((row) => row.permission_name))
      },
    },

    grants: {
      async find(tenantId, userId, clientId, audience) {
        const row = await db
          .selectFrom('grants')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('user_id', '=', userId)
          .where('client_id', '=', clientId)
          .where('audience', '=', audience)
          .executeTakeFirst()
        return row ? toGrant(row) : undefined
      },

      async list(tenantId, filter, page) {
        let query = db.selectFrom('grants').selectAll().where('tenant_id', '=', tenantId)
        if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId)
        if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId)
        if (filter.audience !== undefined) query = query.where('audience', '=', filter.audience)
        const result = await paged(query.orderBy('created_at').orderBy('id'), page)
        return { items: result.items.map(toGrant), total: result.total }
      },

      async merge(tenantId, userId, clientId, audience, scopes) {
        return db
          .transaction()
          .execute((trx) =>
            mergeGrant(trx, lockRows, iso(now()), { tenantId, userId, clientId, audience }, scopes),
          )
      },

      async delete(tenantId, id) {
        const result = await db
          .deleteFrom('grants')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },

      async deleteForUser(tenantId, userId) {
        const result = await db
          .deleteFrom('grants')
          .where('tenant_id', '=', tenantId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
        return Number(result.numDeletedRows)
      },
    },

    consentRequests: {
      async create(request: NewConsentRequest, user) {
        await batched(async (trx) => {
          if (user)
            await rememberUser(trx, iso(request.createdAt), request.tenantId, {
              userId: request.userId,
              ...user,
            })
          await trx
            .insertInto('consent_requests')
            .values({
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
              answered_at: request.status === 'pending' ? null : iso(request.createdAt),
            })
            .execute()
        })
        return { ...request, answeredAt: request.status === 'pending' ? null : request.createdAt }
      },

      answer(tenantId, id, answer) {
        return batched((trx) => answerIn(trx, lockRows, tenantId, id, answer))
      },

      async get(tenantId, id) {
        const row = await db
          .selectFrom('consent_requests')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toConsentRequest(row) : undefined
      },
    },
  }
  return store
}

export type { Client, ConsentRequest, Grant, ResourceServer, Tenant }
