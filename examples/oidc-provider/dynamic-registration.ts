/**
 * Dynamic client registration (RFC 7591), as an MCP authorization server offers it: any app may
 * register itself at `POST /reg` and is then a client like any other, except that nobody vetted
 * it. Each one is registered in Assent as self-registered (`is_dynamic`, DESIGN §3.10), so its
 * prompt carries the "Self-registered app" badge, its registration date and the host it names,
 * warns that the app is unverified, and its grants last 30 days unless the tenant says otherwise.
 *
 * Registration here is open, as MCP clients expect. To require an initial access token instead,
 * set oidc-provider's `features.registration.initialAccessToken`.
 */
import type { Adapter, ClientMetadata, KoaContextWithOIDC } from 'oidc-provider'

type Next = () => Promise<unknown>

/** Where the AS registers clients in Assent: a token with `create:clients`. */
export interface AssentRegistry {
  readonly url: string
  readonly token: string
}

/** The client as Assent takes it: what the app said of itself, marked self-registered. */
function assentClient(client: ClientMetadata) {
  const link = (value: unknown) => (typeof value === 'string' && value ? value : undefined)
  return {
    client_id: client.client_id,
    name: link(client.client_name) ?? client.client_id,
    callbacks: client.redirect_uris ?? [],
    is_dynamic: true,
    ...(link(client.client_uri) ? { client_uri: client.client_uri } : {}),
    ...(link(client.policy_uri) ? { policy_uri: client.policy_uri } : {}),
    ...(link(client.tos_uri) ? { tos_uri: client.tos_uri } : {}),
    ...(link(client.logo_uri) ? { logo_uri: client.logo_uri } : {}),
  }
}

/**
 * A middleware for oidc-provider (`provider.use`): after a registration succeeds, the new client
 * is registered in Assent too. If Assent refuses it (a name or link it does not accept, such as a
 * `javascript:` policy URL) or cannot be reached, the client is removed again and the
 * registration fails: a client Assent does not know could never be asked for consent.
 */
export function registerInAssent(assent: AssentRegistry, clients: Adapter) {
  return async function registerInAssentAfterRegistration(ctx: KoaContextWithOIDC, next: Next) {
    await next()
    if (ctx.oidc?.route !== 'registration' || ctx.status !== 201) return
    const client = ctx.body as ClientMetadata
    const res = await fetch(`${assent.url}/api/v2/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${assent.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(assentClient(client)),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined)
    if (res?.status === 201) return
    await clients.destroy(client.client_id)
    const refused = res?.status === 400
    const reason = refused ? ((await res.json()) as { message?: string }).message : undefined
    ctx.status = refused ? 400 : 500
    ctx.body = refused
      ? { error: 'invalid_client_metadata', error_description: reason ?? 'refused by Assent' }
      : { error: 'server_error', error_description: 'the client could not be registered' }
  }
}
