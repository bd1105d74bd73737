import type { RouteHandler } from '@hono/zod-openapi'
import { AppError } from '../../errors.js'
import type { ClientInput } from '../../services/admin/clients.js'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import { keptValues } from './auth0-fields.js'
import type * as routes from './clients.routes.js'
import { pickFields } from './fields.js'
import { clientJson, clientKept, listJson, pageOf } from './shapes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/** A create or update body's client fields, as the clients service names them. */
function clientInput(body: {
  name?: string | undefined
  description?: string | undefined
  logo_uri?: string | null | undefined
  is_first_party?: boolean | undefined
  callbacks?: readonly string[] | undefined
  app_type?: string | null | undefined
  is_verified?: boolean | undefined
  consent_lifetime?: number | null | undefined
  consent_duration_choices?: readonly (number | null)[] | null | undefined
  client_uri?: string | null | undefined
  policy_uri?: string | null | undefined
  tos_uri?: string | null | undefined
}): ClientInput {
  return {
    name: body.name,
    description: body.description,
    logoUri: body.logo_uri,
    isFirstParty: body.is_first_party,
    callbacks: body.callbacks,
    appType: body.app_type,
    isVerified: body.is_verified,
    consentLifetime: body.consent_lifetime,
    consentDurationChoices: body.consent_duration_choices,
    clientUri: body.client_uri,
    policyUri: body.policy_uri,
    tosUri: body.tos_uri,
  }
}

/** The handlers of `/clients` (DESIGN §2). */
export function clientHandlers({ clients }: AppDeps) {
  const list: Handler<'list'> = async (c) => {
    const query = c.req.valid('query')
    // Auth0's global client is its own; a tenant in Assent has none.
    const { items, total } = query.is_global
      ? { items: [], total: 0 }
      : await clients.list(c.get('tenant').id, pageOf(query), {
          isFirstParty: query.is_first_party,
          appTypes: query.app_type,
          q: query.q,
          isDynamic: query.is_dynamic,
        })
    const json = items.map((item) => pickFields(clientJson(item), query))
    return c.json(listJson('clients', json, total, query), 200)
  }

  const create: Handler<'create'> = async (c) => {
    const body = c.req.valid('json')
    // A taken client_id is a ConflictError, answered 409 by the error handler.
    const created = await clients.create(c.get('actor'), c.get('tenant').id, {
      clientId: body.client_id,
      isDynamic: body.is_dynamic,
      auth0: keptValues(body, clientKept.create),
      ...clientInput(body),
    })
    return c.json(clientJson(created), 201)
  }

  const get: Handler<'get'> = async (c) => {
    const client = await clients.get(c.get('tenant').id, c.req.valid('param').client_id)
    return c.json(pickFields(clientJson(client), c.req.valid('query')), 200)
  }

  const update: Handler<'update'> = async (c) => {
    const body = c.req.valid('json')
    const tenantId = c.get('tenant').id
    const clientId = c.req.valid('param').client_id
    if (body.is_dynamic !== undefined) {
      const current = await clients.get(tenantId, clientId)
      if (body.is_dynamic !== current.isDynamic)
        throw new AppError(
          400,
          'invalid_body',
          'Payload validation error: is_dynamic cannot be changed.',
        )
    }
    const kept = keptValues(body, clientKept.update)
    const updated = await clients.update(c.get('actor'), tenantId, clientId, {
      ...clientInput(body),
      ...(Object.keys(kept).length > 0 ? { auth0: kept } : {}),
    })
    return c.json(clientJson(updated), 200)
  }

  const remove: Handler<'remove'> = async (c) => {
    await clients.remove(c.get('actor'), c.get('tenant').id, c.req.valid('param').client_id)
    return c.body(null, 204)
  }

  return { list, create, get, update, remove }
}
