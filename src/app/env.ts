import type { AdminSession, Tenant } from '../entities.js'
import type { Translator } from '../i18n/i18n.js'
import type { Actor } from '../services/audit.js'

/** What the request context carries (hono `Variables`), set by the middleware. */
export interface AppEnv {
  Variables: {
    requestId: string
    /** The client's address, through trusted proxies (DESIGN §6). */
    clientAddress: string
    tenant: Tenant
    /** The locale a page was negotiated in, so an error page thrown later speaks it too. */
    locale: string | undefined
    /** The page's translator, in that locale. */
    tr: Translator
    /** Origins the page's form may lead to (CSP `form-action`). */
    formActions: string[]
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
