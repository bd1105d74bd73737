import { effectiveLimit } from './duration.js'
import { isStandardScope, parseScope } from './scope.js'
import type { Api, ApiScope, ResourceLabels } from './types.js'

/**
 * What a grant remembers of one scope: the version the user was shown, when, and how long they
 * chose to allow it, in seconds, when the page offered a choice and they picked one (§3.5.1).
 */
export interface GrantedScope {
  readonly version: number
  readonly at: Date
  readonly duration?: number
}

/** The version of `scope` on the API now; standard scopes and unversioned ones are 1. */
export function scopeVersion(api: Api | null, scope: string): number {
  if (isStandardScope(scope)) return 1
  return api?.scopes.find((defined) => defined.value === scope)?.version ?? 1
}

export interface GrantInput {
  readonly scopes: readonly string[]
  /** Per scope; a scope missing here was granted at `grantedAt`, shown as version 1. */
  readonly details: Readonly<Record<string, GrantedScope>>
  readonly grantedAt: Date
  readonly api: Api | null
  /** `consent_lifetime` in seconds (client, else tenant); `null`: until revoked. */
  readonly lifetimeSeconds: number | null
  readonly now: Date
}

export interface CountingGrant {
  /** Granted scopes that still count: within their lifetime and shown as they read now. */
  readonly counted: string[]
  /** Granted, still within their lifetime, but reworded or re-created since: asked again. */
  readonly changed: string[]
}

/**
 * A scope's details in a grant, if it has its own: scope values are names an admin chose, and
 * `constructor` or `__proto__` would otherwise find what every object inherits.
 */
export function detailOf(
  details: Readonly<Record<string, GrantedScope>>,
  scope: string,
): GrantedScope | undefined {
  return Object.hasOwn(details, scope) ? details[scope] : undefined
}

/**
 * Which scopes of a grant still count (DESIGN §3.5.1): a scope granted longer ago than the
 * consent lifetime, or than the duration the user chose, no longer does, and neither does one whose version (its description, or its
 * having been removed and added back) is newer than the version the user agreed to.
 */
export function countingGrant(input: GrantInput): CountingGrant {
  const counted: string[] = []
  const changed: string[] = []
  for (const scope of input.scopes) {
    const detail: GrantedScope = detailOf(input.details, scope) ?? {
      version: 1,
      at: input.grantedAt,
    }
    const limit = effectiveLimit(input.lifetimeSeconds, detail.duration)
    if (limit !== null && input.now.getTime() - detail.at.getTime() >= limit * 1000) continue
    if (detail.version < scopeVersion(input.api, scope)) changed.push(scope)
    else counted.push(scope)
  }
  return { counted, changed }
}

/** 30 days: how long a self-registered app's grants count unless the tenant says otherwise. */
export const DEFAULT_DYNAMIC_CLIENT_CONSENT_LIFETIME = 2_592_000

/**
 * The consent lifetime a client's grants count for (DESIGN §3.5.1, §3.10), in seconds: the
 * client's own, else for a self-registered app the tenant's `dynamic_client_consent_lifetime`
 * (30 days unless set), else the tenant's `consent_lifetime`; `null`: until revoked. An app
 * nobody vetted gets no grant that lasts forever by default.
 */
export function consentLifetime(
  client: { readonly consentLifetime: number | null; readonly isDynamic?: boolean } | undefined,
  tenant: {
    readonly consent_lifetime?: number | undefined
    readonly dynamic_client_consent_lifetime?: number | undefined
  },
): number | null {
  if (client?.consentLifetime != null) return client.consentLifetime
  if (client?.isDynamic)
    return tenant.dynamic_client_consent_lifetime ?? DEFAULT_DYNAMIC_CLIENT_CONSENT_LIFETIME
  return tenant.consent_lifetime ?? null
}

/**
 * When a grant stops counting as a whole: the first moment one of its scopes runs out, each
 * after the lifetime or the duration the user chose for it; `null` when none ever does.
 */
export function grantExpiry(
  scopes: readonly string[],
  details: Readonly<Record<string, GrantedScope>>,
  grantedAt: Date,
  lifetimeSeconds: number | null,
): Date | null {
  let first: number | null = null
  for (const scope of scopes) {
    const detail = detailOf(details, scope)
    const limit = effectiveLimit(lifetimeSeconds, detail?.duration)
    if (limit === null) continue
    const end = (detail?.at ?? grantedAt).getTime() + limit * 1000
    if (first === null || end < first) first = end
  }
  return first === null ? null : new Date(first)
}

const sameText = (a: ApiScope, b: ApiScope) =>
  a.description === b.description &&
  JSON.stringify(Object.entries(a.descriptions ?? {}).sort()) ===
    JSON.stringify(Object.entries(b.descriptions ?? {}).sort())

/** A resource's labels in every locale, in one comparable text (locales sorted). */
function labelText(labels: ResourceLabels | undefined, resource: string): string {
  const perLocale = labels && Object.hasOwn(labels, resource) ? labels[resource] : undefined
  if (!perLocale) return ''
  return JSON.stringify(
    Object.keys(perLocale)
      .sort()
      .map((locale) => [locale, perLocale[locale]?.heading, perLocale[locale]?.noun]),
  )
}

/** An API's resource labels before and after a change, when the change touches them. */
export interface LabelChange {
  readonly before: ResourceLabels | undefined
  readonly after: ResourceLabels | undefined
}

/**
 * The versions of an API's scopes after a change (DESIGN §3.5.1): a new scope starts at 1; a
 * scope whose description changes in any locale, whose resource's label changes in any locale
 * (grouped lines read it), or that comes back after being removed (its last version is in
 * `known`), moves to the next version; the rest keep theirs.
 */
export function nextScopeVersions(
  previous: readonly ApiScope[],
  next: readonly ApiScope[],
  known: ReadonlyMap<string, number>,
  labels: LabelChange = { before: undefined, after: undefined },
): ApiScope[] {
  const before = new Map(previous.map((scope) => [scope.value, scope]))
  const relabelled = (value: string) => {
    const parsed = parseScope(value)
    return (
      parsed.kind === 'action' &&
      labelText(labels.before, parsed.resource) !== labelText(labels.after, parsed.resource)
    )
  }
  return next.map((scope) => {
    const old = before.get(scope.value)
    const last = old?.version ?? known.get(scope.value)
    const same = old !== undefined && sameText(old, scope) && !relabelled(scope.value)
    const version = last === undefined ? 1 : same ? last : last + 1
    return { ...scope, version }
  })
}
