import {
  consentLifetime,
  grantExpiry,
  grantedInPromptOrder,
  isAllowedReturnTo,
  type PromptLine,
  promptLines,
  promptModeFor,
} from '../consent/index.js'
import { sha256 } from '../digest.js'
import type { Client, Grant, PortalSession, Receipt, Tenant } from '../entities.js'
import { AppError } from '../errors.js'
import { randomToken } from '../ids.js'
import type { ConnectedApp, GrantedAccess, PortalPage } from '../read-models.js'
import type { Store } from '../store/port.js'
import { newEvent } from './consent/evidence.js'
import { tenantBaseUrl } from './consent/open.js'
import type { ReceiptService } from './consent/receipts.js'

/** A portal link is single-use and valid 5 minutes; the session it opens, 30 (DESIGN §3.7). */
export const PORTAL_LINK_TTL_MS = 5 * 60 * 1000
export const PORTAL_SESSION_TTL_MS = 30 * 60 * 1000

/** What a portal link's page offers the browser that opened it (DESIGN §3.7). */
export type LinkVisit =
  /** A link not used yet: the page asks to continue. */
  | {
      readonly state: 'unused'
      readonly link: PortalSession
      /** Set when the browser is signed in as another user: who it is now, and who it becomes. */
      readonly switching: { readonly from: string; readonly to: string } | null
    }
  /** A link this browser used, whose session still lasts: it goes back to the page. */
  | { readonly state: 'reopened' }

/**
 * Connected apps (DESIGN §3.7): the AS asks for a single-use link for one user; opening it shows a
 * page whose same-origin "Continue" starts a short session for that user alone (a GET starts
 * none, so a link opened by another site's request never swaps the browser's session). In it
 * they see the clients they granted access to and take it back. A revocation deletes the grants,
 * writes a signed `revoke` receipt and queues `grant.revoked`, in one transaction.
 */
export interface PortalService {
  /** `POST /api/v2/users/{id}/portal-sessions`: the link to hand to the user's browser. */
  createLink(
    tenant: Tenant,
    userId: string,
    input: { returnTo?: string | undefined; uiLocales?: string | undefined },
  ): Promise<{ url: string; expiresAt: Date }>
  /**
   * What opening the link in the browser whose session cookie is `current` leads to; it uses
   * nothing up. 410 `portal_link_invalid` for a link expired, unknown, or used by another browser.
   */
  visit(tenant: Tenant, token: string | undefined, current: string | undefined): Promise<LinkVisit>
  /**
   * Uses the link (once) and starts a session; `previous`, the browser's old session, ends.
   * `null` when this browser used the link already and its session lasts. 410
   * `portal_link_invalid` as `visit`.
   */
  open(
    tenant: Tenant,
    token: string | undefined,
    previous: string | undefined,
  ): Promise<{ secret: string; session: PortalSession } | null>
  /** The session the cookie names, or 401 `portal_session_required`. */
  session(tenant: Tenant, secret: string | undefined): Promise<PortalSession>
  /** The clients the user granted something to, by name. */
  apps(tenant: Tenant, userId: string): Promise<ConnectedApp[]>
  page(tenant: Tenant, session: PortalSession, removedClientId?: string): Promise<PortalPage>
  /** Takes back everything the user granted `clientId`; 404 when they granted it nothing. */
  revoke(tenant: Tenant, session: PortalSession, clientId: string, locale: string): Promise<void>
  /** Every receipt about the user, newest first. */
  receipts(tenant: Tenant, session: PortalSession): Promise<Receipt[]>
}

export interface PortalDeps {
  readonly store: Store
  readonly now: () => Date
  readonly publicUrl: URL
  readonly receipts: ReceiptService
  /** Return URL prefixes of a tenant that sets none of its own. */
  readonly defaultReturnUrls: readonly string[]
  /** The lines as the user reads them in `locale`, for the receipt (DESIGN §3.6). */
  readonly lineText: (lines: readonly PromptLine[], locale: string) => string[]
}

/** Only the hash of a link or session secret is stored: a copy of the table opens nothing. */
const hashOf = (secret: string) => sha256(secret, 'base64url')
/** 256 random bits, base64url: what a link or a cookie carries. */
const SECRET = /^[A-Za-z0-9_-]{43}$/

const linkInvalid = () =>
  new AppError(410, 'portal_link_invalid', 'This link was already used, or it expired')
const sessionRequired = () =>
  new AppError(401, 'portal_session_required', 'Open this page from the app again')
const ALL = { page: 0, perPage: 100 }

/** When the first of a client's grants runs out, by its lifetime or the duration chosen. */
function firstExpiry(grants: readonly Grant[], lifetimeSeconds: number | null): Date | null {
  let first: Date | null = null
  for (const grant of grants) {
    const end = grantExpiry(grant.scope, grant.details, grant.updatedAt, lifetimeSeconds)
    if (end !== null && (first === null || end < first)) first = end
  }
  return first
}

export function createPortalService(deps: PortalDeps): PortalService {
  const { store } = deps

  async function allGrants(tenantId: string, userId: string, clientId?: string) {
    const grants: Grant[] = []
    for (let page = 0; ; page++) {
      const { items, total } = await store.grants.list(
        tenantId,
        { userId, clientId },
        { ...ALL, page },
      )
      grants.push(...items)
      if (items.length === 0 || grants.length >= total) return grants
    }
  }

  async function accessOf(tenant: Tenant, grants: readonly Grant[]): Promise<GrantedAccess[]> {
    return Promise.all(
      grants.map(async (grant) => {
        const api = grant.audience
          ? ((await store.resourceServers.find(tenant.id, grant.audience)) ?? null)
          : null
        return { api, scopes: grantedInPromptOrder(grant.scope, api) }
      }),
    )
  }

  async function apps(tenant: Tenant, userId: string): Promise<ConnectedApp[]> {
    const byClient = new Map<string, Grant[]>()
    for (const grant of await allGrants(tenant.id, userId))
      byClient.set(grant.clientId, [...(byClient.get(grant.clientId) ?? []), grant])
    const apps: ConnectedApp[] = []
    for (const [clientId, held] of byClient) {
      const client = await store.clients.get(tenant.id, clientId)
      if (!client) continue
      apps.push({
        client,
        access: await accessOf(tenant, held),
        grantedAt: new Date(Math.min(...held.map((grant) => grant.createdAt.getTime()))),
        until: firstExpiry(held, consentLifetime(client, tenant.settings)),
      })
    }
    return apps.sort((a, b) => a.client.name.localeCompare(b.client.name))
  }

  /**
   * The client a confirmation may name: one this user revoked and holds nothing of now, so a
   * crafted `?removed=` cannot make the page claim a removal that did not happen.
   */
  async function justRemoved(
    tenant: Tenant,
    session: PortalSession,
    connected: readonly ConnectedApp[],
    clientId: string | undefined,
  ): Promise<Client | null> {
    if (!clientId || connected.some((app) => app.client.clientId === clientId)) return null
    const { items } = await store.receipts.list(
      tenant.id,
      { userId: session.userId, clientId },
      ALL,
    )
    if (!items.some((receipt) => receipt.action === 'revoke')) return null
    return (await store.clients.get(tenant.id, clientId)) ?? null
  }

  /** The session a cookie names, in this tenant, while it lasts. */
  async function sessionOf(tenant: Tenant, secret: string | undefined) {
    if (!secret || !SECRET.test(secret)) return undefined
    const session = await store.portalSessions.get(hashOf(secret), deps.now())
    return session?.tenantId === tenant.id ? session : undefined
  }

  /** How the page names a user: as the AS last told us, or by id. */
  async function nameOf(tenant: Tenant, userId: string) {
    const user = await store.users.get(tenant.id, userId)
    return user?.name ?? user?.email ?? userId
  }

  async function visit(
    tenant: Tenant,
    token: string | undefined,
    current: string | undefined,
  ): Promise<LinkVisit> {
    if (!token || !SECRET.test(token)) throw linkInvalid()
    const link = await store.portalSessions.link(hashOf(token), deps.now())
    // A link for another tenant's user is no link here.
    if (!link || link.tenantId !== tenant.id) throw linkInvalid()
    const signedIn = await sessionOf(tenant, current)
    if (link.kind === 'used') {
      if (signedIn && signedIn.id === link.opened) return { state: 'reopened' }
      throw linkInvalid()
    }
    const switching =
      signedIn && signedIn.userId !== link.userId
        ? {
            from: await nameOf(tenant, signedIn.userId),
            to: await nameOf(tenant, link.userId),
          }
        : null
    return { state: 'unused', link, switching }
  }

  return {
    async createLink(tenant, userId, input) {
      if (input.returnTo !== undefined) {
        const allowed = tenant.settings.allowed_return_urls ?? deps.defaultReturnUrls
        if (!isAllowedReturnTo(input.returnTo, allowed))
          throw new AppError(
            400,
            'invalid_body',
            'return_to is not an allowed return URL of this tenant',
          )
      }
      const secret = randomToken(32)
      const expiresAt = new Date(deps.now().getTime() + PORTAL_LINK_TTL_MS)
      await store.portalSessions.create({
        id: hashOf(secret),
        tenantId: tenant.id,
        userId,
        kind: 'link',
        returnTo: input.returnTo ?? null,
        uiLocales: input.uiLocales ?? null,
        expiresAt,
        opened: null,
      })
      const url = new URL(`account/session/${secret}`, tenantBaseUrl(deps.publicUrl, tenant))
      return { url: url.href, expiresAt }
    },

    visit,

    async open(tenant, token, previous) {
      if (!token || !SECRET.test(token)) throw linkInvalid()
      const secret = randomToken(32)
      const at = deps.now()
      const session = await store.portalSessions.use(tenant.id, hashOf(token), at, (link) => ({
        ...link,
        id: hashOf(secret),
        kind: 'session',
        expiresAt: new Date(at.getTime() + PORTAL_SESSION_TTL_MS),
        opened: null,
      }))
      if (!session) {
        // A second press of "Continue" in the browser that used the link goes on to the page.
        if ((await visit(tenant, token, previous)).state === 'reopened') return null
        throw linkInvalid()
      }
      if (previous && SECRET.test(previous)) await store.portalSessions.delete(hashOf(previous))
      return { secret, session }
    },

    async session(tenant, secret) {
      const session = await sessionOf(tenant, secret)
      if (!session) throw sessionRequired()
      return session
    },

    apps,

    async page(tenant, session, removedClientId) {
      const [connected, user] = await Promise.all([
        apps(tenant, session.userId),
        nameOf(tenant, session.userId),
      ])
      return {
        user,
        apps: connected,
        removed: await justRemoved(tenant, session, connected, removedClientId),
      }
    },

    async revoke(tenant, session, clientId, locale) {
      const [client, grants] = await Promise.all([
        store.clients.get(tenant.id, clientId),
        allGrants(tenant.id, session.userId, clientId),
      ])
      if (!client || grants.length === 0)
        throw new AppError(404, 'inexistent_grant', 'This app has no access to take back')
      const at = deps.now()
      const mode = promptModeFor(tenant.settings.flags)
      const access = await accessOf(tenant, grants)
      // The receipt quotes what the user saw taken back: the granted lines, in their language.
      const lines = access.flatMap(({ api, scopes }) =>
        deps.lineText(promptLines(mode, scopes, api, locale), locale),
      )
      const audiences = [...new Set(grants.map((grant) => grant.audience))]
      const receipt = await deps.receipts.issue(
        tenant,
        {
          user_id: session.userId,
          client_id: client.clientId,
          client_name: client.name,
          audience: audiences.length === 1 && audiences[0] ? audiences[0] : null,
          action: 'revoke',
          // For a revocation: what was granted, and is no longer.
          granted_scopes: [...new Set(grants.flatMap((grant) => grant.scope))],
          declined_scopes: [],
          lines,
          locale,
          mode,
          shown_at: at.toISOString(),
          answered_at: at.toISOString(),
        },
        at,
      )
      // Written with the deletion or not at all; when another tab took it back first, nothing is
      // deleted and nothing written, which is still what the user asked for.
      await store.grants.revoke(tenant.id, session.userId, clientId, (gone) => ({
        receipt,
        events: [
          newEvent('grant.revoked', session.userId, {
            user_id: session.userId,
            client_id: clientId,
            grants: gone.map((grant) => ({
              grant_id: grant.id,
              audience: grant.audience,
              scope: [...grant.scope],
            })),
            receipt_id: receipt.id,
          }),
        ],
      }))
    },

    async receipts(tenant, session) {
      const receipts: Receipt[] = []
      for (let page = 0; ; page++) {
        const { items, total } = await store.receipts.list(
          tenant.id,
          { userId: session.userId },
          { ...ALL, page },
        )
        receipts.push(...items)
        if (items.length === 0 || receipts.length >= total) return receipts
      }
    },
  }
}
