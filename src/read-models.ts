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
  /** Who the session is for, as the page names them ("Signed in as …"). */
  readonly user: string
  readonly apps: readonly ConnectedApp[]
  /** The client whose access was just removed, for the confirmation. */
  readonly removed: Client | null
}

/**
 * One day of one client's prompts. A day is settled once the last prompt shown on it has
 * expired (the day's end plus the request lifetime): only then is an unanswered prompt
 * abandoned; before, it is open.
 */
export interface InsightDay {
  readonly day: string
  readonly shown: number
  readonly accepted: number
  readonly declined: number
  readonly abandoned: number
  readonly open: number
}

export interface ClientInsight {
  readonly clientId: string
  readonly name: string
  readonly shown: number
  readonly accepted: number
  readonly declined: number
  /** Shown on a settled day and never answered: every prompt of that day has expired. */
  readonly abandoned: number
  /** Shown on a day not settled yet and not answered so far: it may still be answered. */
  readonly open: number
  /** Per day, oldest first. */
  readonly days: readonly InsightDay[]
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
