import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../web/context.js'
import type { AppDeps } from '../deps.js'
import type * as routes from './portal.routes.js'

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>

/** `POST /users/{id}/portal-sessions` (DESIGN §3.7). */
export function portalHandlers({ portal }: AppDeps) {
  const createPortalSession: Handler<'createPortalSession'> = async (c) => {
    const body = c.req.valid('json')
    const link = await portal.createLink(c.get('tenant'), c.req.valid('param').id, {
      returnTo: body.return_to,
      uiLocales: body.ui_locales,
    })
    return c.json({ url: link.url, expires_at: link.expiresAt.toISOString() }, 201)
  }
  return { createPortalSession }
}
