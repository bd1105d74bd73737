import { z } from 'zod'
import { jsonContent, jsonRequest, managementRoute } from './openapi.js'
import { idParam } from './shapes.js'

/* Connected apps (DESIGN §3.7): the AS links a signed-in user to the page of their grants. */

const createPortalSessionBody = z.strictObject({
  return_to: z
    .string()
    .max(2000)
    .optional()
    .describe("Where the page links back to; one of the tenant's allowed return URLs"),
  ui_locales: z.string().max(200).optional().describe('Space-separated preferred languages'),
})

export const createPortalSession = managementRoute({
  method: 'post',
  path: '/users/{id}/portal-sessions',
  summary: "A single-use link, valid 5 minutes, to the user's connected apps page",
  tag: 'Users',
  scopes: ['create:portal_sessions'],
  request: { params: idParam, body: jsonRequest(createPortalSessionBody) },
  responses: {
    201: jsonContent(
      z.object({ url: z.string(), expires_at: z.string() }),
      'The link to send the browser to',
    ),
  },
  errors: [413],
})
