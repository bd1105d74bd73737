import type { Context } from 'hono'
import type { Actor, AdminSession, Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'

/** What the request context carries (hono `Variables`), set by the middleware. */
export interface AppEnv {
  Variables: {
    requestId: string
    /** The client's address, through trusted proxies (DESIGN §6), once `clientAddressOf` asked. */
    clientAddress: string | undefined
    /** How to find the client's address (see `clientAddressOf`). */
    resolveAddress: (c: Context<AppEnv>) => string
    /** The headers every response carries (DESIGN §6), lower-case names. */
    defaultHeaders: Readonly<Record<string, string>>
    tenant: Tenant
    /** The locale a page was negotiated in, so an error page thrown later speaks it too. */
    locale: string | undefined
    /** The page's translator, in that locale. */
    tr: Translator
    /** Scopes of the Management API caller; `all` for the static admin token. */
    scopes: ReadonlySet<string> | 'all'
    /**
     * Who makes the changes the request asks for (the audit trail's actor): the Management API's
     * caller, or the admin signed in to the console.
     */
    actor: Actor
    /** The signed-in admin, on `/admin/*` pages. */
    admin: AdminSession
    /** The raw value of the admin session cookie (the store keeps only its hash). */
    adminCookie: string
  }
}
