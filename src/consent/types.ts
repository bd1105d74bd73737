/** Plain data the domain works on: what the store holds, with no storage or HTTP in it. */

import type { DetailType } from './authorization-details.js'
import type { TOKEN_DIALECTS } from './token-dialect.js'

export interface ApiScope {
  readonly value: string
  readonly description: string
  /** Per-locale descriptions, keyed by BCP 47 tag (DESIGN §4.2). */
  readonly descriptions?: Readonly<Record<string, string>>
  /** Bumped when the text changes or the scope is re-created (DESIGN §3.5.1); absent: 1. */
  readonly version?: number
}

/**
 * An API's own words for one of its resources in one locale (DESIGN §4.2), for grouped lines:
 * `heading` starts the line, `noun` is the object of the actions, written with its possessive and
 * in the form the locale's `line.labelled` sentence puts it (de `Ihre Nachrichten`, tr accusative
 * `mesajlarınızı`, cs genitive `vašich zpráv` after the verbal nouns `čtení a zápis`).
 *
 * Two fields are enough for every shipped locale, so none is added: each locale's sentence has
 * exactly one slot for the noun, and our action words are infinitives or verbal nouns, which do not
 * agree with their object in gender or number in any of these languages; so case, gender and
 * possessive all live in the one `noun` the admin writes for that locale, and there is no count to
 * inflect for. A language needing a second slot could add an optional field here.
 */
export interface ResourceLabel {
  readonly heading: string
  readonly noun: string
}

/** Resource (as in `read:<resource>`) → BCP 47 tag → label. */
export type ResourceLabels = Readonly<Record<string, Readonly<Record<string, ResourceLabel>>>>

export type TokenDialect = (typeof TOKEN_DIALECTS)[number]

export interface Api {
  readonly identifier: string
  readonly name: string
  readonly scopes: readonly ApiScope[]
  readonly enforcePolicies: boolean
  readonly allowOfflineAccess: boolean
  readonly skipConsentForVerifiableFirstPartyClients: boolean
  readonly tokenDialect: TokenDialect
  /** Per-locale words for its resources in grouped lines (DESIGN §4.2); absent: none. */
  readonly consentResources?: ResourceLabels
  /** The RFC 9396 detail types it accepts, with their words (DESIGN §3.9); absent: none. */
  readonly authorizationDetails?: readonly DetailType[]
}
