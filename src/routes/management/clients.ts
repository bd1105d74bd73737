import { z } from 'zod'
import type { AppDeps } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { newClientId } from '../../ids.js'
import { defineOperation } from './operation.js'
import {
  clientJson,
  clientSchema,
  displayName,
  httpsUrl,
  listJson,
  listSchema,
  pageOf,
  paginationQuery,
} from './shapes.js'

const fields = {
  name: displayName(200),
  description: z.string().max(140).optional(),
  logo_uri: z.union([httpsUrl, z.literal('')]).optional(),
  is_first_party: z.boolean().optional(),
  callbacks: z.array(z.url().max(2000)).max(100).optional(),
  app_type: z.enum(['native', 'spa', 'regular_web', 'non_interactive']).optional(),
}

const createBody = z.strictObject({
  // Beyond Auth0: the AS names its own clients, so Assent takes the id it already uses.
  client_id: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{1,128}$/, 'must be 1–128 letters, digits or . _ ~ -')
    .optional(),
  ...fields,
})

const updateBody = z.strictObject({ ...fields, name: fields.name.optional() })

const notFound = () => new AppError(404, 'inexistent_client', 'The client does not exist')

/** `/clients`: the applications that ask for consent (DESIGN §2). */
export function clientOperations({ store }: AppDeps) {
  return [
    defineOperation({
      method: 'get',
      path: '/clients',
      summary: 'List clients',
      tag: 'Clients',
      scopes: ['read:clients'],
      query: paginationQuery,
      response: {
        status: 200,
        schema: listSchema('clients', clientSchema),
        description: 'The clients',
      },
      errors: [],
      async handle({ tenant, query }) {
        const { items, total } = await store.clients.list(tenant.id, pageOf(query))
        return listJson('clients', items.map(clientJson), total, query)
      },
    }),
    defineOperation({
      method: 'post',
      path: '/clients',
      summary: 'Create a client',
      tag: 'Clients',
      scopes: ['create:clients'],
      body: createBody,
      response: { status: 201, schema: clientSchema, description: 'The client' },
      errors: [409, 413],
      async handle({ tenant, body }) {
        const created = await store.clients.create(tenant.id, {
          clientId: body.client_id ?? newClientId(),
          name: body.name,
          description: body.description ?? '',
          logoUri: body.logo_uri || null,
          isFirstParty: body.is_first_party ?? false,
          callbacks: body.callbacks ?? [],
          appType: body.app_type ?? null,
        })
        return clientJson(created)
      },
    }),
    defineOperation({
      method: 'get',
      path: '/clients/{client_id}',
      summary: 'Get a client',
      tag: 'Clients',
      scopes: ['read:clients'],
      response: { status: 200, schema: clientSchema, description: 'The client' },
      errors: [404],
      async handle({ tenant, params }) {
        const client = await store.clients.get(tenant.id, params.client_id ?? '')
        if (!client) throw notFound()
        return clientJson(client)
      },
    }),
    defineOperation({
      method: 'patch',
      path: '/clients/{client_id}',
      summary: 'Update a client',
      tag: 'Clients',
      scopes: ['update:clients'],
      body: updateBody,
      response: { status: 200, schema: clientSchema, description: 'The client' },
      errors: [404, 413],
      async handle({ tenant, params, body }) {
        const updated = await store.clients.update(tenant.id, params.client_id ?? '', {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.logo_uri !== undefined ? { logoUri: body.logo_uri || null } : {}),
          ...(body.is_first_party !== undefined ? { isFirstParty: body.is_first_party } : {}),
          ...(body.callbacks !== undefined ? { callbacks: body.callbacks } : {}),
          ...(body.app_type !== undefined ? { appType: body.app_type } : {}),
        })
        if (!updated) throw notFound()
        return clientJson(updated)
      },
    }),
    defineOperation({
      method: 'delete',
      path: '/clients/{client_id}',
      summary: 'Delete a client and the grants users gave it',
      tag: 'Clients',
      scopes: ['delete:clients'],
      response: { status: 204, description: 'Deleted' },
      errors: [404],
      async handle({ tenant, params }) {
        if (!(await store.clients.delete(tenant.id, params.client_id ?? ''))) throw notFound()
      },
    }),
  ]
}
