import type { RouteHandler } from '@hono/zod-openapi'
import type { DetailType, ResourceLabel, ResourceLabels } from '../../consent/index.js'
import { AppError } from '../../errors.js'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import { pickFields } from './fields.js'
import type * as routes from './resource-servers.routes.js'
import { listJson, pageOf, resourceServerJson } from './shapes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

function toScopes(scopes: routes.ScopesInput) {
  return scopes.map((scope) => ({
    value: scope.value,
    description: scope.description ?? '',
    ...(scope.descriptions ? { descriptions: scope.descriptions } : {}),
  }))
}

/**
 * Labels keyed by the locale tags the service ships, spelled as it spells them (`pt-br` is
 * `pt-BR`); a tag it does not ship would never be shown, so it is refused (DESIGN §4.2).
 */
function toLabels(input: routes.ConsentResourcesInput, shipped: readonly string[]): ResourceLabels {
  const byLower = new Map(shipped.map((tag) => [tag.toLowerCase(), tag]))
  const labels: Record<string, Record<string, ResourceLabel>> = {}
  for (const [resource, byTag] of Object.entries(input)) {
    const out: Record<string, ResourceLabel> = {}
    for (const [tag, label] of Object.entries(byTag)) {
      const locale = byLower.get(tag.toLowerCase())
      if (!locale)
        throw new AppError(
          400,
          'invalid_body',
          `Payload validation error: consent_resources.${resource}: ${tag} is not a locale this service ships (${shipped.join(', ')}).`,
        )
      out[locale] = { heading: label.heading, noun: label.noun }
    }
    labels[resource] = out
  }
  return labels
}

function toDetailTypes(input: routes.AuthorizationDetailsInput): DetailType[] {
  return input.map((type) => ({
    type: type.type,
    ...(type.schema ? { schema: type.schema } : {}),
    consentTemplates: type.consent_templates ?? {},
  }))
}

/** The handlers of `/resource-servers` (DESIGN §4). */
export function resourceServerHandlers({ resourceServers, i18n }: AppDeps) {
  const list: Handler<'list'> = async (c) => {
    const query = c.req.valid('query')
    const tenantId = c.get('tenant').id
    const { items, total } = query.identifiers
      ? await resourceServers.byIdentifiers(tenantId, query.identifiers, pageOf(query))
      : await resourceServers.list(tenantId, pageOf(query))
    const json = items.map((item) => pickFields(resourceServerJson(item), query))
    return c.json(listJson('resource_servers', json, total, query), 200)
  }

  const create: Handler<'create'> = async (c) => {
    const body = c.req.valid('json')
    // A taken identifier is a ConflictError, answered 409 by the error handler.
    const created = await resourceServers.create(c.get('actor'), c.get('tenant').id, {
      identifier: body.identifier,
      name: body.name ?? body.identifier,
      scopes: toScopes(body.scopes ?? []),
      enforcePolicies: body.enforce_policies ?? false,
      allowOfflineAccess: body.allow_offline_access ?? false,
      skipConsentForVerifiableFirstPartyClients:
        body.skip_consent_for_verifiable_first_party_clients ?? false,
      tokenDialect: body.token_dialect ?? 'access_token',
      tokenLifetime: body.token_lifetime ?? 86_400,
      signingAlg: body.signing_alg ?? 'RS256',
      ...(body.consent_resources
        ? { consentResources: toLabels(body.consent_resources, i18n.locales) }
        : {}),
      ...(body.authorization_details
        ? { authorizationDetails: toDetailTypes(body.authorization_details) }
        : {}),
    })
    return c.json(resourceServerJson(created), 201)
  }

  const get: Handler<'get'> = async (c) => {
    const found = await resourceServers.get(c.get('tenant').id, c.req.valid('param').id)
    return c.json(pickFields(resourceServerJson(found), c.req.valid('query')), 200)
  }

  const update: Handler<'update'> = async (c) => {
    const tenantId = c.get('tenant').id
    const body = c.req.valid('json')
    const current = await resourceServers.get(tenantId, c.req.valid('param').id)
    if (body.identifier !== undefined && body.identifier !== current.identifier) {
      throw new AppError(
        400,
        'invalid_body',
        'Payload validation error: identifier cannot be changed.',
      )
    }
    const updated = await resourceServers.update(c.get('actor'), tenantId, current.id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.scopes !== undefined ? { scopes: toScopes(body.scopes) } : {}),
      ...(body.enforce_policies !== undefined ? { enforcePolicies: body.enforce_policies } : {}),
      ...(body.allow_offline_access !== undefined
        ? { allowOfflineAccess: body.allow_offline_access }
        : {}),
      ...(body.skip_consent_for_verifiable_first_party_clients !== undefined
        ? {
            skipConsentForVerifiableFirstPartyClients:
              body.skip_consent_for_verifiable_first_party_clients,
          }
        : {}),
      ...(body.token_dialect !== undefined ? { tokenDialect: body.token_dialect } : {}),
      ...(body.token_lifetime !== undefined ? { tokenLifetime: body.token_lifetime } : {}),
      ...(body.signing_alg !== undefined ? { signingAlg: body.signing_alg } : {}),
      ...(body.consent_resources !== undefined
        ? { consentResources: toLabels(body.consent_resources, i18n.locales) }
        : {}),
      ...(body.authorization_details !== undefined
        ? { authorizationDetails: toDetailTypes(body.authorization_details) }
        : {}),
    })
    return c.json(resourceServerJson(updated), 200)
  }

  const remove: Handler<'remove'> = async (c) => {
    const tenantId = c.get('tenant').id
    await resourceServers.remove(c.get('actor'), tenantId, c.req.valid('param').id)
    return c.body(null, 204)
  }

  return { list, create, get, update, remove }
}
