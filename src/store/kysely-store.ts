import { type Kysely, Migrator, type Selectable } from 'kysely'
import type { ApiScope, TokenDialect } from '../consent/index.js'
import { migrations } from './migrations/index.js'
import type {
  Client,
  ConsentRequest,
  ConsentStatus,
  Grant,
  NewClient,
  NewConsentRequest,
  NewResourceServer,
  ResourceServer,
  Store,
  Tenant,
  TenantSettings,
  User,
} from './port.js'
import type { Database } from './schema.js'

type Row<T extends keyof Database> = Selectable<Database[T]>

const json = (value: unknown): string => JSON.stringify(value)
const list = (text: string): string[] => JSON.parse(text) as string[]
const iso = (date: Date): string => date.toISOString()
const bit = (value: boolean): number => (value ? 1 : 0)

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

  const store: Store = {
    async migrate() {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
      const { error, results } = await migrator.migrateToLatest()
      if (error) {
        const failed = results?.find((result) => result.status === 'Error')?.migrationName
        throw new Error(`migration ${failed ?? ''} failed: ${String(error)}`, { cause: error })
      }
    },

    async close() {
      await db.destroy()
    },

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
        await db.insertInto('resource_servers').values(row).execute()
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

      async list(tenantId, { page, perPage }) {
        const [rows, total] = await Promise.all([
          db
            .selectFrom('resource_servers')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .orderBy('created_at')
            .orderBy('id')
            .limit(perPage)
            .offset(page * perPage)
            .execute(),
          db
            .selectFrom('resource_servers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenant_id', '=', tenantId)
            .executeTakeFirstOrThrow(),
        ])
        return { items: rows.map(toResourceServer), total: Number(total.n) }
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
        await db.insertInto('clients').values(row).execute()
        return toClient(row)
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
        const at = iso(now())
        await db
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
    },

    consentRequests: {
      async create(request: NewConsentRequest) {
        await db
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
        return { ...request, answeredAt: request.status === 'pending' ? null : request.createdAt }
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
