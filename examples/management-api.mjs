// A walk through Assent's Management API with plain fetch, as Auth0's documentation describes it:
// create an API with scopes, add and remove a permission (PATCH with the whole list), flip the
// consent flag, give a user a role with permissions, and list the user's permissions.
//
//   ASSENT_URL=http://localhost:3000 ASSENT_TOKEN=$(cat data/admin-token) node examples/management-api.mjs

const base = `${process.env.ASSENT_URL ?? 'http://localhost:3000'}/api/v2`
const token = process.env.ASSENT_TOKEN
if (!token)
  throw new Error('set ASSENT_TOKEN to a management token (the admin token is in data/admin-token)')

async function call(method, path, body, expected) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  const json = text ? JSON.parse(text) : undefined
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  console.log(`${method} ${path} → ${res.status}`)
  return json
}

const identifier = `https://calendar.example/${Date.now()}`
const api = await call(
  'POST',
  '/resource-servers',
  {
    name: 'Calendar API',
    identifier,
    enforce_policies: true,
    scopes: [
      { value: 'read:calendar_events', description: 'See your events' },
      { value: 'write:calendar_events', description: 'Add events to your calendar' },
    ],
  },
  201,
)

// Add a permission: PATCH with the full list plus the new one.
const withDelete = await call(
  'PATCH',
  `/resource-servers/${api.id}`,
  {
    scopes: [...api.scopes, { value: 'delete:calendar_events', description: 'Remove your events' }],
  },
  200,
)
// Delete a permission: PATCH with the full list minus that one.
const withoutWrite = await call(
  'PATCH',
  `/resource-servers/${api.id}`,
  {
    scopes: withDelete.scopes.filter((scope) => scope.value !== 'write:calendar_events'),
  },
  200,
)
console.log('  scopes:', withoutWrite.scopes.map((scope) => scope.value).join(' '))

const settings = await call(
  'PATCH',
  '/tenants/settings',
  { flags: { use_scope_descriptions_for_consent: true } },
  200,
)
console.log(
  '  use_scope_descriptions_for_consent:',
  settings.flags.use_scope_descriptions_for_consent,
)

const role = await call(
  'POST',
  '/roles',
  { name: `Calendar reader ${Date.now()}`, description: 'Reads calendars' },
  200,
)
await call(
  'POST',
  `/roles/${role.id}/permissions`,
  {
    permissions: [
      { resource_server_identifier: identifier, permission_name: 'read:calendar_events' },
    ],
  },
  201,
)
const user = encodeURIComponent('auth0|calendar-user')
await call('POST', `/users/${user}/roles`, { roles: [role.id] }, 204)
await call(
  'POST',
  `/users/${user}/permissions`,
  {
    permissions: [
      { resource_server_identifier: identifier, permission_name: 'delete:calendar_events' },
    ],
  },
  201,
)

const permissions = await call('GET', `/users/${user}/permissions`, undefined, 200)
for (const p of permissions.filter((p) => p.resource_server_identifier === identifier)) {
  const sources = p.sources
    .map((s) => (s.source_type === 'ROLE' ? `ROLE ${s.source_name}` : 'DIRECT'))
    .join(', ')
  console.log(`  ${p.permission_name} (${sources})`)
}
