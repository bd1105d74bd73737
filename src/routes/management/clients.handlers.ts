import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../app/env.js'
import type { AppDeps } from '../../app/types.js'
import { AppError } from '../../errors.js'
import { newClientId } from '../../ids.js'
import type * as routes from './clients.routes.js'
import { pickFields } from './fields.js'
import { clientJson, listJson, pageOf } from './shapes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

const notFound = () => new AppError(404, 'inexistent_client', 'The client does not exist')

/** The handlers of `/clients` (DESIGN §2). */
export function clientHandlers({ store }: AppDeps) {
  const list: Handler<'list'> = async (c) => {
    const query = c.req.valid('query')
    const { items, total } = await store.clients.list(c.get('tenant').id, pageOf(query))
    const json = items.map((item) => pickFields(clientJson(item), query))
    return c.json(listJson('clients', json, total, query), 200)
  }

  const create: Handler<'create'> = async (c) => {
    const body = c.req.valid('json')
    // A taken client_id is a ConflictError, answered 409 by the error handler.
    const created = await store.clients.create(c.get('tenant').id, {
      clientId: body.client_id ?? newClientId(),
      name: body.name,
      description: body.description ?? '',
      logoUri: body.logo_uri || null,
      isFirstParty: body.is_first_party ?? false,
      callbacks: body.callbacks ?? [],
      appType: body.app_type ?? null,
    })
    return c.json(clientJson(created), 201)
  }

  const get: Handler<'get'> = async (c) => {
    const client = await store.clients.get(c.get('tenant').id, c.req.valid('param').client_id)
    if (!client) throw notFound()
    return c.json(pickFields(clientJson(client), c.req.valid('query')), 200)
  }

  const update: Handler<'update'> = async (c) => {
    const body = c.req.valid('json')
    const updated = await store.clients.update(c.get('tenant').id, c.req.valid('param').client_id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.logo_uri !== undefined ? { logoUri: body.logo_uri || null } : {}),
      ...(body.is_first_party !== undefined ? { isFirstParty: body.is_first_party } : {}),
      ...(body.callbacks !== undefined ? { callbacks: body.callbacks } : {}),
      ...(body.app_type !== undefined ? { appType: body.app_type } : {}),
    })
    if (!updated) throw notFound()
    return c.json(clientJson(updated), 200)
  }

  const remove: Handler<'remove'> = async (c) => {
    if (!(await store.clients.delete(c.get('tenant').id, c.req.valid('param').client_id)))
      throw notFound()
    return c.body(null, 204)
  }

  return { list, create, get, update, remove }
}
