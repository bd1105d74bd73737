import type { AuditEntry } from '../entities.js'

const DESCRIPTIONS: Record<string, string> = {
  'resource_server.create': 'Create an API',
  'resource_server.update': 'Update an API',
  'resource_server.delete': 'Delete an API',
  'client.create': 'Create a client',
  'client.update': 'Update a client',
  'client.delete': 'Delete a client',
  'role.create': 'Create a role',
  'role.update': 'Update a role',
  'role.delete': 'Delete a role',
  'role.permissions.add': 'Add permissions to a role',
  'role.permissions.remove': 'Remove permissions from a role',
  'role.users.add': 'Assign a role to users',
  'role.users.remove': 'Remove a role from a user',
  'user.permissions.add': 'Give a user permissions',
  'user.permissions.remove': 'Remove permissions from a user',
  'user.roles.add': 'Assign roles to a user',
  'user.roles.remove': 'Remove roles from a user',
  'grant.delete': 'Revoke a grant',
  'tenant_settings.update': 'Update the tenant settings',
  'webhook.create': 'Add a webhook endpoint',
  'webhook.update': 'Update a webhook endpoint',
  'webhook.delete': 'Delete a webhook endpoint',
  'webhook.disable': 'Disable a webhook endpoint that failed for a day',
}

/** The sentence a log entry is listed with. */
export const auditDescription = (action: string) => DESCRIPTIONS[action] ?? action

const pretty = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2))

/** The console's log page: newest first, before and after shown on demand (`<details>`). */
export function auditPageModel(input: {
  entries: readonly AuditEntry[]
  total: number
  page: number
  perPage: number
}) {
  const { page, perPage, total } = input
  return {
    entries: input.entries.map((entry) => ({
      when: entry.at.toISOString().replace('T', ' ').slice(0, 19),
      iso: entry.at.toISOString(),
      actor: entry.actor,
      via: entry.via === 'api' ? 'API' : entry.via,
      description: auditDescription(entry.action),
      target: entry.target,
      before: pretty(entry.before),
      after: pretty(entry.after),
    })),
    newer: page > 0 ? `/admin/logs?page=${page - 1}` : null,
    older: (page + 1) * perPage < total ? `/admin/logs?page=${page + 1}` : null,
  }
}
