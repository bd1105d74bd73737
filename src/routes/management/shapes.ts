import { z } from 'zod'
import {
  DEFAULT_DYNAMIC_CLIENT_CONSENT_LIFETIME,
  flagValues,
  grantExpiry,
  MAX_DURATION_CHOICES,
  MAX_LIFETIME_SECONDS,
  MIN_LIFETIME_SECONDS,
  TOKEN_DIALECTS,
} from '../../consent/index.js'
import type {
  Client,
  Grant,
  ResourceServer,
  Role,
  TenantSettings,
  UserPermission,
} from '../../entities.js'
import { AUTH0_MODELS } from './auth0-fields/index.generated.js'
import { keptFields } from './auth0-fields.js'

export * from './inputs.js'

import type { Pagination } from './inputs.js'

// The shapes of the Management API's answers, each beside the function that fills it in.

/** The fields of a resource server Assent reads itself; Auth0's others are kept (DESIGN §4.2.1). */
export const RESOURCE_SERVER_OWN_FIELDS = [
  'id',
  'identifier',
  'name',
  'is_system',
  'scopes',
  'signing_alg',
  'allow_offline_access',
  'skip_consent_for_verifiable_first_party_clients',
  'token_lifetime',
  'token_dialect',
  'enforce_policies',
  'consent_resources',
  'authorization_details',
] as const

/** Auth0's fields beside Assent's own, kept as sent on a create and on an update. */
export const resourceServerKept = {
  create: keptFields('ResourceServerCreate', RESOURCE_SERVER_OWN_FIELDS),
  update: keptFields('ResourceServerUpdate', RESOURCE_SERVER_OWN_FIELDS),
}

export const resourceServerSchema = z.object({
  /** Auth0's fields Assent keeps as they were sent. */
  ...resourceServerKept.update,
  ...resourceServerKept.create,
  id: z.string(),
  name: z.string(),
  identifier: z.string(),
  is_system: z.boolean(),
  scopes: z.array(
    z.object({
      value: z.string(),
      description: z.string(),
      descriptions: z.record(z.string(), z.string()).optional(),
    }),
  ),
  signing_alg: z.string(),
  allow_offline_access: z.boolean(),
  skip_consent_for_verifiable_first_party_clients: z.boolean(),
  token_lifetime: z.number().int(),
  token_dialect: z.enum(TOKEN_DIALECTS),
  enforce_policies: z.boolean(),
  /** Extension (DESIGN §4.2): present when the API labels any resource. */
  consent_resources: z
    .record(z.string(), z.record(z.string(), z.object({ heading: z.string(), noun: z.string() })))
    .optional(),
  /** Auth0's field, extended (DESIGN §3.9): present when the API declares any detail type. */
  authorization_details: z
    .array(
      z.object({
        type: z.string(),
        schema: z.record(z.string(), z.unknown()).optional(),
        consent_templates: z.record(z.string(), z.string()),
      }),
    )
    .optional(),
})

export function resourceServerJson(server: ResourceServer): z.output<typeof resourceServerSchema> {
  return {
    ...server.auth0,
    id: server.id,
    name: server.name,
    identifier: server.identifier,
    is_system: server.isSystem,
    scopes: server.scopes.map((scope) => ({
      value: scope.value,
      description: scope.description,
      ...(scope.descriptions && Object.keys(scope.descriptions).length > 0
        ? { descriptions: { ...scope.descriptions } }
        : {}),
    })),
    signing_alg: server.signingAlg,
    allow_offline_access: server.allowOfflineAccess,
    skip_consent_for_verifiable_first_party_clients:
      server.skipConsentForVerifiableFirstPartyClients,
    token_lifetime: server.tokenLifetime,
    token_dialect: server.tokenDialect,
    enforce_policies: server.enforcePolicies,
    ...(server.consentResources && Object.keys(server.consentResources).length > 0
      ? { consent_resources: server.consentResources }
      : {}),
    ...(server.authorizationDetails && server.authorizationDetails.length > 0
      ? {
          authorization_details: server.authorizationDetails.map((type) => ({
            type: type.type,
            ...(type.schema ? { schema: { ...type.schema } } : {}),
            consent_templates: { ...type.consentTemplates },
          })),
        }
      : {}),
  }
}

/**
 * Extension (DESIGN §3.5.1): the durations a prompt lets the user choose from, in seconds, `null`
 * for "until removed"; capped on the page by the consent lifetime that applies.
 */
export const durationChoices = z
  .array(z.number().int().min(MIN_LIFETIME_SECONDS).max(MAX_LIFETIME_SECONDS).nullable())
  .min(1)
  .max(MAX_DURATION_CHOICES)

/** The fields of a client Assent reads itself; Auth0's others are kept (DESIGN §4.2.1). */
export const CLIENT_OWN_FIELDS = [
  'client_id',
  'name',
  'description',
  'logo_uri',
  'is_first_party',
  'callbacks',
  'app_type',
  // Assent is not the authorization server and never needs the secret: a copy in its database
  // would only be one more place for it to leak from, so it is accepted and dropped.
  'client_secret',
] as const

/** Auth0's fields beside Assent's own, kept as sent on a create and on an update. */
export const clientKept = {
  create: keptFields('ClientCreate', CLIENT_OWN_FIELDS),
  update: keptFields('ClientUpdate', CLIENT_OWN_FIELDS),
}

/** Every `app_type` Auth0 has. */
export const appTypes = AUTH0_MODELS.ClientCreate.app_type.type.values

export const clientSchema = z.object({
  /** Auth0's fields Assent keeps as they were sent. */
  ...clientKept.update,
  ...clientKept.create,
  client_id: z.string(),
  name: z.string(),
  description: z.string(),
  logo_uri: z.string().optional(),
  is_first_party: z.boolean(),
  callbacks: z.array(z.string()),
  app_type: z.enum(appTypes).optional(),
  /** Extension (DESIGN §3.5.2): shown only when `false`; absent means verified. */
  is_verified: z.boolean().optional(),
  /** Extension (DESIGN §3.5.1): seconds a grant to this client counts. */
  consent_lifetime: z.number().int().optional(),
  consent_duration_choices: durationChoices.optional(),
  client_uri: z.string().optional(),
  policy_uri: z.string().optional(),
  tos_uri: z.string().optional(),
  /** Extension (DESIGN §3.10): registered by the app itself, at `registered_at`; absent: no. */
  is_dynamic: z.boolean().optional(),
  registered_at: z.string().optional(),
})

export function clientJson(client: Client): z.output<typeof clientSchema> {
  return {
    ...client.auth0,
    client_id: client.clientId,
    name: client.name,
    description: client.description,
    ...(client.logoUri ? { logo_uri: client.logoUri } : {}),
    is_first_party: client.isFirstParty,
    callbacks: [...client.callbacks],
    ...(client.appType ? { app_type: client.appType as (typeof appTypes)[number] } : {}),
    ...(client.isVerified ? {} : { is_verified: false }),
    ...(client.consentLifetime !== null ? { consent_lifetime: client.consentLifetime } : {}),
    ...(client.consentDurationChoices !== null
      ? { consent_duration_choices: [...client.consentDurationChoices] }
      : {}),
    ...(client.clientUri ? { client_uri: client.clientUri } : {}),
    ...(client.policyUri ? { policy_uri: client.policyUri } : {}),
    ...(client.tosUri ? { tos_uri: client.tosUri } : {}),
    ...(client.isDynamic ? { is_dynamic: true } : {}),
    ...(client.registeredAt ? { registered_at: client.registeredAt.toISOString() } : {}),
  }
}

/** The tenant settings Assent reads itself; Auth0's others are kept (DESIGN §4.2.1). */
export const TENANT_SETTINGS_OWN_FIELDS = [
  'friendly_name',
  'picture_url',
  'default_locale',
  'enabled_locales',
  'flags',
  'branding',
  'allowed_return_urls',
  'consent_lifetime',
  'dynamic_client_consent_lifetime',
] as const

/** Auth0's tenant settings beside Assent's own, kept as sent. */
export const tenantSettingsKept = keptFields('TenantSettingsUpdate', TENANT_SETTINGS_OWN_FIELDS)

export const tenantSettingsSchema = z.object({
  ...tenantSettingsKept,
  friendly_name: z.string(),
  picture_url: z.string().optional(),
  default_locale: z.string(),
  enabled_locales: z.array(z.string()),
  flags: z.record(z.string(), z.boolean()),
  branding: z
    .object({ logo_url: z.string().optional(), primary_color: z.string().optional() })
    .optional(),
  allowed_return_urls: z.array(z.string()).optional(),
  consent_lifetime: z.number().int().optional(),
  /** Seconds a self-registered app's grants count unless it sets its own (DESIGN §3.10). */
  dynamic_client_consent_lifetime: z.number().int(),
  consent_duration_choices: durationChoices.optional(),
})

export function tenantSettingsJson(
  settings: TenantSettings,
  locales: readonly string[],
): z.output<typeof tenantSettingsSchema> {
  const flags = flagValues(settings.flags)
  return {
    ...settings.auth0,
    friendly_name: settings.friendly_name,
    ...(settings.picture_url ? { picture_url: settings.picture_url } : {}),
    default_locale: settings.default_locale ?? 'en',
    enabled_locales: settings.enabled_locales ?? [...locales],
    flags,
    ...(settings.branding ? { branding: { ...settings.branding } } : {}),
    ...(settings.allowed_return_urls
      ? { allowed_return_urls: [...settings.allowed_return_urls] }
      : {}),
    ...(settings.consent_lifetime !== undefined
      ? { consent_lifetime: settings.consent_lifetime }
      : {}),
    dynamic_client_consent_lifetime:
      settings.dynamic_client_consent_lifetime ?? DEFAULT_DYNAMIC_CLIENT_CONSENT_LIFETIME,
    ...(settings.consent_duration_choices
      ? { consent_duration_choices: [...settings.consent_duration_choices] }
      : {}),
  }
}

/** Auth0's role fields beside Assent's own (`id`, `name`, `description`), kept as sent. */
export const roleKept = {
  create: keptFields('RoleCreate', ['id', 'name', 'description']),
  update: keptFields('RoleUpdate', ['id', 'name', 'description']),
}

export const roleSchema = z.object({
  ...roleKept.create,
  id: z.string(),
  name: z.string(),
  description: z.string(),
})

export const roleJson = (role: Role): z.output<typeof roleSchema> => ({
  ...role.auth0,
  id: role.id,
  name: role.name,
  description: role.description,
})

export const permissionSchema = z.object({
  permission_name: z.string(),
  description: z.string(),
  resource_server_name: z.string(),
  resource_server_identifier: z.string(),
})

export const userPermissionSchema = permissionSchema.extend({
  sources: z.array(
    z.object({
      source_id: z.string(),
      source_name: z.string(),
      source_type: z.enum(['DIRECT', 'ROLE']),
    }),
  ),
})

export function permissionJson(
  ref: { resourceServerIdentifier: string; permissionName: string },
  api: ResourceServer | undefined,
): z.output<typeof permissionSchema> {
  return {
    permission_name: ref.permissionName,
    description: api?.scopes.find((scope) => scope.value === ref.permissionName)?.description ?? '',
    resource_server_name: api?.name ?? '',
    resource_server_identifier: ref.resourceServerIdentifier,
  }
}

export function userPermissionJson(
  permission: UserPermission,
  api: ResourceServer | undefined,
): z.output<typeof userPermissionSchema> {
  return {
    ...permissionJson(permission, api),
    sources: permission.sources.map((source) =>
      source.type === 'DIRECT'
        ? { source_id: '', source_name: '', source_type: 'DIRECT' as const }
        : { source_id: source.roleId, source_name: source.roleName, source_type: 'ROLE' as const },
    ),
  }
}

export const roleUserSchema = z.object({
  user_id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
})

export const grantSchema = z.object({
  id: z.string(),
  clientID: z.string(),
  user_id: z.string(),
  audience: z.string(),
  scope: z.array(z.string()),
  /** When the grant stops counting, where a consent lifetime applies (DESIGN §3.5.1). */
  expires_at: z.string().optional(),
})

export const grantJson = (
  grant: Grant,
  lifetimeSeconds: number | null = null,
): z.output<typeof grantSchema> => {
  const expires = grantExpiry(grant.scope, grant.details, grant.updatedAt, lifetimeSeconds)
  return {
    id: grant.id,
    clientID: grant.clientId,
    user_id: grant.userId,
    audience: grant.audience,
    scope: [...grant.scope],
    ...(expires ? { expires_at: expires.toISOString() } : {}),
  }
}

/** A list answer (DESIGN §4): the bare array, or with `include_totals` `{ start, limit, total, <name> }`. */
export function listSchema<const N extends string, T extends z.ZodType>(name: N, item: T) {
  const items = { [name]: z.array(item) } as Record<N, z.ZodArray<T>>
  return z.union([
    z.array(item),
    z.object({
      start: z.number().int(),
      limit: z.number().int(),
      total: z.number().int(),
      ...items,
    }),
  ])
}

export function listJson<const N extends string, T>(
  name: N,
  items: T[],
  total: number,
  query: Pagination,
): T[] | ({ start: number; limit: number; total: number } & Record<N, T[]>) {
  if (!query.include_totals) return items
  const named = { [name]: items } as Record<N, T[]>
  return { start: query.page * query.per_page, limit: query.per_page, total, ...named }
}
