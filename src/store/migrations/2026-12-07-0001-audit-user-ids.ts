import type { Kysely } from 'kysely'

/**
 * The users each audit entry names, in their own table (DESIGN §2): erasure finds an entry by
 * `user_id = ?`, exact on both databases whatever characters an id holds. A search of the entry's
 * text would find an id inside others (`e`) and miss one the JSON escapes (`"`, `\`).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log_users')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) =>
      c.notNull().references('audit_log.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_log_users_pk', ['entry_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('audit_log_users_tenant_user')
    .on('audit_log_users')
    .columns(['tenant_id', 'user_id'])
    .execute()
  await backfill(db)
}

/** The actions whose entries name users, as the services wrote them up to this migration. */
const NAMING_ACTIONS = [
  'user.permissions.add',
  'user.permissions.remove',
  'user.roles.add',
  'user.roles.remove',
  'grant.delete',
  'role.users.add',
  'role.users.remove',
]

interface StoredEntry {
  action: string
  target: string
  before: string | null
  after: string | null
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []

/**
 * Where each action put the user ids: the target of a `user.*` change, `before.user_id` of a
 * revoked grant, the list of users of a role's `users` change. Kept here, not shared with the
 * services, so that this migration reads the entries of its time however later code writes them.
 */
function namedUsers(entry: StoredEntry): string[] {
  const before: unknown = entry.before === null ? undefined : JSON.parse(entry.before)
  const after: unknown = entry.after === null ? undefined : JSON.parse(entry.after)
  switch (entry.action) {
    case 'user.permissions.add':
    case 'user.permissions.remove':
    case 'user.roles.add':
    case 'user.roles.remove':
      return [entry.target]
    case 'grant.delete': {
      const userId =
        typeof before === 'object' && before !== null && 'user_id' in before
          ? before.user_id
          : undefined
      return typeof userId === 'string' ? [userId] : []
    }
    case 'role.users.add':
      return strings(after)
    case 'role.users.remove':
      return strings(before)
    default:
      return []
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
async function backfill(db: Kysely<any>): Promise<void> {
  // Keyset pages by id: a log of any length, a bounded batch in memory.
  let last = ''
  for (;;) {
    const rows: (StoredEntry & { id: string; tenant_id: string })[] = await db
      .selectFrom('audit_log')
      .select(['id', 'tenant_id', 'action', 'target', 'before', 'after'])
      .where('action', 'in', NAMING_ACTIONS)
      .where('id', '>', last)
      .orderBy('id')
      .limit(500)
      .execute()
    const lastRow = rows.at(-1)
    if (!lastRow) return
    last = lastRow.id
    const values = rows.flatMap((row) =>
      [...new Set(namedUsers(row))].map((user_id) => ({
        tenant_id: row.tenant_id,
        entry_id: row.id,
        user_id,
      })),
    )
    for (let i = 0; i < values.length; i += 300)
      await db
        .insertInto('audit_log_users')
        .values(values.slice(i, i + 300))
        .execute()
  }
}
