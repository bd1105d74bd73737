/** 30 days: how long a self-registered app's grants count unless the tenant says otherwise. */
export const DEFAULT_DYNAMIC_CLIENT_CONSENT_LIFETIME = 2_592_000

/**
 * The seconds a grant to `client` counts (DESIGN §3.5.1, §3.10): the client's own lifetime, else
 * for a self-registered app the tenant's `dynamic_client_consent_lifetime` (30 days unless set),
 * else the tenant's `consent_lifetime`; `null`: until revoked. An app nobody vetted gets no
 * grant that lasts forever by default.
 */
export function consentLifetimeFor(
  client: { readonly consentLifetime: number | null; readonly isDynamic: boolean },
  settings: {
    readonly consent_lifetime?: number | undefined
    readonly dynamic_client_consent_lifetime?: number | undefined
  },
): number | null {
  if (client.consentLifetime !== null) return client.consentLifetime
  if (client.isDynamic)
    return settings.dynamic_client_consent_lifetime ?? DEFAULT_DYNAMIC_CLIENT_CONSENT_LIFETIME
  return settings.consent_lifetime ?? null
}
