import { z } from 'zod'
import type { AppDeps } from '../../app/types.js'
import type { ResourceServer } from '../../entities.js'
import { AppError } from '../../errors.js'
import { sortableId } from '../../ids.js'
import type { Store } from '../../store/port.js'
import { defineOperation } from './operation.js'
import {
  displayName,
  listJson,
  listSchema,
  pageOf,
  paginationQuery,
  resourceServerJson,
  resourceServerSchema,
  scopesInput,
} from './shapes.js'

const settings = {
  name: displayName(200).optional(),
  scopes: scopesInput.optional(),
  signing_alg: z.enum(['RS256', 'PS256', 'HS256']).optional(),
  allow_offline_access: z.boolean().optional(),
  skip_consent_for_verifiable_first_party_clients: z.boolean().optional(),
  token_lifetime: z.int().min(1).max(2_592_000).optional(),
  token_dialect: z.enum(['access_token', 'access_token_authz']).optional(),
  enforce_policies: z.boolean().optional(),
}

const createBody = z.strictObject({
  identifier: z
    .string()
    .min(1)
    .max(600)
    .refine((value) => !/[\s\p{Cc}]/u.test(value), 'must not contain spaces or control characters'),
  ...settings,
})

const updateBody = z.strictObject({ ...settings, identifier: z.unknown().optional() })

function toScopes(scopes: z.output<typeof scopesInput>) {
  return scopes.map((scope) => ({
    value: scope.value,
    description: scope.description ?? '',
    ...(scope.descriptions ? { descriptions: scope.descriptions } : {}),
  }))
}

export async function findResourceServer(
  store: Store,
  tenantId: string,
  idOrIdentifier: string,
): Promise<ResourceServer> {
  const found = await store.resourceServers.find(tenantId, idOrIdentifier)
  if (!found)
    throw new AppError(404, 'inexistent_resource_server', 'The resource server does not exist')
  return found
}

/** `/resource-servers`: APIs and their scopes (DESIGN §4). */
export function resourceServerOperations({ store }: AppDeps) {
  return [
    defineOperation({
      method: 'get',
      path: '/resource-servers',
      summary: 'List resource servers',
      tag: 'Resource servers',
      scopes: ['read:resource_servers'],
      query: paginationQuery,
      response: {
        status: 200,
        schema: listSchema('resource_servers', resourceServerSchema),
        description: 'The resource servers',
      },
      errors: [],
      async handle({ tenant, query }) {
        const { items, total } = await store.resourceServers.list(tenant.id, pageOf(query))
        return listJson('resource_servers', items.map(resourceServerJson), total, query)
      },
    }),
    defineOperation({
      method: 'post',
      path: '/resource-servers',
      summary: 'Create a resource server',
      tag: 'Resource servers',
      scopes: ['create:resource_servers'],
      body: createBody,
      response: { status: 201, schema: resourceServerSchema, description: 'The resource server' },
      errors: [409, 413],
      async handle({ tenant, body }) {
        const created = await store.resourceServers.create(tenant.id, {
          id: sortableId(),
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
          isSystem: false,
        })
        return resourceServerJson(created)
      },
    }),
    defineOperation({
      method: 'get',
      path: '/resource-servers/{id}',
      summary: 'Get a resource server by id or URL-encoded identifier',
      tag: 'Resource servers',
      scopes: ['read:resource_servers'],
      response: { status: 200, schema: resourceServerSchema, description: 'The resource server' },
      errors: [404],
      async handle({ tenant, params }) {
        return resourceServerJson(await findResourceServer(store, tenant.id, params.id ?? ''))
      },
    }),
    defineOperation({
      method: 'patch',
      path: '/resource-servers/{id}',
      summary: 'Update a resource server; `scopes` replaces the whole list',
      tag: 'Resource servers',
      scopes: ['update:resource_servers'],
      body: updateBody,
      response: { status: 200, schema: resourceServerSchema, description: 'The resource server' },
      errors: [404, 413],
      async handle({ tenant, params, body }) {
        const current = await findResourceServer(store, tenant.id, params.id ?? '')
        if (body.identifier !== undefined && body.identifier !== current.identifier) {
          throw new AppError(
            400,
            'invalid_body',
            'Payload validation error: identifier cannot be changed.',
          )
        }
        if (current.isSystem)
          throw new AppError(400, 'invalid_body', 'A system resource server cannot be changed.')
        const updated = await store.resourceServers.update(tenant.id, current.id, {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.scopes !== undefined ? { scopes: toScopes(body.scopes) } : {}),
          ...(body.enforce_policies !== undefined
            ? { enforcePolicies: body.enforce_policies }
            : {}),
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
        })
        if (!updated)
          throw new AppError(
            404,
            'inexistent_resource_server',
            'The resource server does not exist',
          )
        return resourceServerJson(updated)
      },
    }),
    defineOperation({
      method: 'delete',
      path: '/resource-servers/{id}',
      summary: 'Delete a resource server and every permission on it',
      tag: 'Resource servers',
      scopes: ['delete:resource_servers'],
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      async handle({ tenant, params }) {
        const current = await findResourceServer(store, tenant.id, params.id ?? '')
        if (current.isSystem)
          throw new AppError(400, 'invalid_body', 'A system resource server cannot be deleted.')
        await store.resourceServers.delete(tenant.id, current.id)
      },
    }),
  ]
}
