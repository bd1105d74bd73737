import type {
  AdminSession,
  AuditEntry,
  Client,
  ClientChanges,
  ClientFilter,
  ConsentRequest,
  Grant,
  NewClient,
  NewConsentRequest,
  NewResourceServer,
  Page,
  Paged,
  PermissionRef,
  PortalSession,
  Receipt,
  ReceiptKey,
  ResourceServer,
  ResourceServerChanges,
  Role,
  ShownPage,
  StatCount,
  Tenant,
  TenantSettings,
  User,
  UserPermission,
} from '../entities.js'

export type * from './port-types.js'
export type { WebhookPort } from './port-webhooks.js'

import type { AnswerOutcome, ConsentAnswer, SideEffects, VerifyOutcome } from './port-types.js'
import type { WebhookPort } from './port-webhooks.js'

export type { Page, Paged } from '../entities.js'

/**
 * Everything Assent keeps. One interface, one contract test suite (test/store), several engines.
 * Every method that reads or writes tenant data takes the tenant id first.
 */
export interface Store {
  /** Runs pending migrations; safe to call from several instances at once. */
  migrate(): Promise<void>
  /**
   * Runs `work` while no other instance sharing this store runs work under the same `name`
   * (a PostgreSQL advisory lock; SQLite serves one process, so it just runs).
   */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>
  close(): Promise<void>
  /** Whether the store answers a trivial query (readiness). */
  ping(): Promise<boolean>
  /**
   * Called once per request before reading configuration: makes what other instances wrote
   * visible to this one (a no-op where nothing is cached or one process owns the store).
   */
  sync(): Promise<void>
  /**
   * Changes whenever configuration may have changed (here, or on another instance as of the last
   * `sync`): what is cached under one value may be reused until it moves on. A store that keeps
   * nothing answers a new value every time.
   */
  configEpoch(): string

  meta: {
    get(key: string): Promise<string | undefined>
    set(key: string, value: string): Promise<void>
  }

  /** Named secrets shared by every instance (for example the key that signs CSRF tokens). */
  keys: {
    /** Returns the stored secret, or stores `create()`'s if none exists yet (the first writer wins). */
    getOrCreate(id: string, create: () => string): Promise<string>
  }

  adminSessions: {
    create(session: AdminSession, at: Date): Promise<void>
    /** The session if it exists and has not expired at `at`. */
    get(id: string, at: Date): Promise<AdminSession | undefined>
    delete(id: string): Promise<void>
    /** Removes sessions expired at `at`; returns how many. */
    purgeExpired(at: Date): Promise<number>
  }

  /** The audit trail: appended to, never changed. */
  auditLog: {
    record(entry: AuditEntry): Promise<void>
    /** Newest first. */
    list(tenantId: string, page: Page): Promise<Paged<AuditEntry>>
  }

  tenants: {
    count(): Promise<number>
    create(tenant: { id: string; domains: string[]; settings: TenantSettings }): Promise<Tenant>
    get(id: string): Promise<Tenant | undefined>
    /** The tenant that has `host` (any case) among its domains. */
    forHost(host: string): Promise<Tenant | undefined>
    /** The tenant when there is exactly one; `undefined` when there are none or several. */
    only(): Promise<Tenant | undefined>
    updateSettings(id: string, settings: TenantSettings): Promise<Tenant | undefined>
  }

  resourceServers: {
    /** Throws `ConflictError` when the identifier is taken in this tenant. */
    create(tenantId: string, server: NewResourceServer): Promise<ResourceServer>
    /** By `id`, or else by `identifier` (the audience). */
    find(tenantId: string, idOrIdentifier: string): Promise<ResourceServer | undefined>
    list(tenantId: string, page: Page): Promise<Paged<ResourceServer>>
    /**
     * Applies the changes; `scopes` replaces the whole list, and permissions (of users and roles)
     * on scopes no longer defined go with them, in the same transaction.
     */
    update(
      tenantId: string,
      id: string,
      changes: ResourceServerChanges,
    ): Promise<ResourceServer | undefined>
    /** Removes the API and every permission on it. */
    delete(tenantId: string, id: string): Promise<boolean>
  }

  /** Client ids are unique per tenant, not across tenants (DESIGN §6). */
  clients: {
    /** Throws `ConflictError` when the client id is taken in this tenant. */
    create(tenantId: string, client: NewClient): Promise<Client>
    get(tenantId: string, clientId: string): Promise<Client | undefined>
    list(tenantId: string, page: Page, filter?: ClientFilter): Promise<Paged<Client>>
    update(tenantId: string, clientId: string, changes: ClientChanges): Promise<Client | undefined>
    /**
     * Removes the client with its grants and its consent requests, in one transaction (DESIGN
     * §3.2): its requests can no longer be answered, and a client created again with the same id
     * starts with no grants.
     */
    delete(tenantId: string, clientId: string): Promise<boolean>
  }

  roles: {
    /** Throws `ConflictError` when the name is taken in this tenant. */
    create(tenantId: string, role: Role): Promise<Role>
    get(tenantId: string, id: string): Promise<Role | undefined>
    list(tenantId: string, page: Page, nameFilter?: string): Promise<Paged<Role>>
    update(
      tenantId: string,
      id: string,
      changes: Partial<Omit<Role, 'id'>>,
    ): Promise<Role | undefined>
    delete(tenantId: string, id: string): Promise<boolean>
    permissions(tenantId: string, id: string, page: Page): Promise<Paged<PermissionRef>>
    addPermissions(
      tenantId: string,
      id: string,
      permissions: readonly PermissionRef[],
    ): Promise<void>
    removePermissions(
      tenantId: string,
      id: string,
      permissions: readonly PermissionRef[],
    ): Promise<void>
    users(
      tenantId: string,
      id: string,
      page: Page,
    ): Promise<Paged<Pick<User, 'userId' | 'name' | 'email'>>>
    /** Assigns the role to each user (assigning twice is no change). */
    addUsers(tenantId: string, id: string, userIds: readonly string[]): Promise<void>
  }

  users: {
    /** Records the user as last seen in a consent request. */
    remember(
      tenantId: string,
      user: { userId: string; name: string | null; email: string | null },
    ): Promise<void>
    get(tenantId: string, userId: string): Promise<User | undefined>
    /**
     * Users seen, most recently seen first; `search` matches any part of the id, name or email,
     * whatever its case.
     */
    list(tenantId: string, page: Page, search?: string): Promise<Paged<User>>
    /**
     * The right to erasure (DESIGN §3.6): every grant, request, receipt, permission, role
     * assignment, portal session and webhook event about the user, and the user.
     */
    erase(tenantId: string, userId: string): Promise<void>
  }

  permissions: {
    grantToUser(
      tenantId: string,
      userId: string,
      audience: string,
      names: readonly string[],
    ): Promise<void>
    removeFromUser(
      tenantId: string,
      userId: string,
      permissions: readonly PermissionRef[],
    ): Promise<void>
    /** Permission names the user holds on the API, directly or through any of their roles. */
    namesFor(tenantId: string, userId: string, audience: string): Promise<Set<string>>
    /** Every permission of the user, each with its sources, ordered by API then name. */
    ofUser(tenantId: string, userId: string, page: Page): Promise<Paged<UserPermission>>
  }

  userRoles: {
    list(tenantId: string, userId: string, page: Page): Promise<Paged<Role>>
    add(tenantId: string, userId: string, roleIds: readonly string[]): Promise<void>
    remove(tenantId: string, userId: string, roleIds: readonly string[]): Promise<void>
  }

  grants: {
    find(
      tenantId: string,
      userId: string,
      clientId: string,
      audience: string,
    ): Promise<Grant | undefined>
    list(
      tenantId: string,
      filter: {
        userId?: string | undefined
        clientId?: string | undefined
        audience?: string | undefined
      },
      page: Page,
    ): Promise<Paged<Grant>>
    /** Adds `scopes` to the user's grant for this client and API, creating it if needed; no scope is lost to a concurrent merge. */
    merge(
      tenantId: string,
      userId: string,
      clientId: string,
      audience: string,
      scopes: readonly string[],
    ): Promise<Grant>
    /**
     * Adds `scopes` to the user's grant at the given versions, with `effects` (the import's
     * receipt), in one transaction (DESIGN §4.2.1).
     */
    import(
      tenantId: string,
      key: { userId: string; clientId: string; audience: string },
      scopes: readonly string[],
      versions: Readonly<Record<string, number>>,
      effects: SideEffects,
    ): Promise<Grant>
    /** Removes the grant; `effects` says what its removal carries (DESIGN §3.8 `grant.deleted`). */
    delete(
      tenantId: string,
      id: string,
      effects?: (grants: readonly Grant[]) => SideEffects,
    ): Promise<boolean>
    deleteForUser(
      tenantId: string,
      userId: string,
      effects?: (grants: readonly Grant[]) => SideEffects,
    ): Promise<number>
    /** Removes the user's grants to one client (every audience) with `effects`; how many. */
    revoke(
      tenantId: string,
      userId: string,
      clientId: string,
      effects: (grants: readonly Grant[]) => SideEffects,
    ): Promise<number>
  }

  receipts: {
    get(tenantId: string, id: string): Promise<Receipt | undefined>
    list(
      tenantId: string,
      filter: { userId?: string | undefined; clientId?: string | undefined },
      page: Page,
    ): Promise<Paged<Receipt>>
  }

  receiptKeys: {
    /** Every key of the tenant, newest first: the first signs, all verify. */
    list(tenantId: string): Promise<ReceiptKey[]>
    add(tenantId: string, key: ReceiptKey): Promise<void>
  }

  webhooks: WebhookPort

  stats: {
    /** Adds to the counts of the day of `at`. */
    add(tenantId: string, counts: readonly Omit<StatCount, 'day'>[], at: Date): Promise<void>
    /** Every count from `fromDay` to `toDay` (`YYYY-MM-DD`, inclusive). */
    range(tenantId: string, fromDay: string, toDay: string): Promise<StatCount[]>
  }

  portalSessions: {
    create(session: PortalSession): Promise<void>
    /**
     * Uses a single-use link and stores the session `open` makes of it, in one transaction; the
     * link is kept, used, naming that session, while it lasts. `undefined` (and nothing written)
     * when the link is unknown, another tenant's, used or expired; of two racing uses one gets
     * the session.
     */
    use(
      tenantId: string,
      id: string,
      at: Date,
      open: (link: PortalSession) => PortalSession,
    ): Promise<PortalSession | undefined>
    /** A link, used or not, while it lasts. */
    link(id: string, at: Date): Promise<PortalSession | undefined>
    /** A session while it lasts. */
    get(id: string, at: Date): Promise<PortalSession | undefined>
    delete(id: string): Promise<void>
  }

  consentRequests: {
    /** Stores the request, and remembers `user` as last seen, in one transaction. */
    create(
      request: NewConsentRequest,
      user?: { name: string | null; email: string | null },
    ): Promise<ConsentRequest>
    /**
     * The request; with `latest`, as the database holds it now, never a copy kept in memory that
     * another instance's write may have left behind (what a verify or the status an AS reads
     * depends on).
     */
    get(
      tenantId: string,
      id: string,
      read?: { readonly latest?: boolean },
    ): Promise<ConsentRequest | undefined>
    /**
     * Answers a pending, unexpired request, once: of two racing answers exactly one is
     * `answered`. Nothing is granted yet (DESIGN §3.2).
     */
    answer(
      tenantId: string,
      id: string,
      answer: ConsentAnswer,
      /**
       * The request as it stands, when the caller knows it (the caching store's copy, through
       * which every write to it went): the answered request is then built from it, not read back.
       */
      asRead?: ConsentRequest,
    ): Promise<AnswerOutcome>
    /**
     * Binds the request to a browser unless it is bound already, recording `shown` as its first
     * render when this call binds it, and counting that view (the `shown` metric of its client,
     * on the day of `shown.at`) in the same commit; the request as it now stands. A call that
     * finds the request bound already counts nothing.
     */
    bind(
      tenantId: string,
      id: string,
      bindingHash: string,
      shown: ShownPage,
    ): Promise<ConsentRequest | undefined>
    /**
     * Records `shown` as the latest render of a pending request (DESIGN §3.2.2); the request as
     * it now stands (unchanged when it is no longer pending), `undefined` when it is gone.
     */
    show(tenantId: string, id: string, shown: ShownPage): Promise<ConsentRequest | undefined>
    /**
     * Marks an answered request verified, once, merging `scopes` into the user's grant in the same
     * transaction; of two racing verifies one is `verified`.
     */
    verify(
      tenantId: string,
      id: string,
      at: Date,
      scopes: readonly string[] | null,
      /** The version of each granted scope the user was shown (DESIGN §3.5.1). */
      versions?: Readonly<Record<string, number>>,
      /** Written only by the call that marks it verified. */
      effects?: SideEffects,
    ): Promise<VerifyOutcome>
    /**
     * Removes, across tenants, the requests answered before `before` and the unanswered ones
     * that expired before it (DESIGN §3.4); returns how many. Purging twice removes nothing more.
     */
    purge(before: Date): Promise<number>
  }
}
