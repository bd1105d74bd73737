import type { Generated } from 'kysely'

/**
 * Table shapes as stored. Every row carries `tenant_id` (DESIGN §2). Portable across SQLite and
 * PostgreSQL: booleans are integers 0/1, lists and objects are JSON text, times are ISO 8601 text.
 */
export interface Database {
  assent_meta: { key: string; value: string }
  admin_sessions: {
    id: string
    tenant_id: string
    scopes: string
    created_at: string
    expires_at: string
    subject: string | null
  }
  audit_log: {
    id: string
    tenant_id: string
    at: string
    actor: string
    via: string
    action: string
    target: string
    before: string | null
    after: string | null
  }
  /** The users an audit entry names, one row each: erasure matches `user_id` exactly. */
  audit_log_users: { tenant_id: string; entry_id: string; user_id: string }
  signing_keys: { id: string; secret: string; created_at: string }
  tenants: { id: string; settings: string; created_at: string; updated_at: string }
  tenant_domains: { domain: string; tenant_id: string }
  resource_servers: {
    tenant_id: string
    id: string
    identifier: string
    name: string
    scopes: string
    /** `{ resource: { locale: { heading, noun } } }` as JSON (DESIGN §4.2). */
    consent_resources: string
    /** `[{ type, schema?, consent_templates }]` as JSON (DESIGN §3.9). */
    authorization_details: string
    /** Auth0's fields kept as sent, as a JSON object (DESIGN §4.2.1). */
    auth0: string
    enforce_policies: number
    allow_offline_access: number
    skip_consent_for_verifiable_first_party_clients: number
    token_dialect: string
    token_lifetime: number
    signing_alg: string
    is_system: number
    created_at: string
    updated_at: string
  }
  clients: {
    tenant_id: string
    client_id: string
    name: string
    description: string
    logo_uri: string | null
    is_first_party: number
    callbacks: string
    app_type: string | null
    created_at: string
    updated_at: string
    /** `null` (clients made before it existed) reads as verified. */
    is_verified: number | null
    consent_lifetime: number | null
    client_uri: string | null
    policy_uri: string | null
    tos_uri: string | null
    /** `null` (clients made before it existed) reads as not self-registered. */
    is_dynamic: number | null
    registered_at: string | null
    /** JSON: seconds, `null` for "until removed"; `null` column: the tenant's choices. */
    consent_duration_choices: string | null
    /** Auth0's fields kept as sent, as a JSON object (DESIGN §4.2.1); `{}` unless given. */
    auth0: Generated<string>
  }
  users: {
    tenant_id: string
    user_id: string
    name: string | null
    email: string | null
    created_at: string
    last_seen_at: string
  }
  roles: {
    tenant_id: string
    id: string
    name: string
    description: string
    /** Auth0's fields kept as sent, as a JSON object (DESIGN §4.2.1); `{}` unless given. */
    auth0: Generated<string>
    created_at: string
  }
  role_permissions: {
    tenant_id: string
    role_id: string
    resource_server_identifier: string
    permission_name: string
  }
  user_permissions: {
    tenant_id: string
    user_id: string
    resource_server_identifier: string
    permission_name: string
  }
  user_roles: { tenant_id: string; user_id: string; role_id: string }
  grants: {
    tenant_id: string
    id: string
    user_id: string
    client_id: string
    audience: string
    scope: string
    created_at: string
    updated_at: string
    /** JSON `{ [scope]: { version, at } }`; `null` for grants made before it existed. */
    scope_details: string | null
  }
  consent_requests: {
    tenant_id: string
    id: string
    client_id: string
    user_id: string
    user_name: string | null
    /** `''` when the request names no API (OIDC scopes only). */
    audience: string
    requested_scopes: string
    effective_scopes: string
    dropped_scopes: string
    prompt_scopes: string
    granted_scopes: string | null
    prompt: string | null
    ui_locales: string | null
    return_to: string
    state: string | null
    redirect_uri: string
    status: string
    error: string | null
    created_at: string
    expires_at: string
    answered_at: string | null
    binding_hash: string | null
    verifier_hash: string | null
    verified_at: string | null
    granular: number | null
    required_scopes: string | null
    declined_scopes: string | null
    changed_scopes: string | null
    shown: string | null
    /** The id of `shown`, the latest render (DESIGN §3.2.2). */
    rendition: string | null
    receipt_id: string | null
    /** `device` for a device sign-in (DESIGN §3.10); `null` for the redirect flow. */
    flow: string | null
    user_code: string | null
    device_name: string | null
    switch_account_url: string | null
    /** The seconds an accept chose, `0` for "until removed"; `null`: no choice was offered. */
    chosen_duration: number | null
    /** The request's RFC 9396 entries as JSON (DESIGN §3.9); `null` when it carries none. */
    authorization_details: string | null
    /** The indexes of the entries the user approved, as JSON; `null` until answered. */
    approved_details: string | null
  }
  consent_stats: {
    tenant_id: string
    day: string
    client_id: string
    metric: string
    scope: string
    count: number
  }
  consent_receipts: {
    tenant_id: string
    id: string
    user_id: string
    client_id: string
    action: string
    claims: string
    jws: string
    recorded_at: string
  }
  receipt_keys: {
    tenant_id: string
    kid: string
    private_jwk: string
    public_jwk: string
    created_at: string
  }
  portal_sessions: {
    id: string
    tenant_id: string
    user_id: string
    kind: string
    return_to: string | null
    ui_locales: string | null
    expires_at: string
    opened: string | null
  }
  webhooks: {
    tenant_id: string
    id: string
    url: string
    events: string
    secret: string
    created_at: string
    /** `enabled` or `disabled` (DESIGN §3.8). */
    status: string
    /** When the attempts that have all failed since the last success began; `null` after one. */
    failing_since: string | null
  }
  webhook_outbox: {
    id: string
    tenant_id: string
    webhook_id: string
    message_id: string
    type: string
    user_id: string | null
    payload: string
    created_at: string
    next_attempt_at: string
    attempts: number
    locked_until: string | null
    state: string
  }
  webhook_deliveries: {
    id: string
    tenant_id: string
    webhook_id: string
    outbox_id: string
    message_id: string
    type: string
    user_id: string | null
    attempt: number
    status: number | null
    error: string | null
    at: string
  }
  scope_versions: {
    tenant_id: string
    audience: string
    scope: string
    version: number
  }
}
