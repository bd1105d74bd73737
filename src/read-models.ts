import type { Client, ResourceServer } from './entities.js'

// What services hand to presenters for the console and the connected-apps page: plain data, read
// from the store and shaped for a page, never stored as such.

/** One API's part of a grant, as the page lists it. */
export interface GrantedAccess {
  readonly api: ResourceServer | null
  /** In prompt order, only what the API still defines. */
  readonly scopes: readonly string[]
}

/** A client the user granted something to, with what and since when. */
export interface ConnectedApp {
  readonly client: Client
  readonly access: readonly GrantedAccess[]
  /** When the user first granted it anything. */
  readonly grantedAt: Date
  /** When the first of its grants stops counting (DESIGN §3.5.1); `null`: until removed. */
  readonly until: Date | null
}

export interface PortalPage {
  readonly apps: readonly ConnectedApp[]
  /** The client whose access was just removed, for the confirmation. */
  readonly removed: Client | null
}

export interface ClientInsight {
  readonly clientId: string
  readonly name: string
  readonly shown: number
  readonly accepted: number
  readonly declined: number
  /** Shown and never answered (closed, or left to expire). */
  readonly abandoned: number
  /** Per day, oldest first: `[shown, accepted, declined]`. */
  readonly days: readonly {
    readonly day: string
    readonly shown: number
    readonly answered: number
  }[]
}

export interface Insights {
  readonly from: string
  readonly to: string
  readonly clients: readonly ClientInsight[]
  /** With granular consent: the optional scopes users untick most, per client. */
  readonly unticked: readonly {
    readonly clientId: string
    readonly scope: string
    readonly count: number
  }[]
}

/** The Management API scopes a token or console session holds; `all` for the static token. */
export type GrantedScopes = ReadonlySet<string> | 'all'
