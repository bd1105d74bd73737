import { z } from 'zod'
import { jsonContent, managementRoute } from './openapi.js'
import { listSchema, paginationQuery } from './shapes.js'

/** An entry of the audit trail, in the shape of Auth0's tenant logs (`type: sapi`). */
export const logSchema = z.object({
  log_id: z.string(),
  date: z.string(),
  type: z.literal('sapi'),
  description: z.string(),
  user_name: z.string(),
  details: z.object({
    via: z.enum(['api', 'console', 'system']),
    action: z.string(),
    target: z.string(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
  }),
})

/** `/logs`: every configuration change, newest first (DESIGN §5). */
export const list = managementRoute({
  method: 'get',
  path: '/logs',
  summary: 'List the audit trail of configuration changes',
  tag: 'Logs',
  scopes: ['read:logs'],
  request: { query: paginationQuery },
  responses: { 200: jsonContent(listSchema('logs', logSchema), 'The log entries') },
  errors: [],
})
