import { type Insertable, type Kysely, sql } from 'kysely'
import type { User } from '../../entities.js'
import type { Page, Paged } from '../port.js'
import type { Database } from '../schema.js'
import { containsPattern } from './like.js'
import { mapPage, paged } from './paging.js'
import { prepared } from './prepared.js'
import { iso, toUser } from './rows.js'

// The users consent requests named (DESIGN §2): remembered on the request path, listed in the console.

// On the request path (each consent request remembers its user): compiled once (prepared.ts).
const upsertUser = prepared((db, row: Required<Insertable<Database['users']>>) =>
  db
    .insertInto('users')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'user_id'])
        .doUpdateSet({ name: row.name, email: row.email, last_seen_at: row.last_seen_at }),
    ),
)

/** Records a user as last seen at `at` (DESIGN §2: users are what consent requests told us). */
export async function rememberUser(
  db: Kysely<Database>,
  at: Date,
  tenantId: string,
  user: { userId: string; name: string | null; email: string | null },
): Promise<void> {
  const seen = iso(at)
  await upsertUser(db, {
    tenant_id: tenantId,
    user_id: user.userId,
    name: user.name,
    email: user.email,
    created_at: seen,
    last_seen_at: seen,
  })
}

/** Users seen, most recently first; `search` matches any part of the id, name or email. */
export async function listUsers(
  db: Kysely<Database>,
  tenantId: string,
  page: Page,
  search?: string,
): Promise<Paged<User>> {
  let query = db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId)
  if (search) {
    // Case-insensitive, with the same escape character on SQLite and PostgreSQL.
    const pattern = containsPattern(search)
    const like = (column: 'user_id' | 'name' | 'email') =>
      sql<boolean>`lower(coalesce(${sql.ref(column)}, '')) like ${pattern} escape '\\'`
    query = query.where((eb) => eb.or([like('user_id'), like('name'), like('email')]))
  }
  const ordered = query.orderBy('last_seen_at', 'desc').orderBy('user_id')
  return mapPage(await paged(ordered, page), toUser)
}

export async function findUser(
  db: Kysely<Database>,
  tenantId: string,
  userId: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row ? toUser(row) : undefined
}
