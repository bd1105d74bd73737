import { type Kysely, Migrator } from 'kysely'
import { migrations } from '../migrations/index.js'
import type { Database } from '../schema.js'
import { iso } from './rows.js'

/** Runs pending migrations; the caller makes this exclusive across instances. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName
    throw new Error(`migration ${failed ?? ''} failed: ${String(error)}`, { cause: error })
  }
}

/** Whether the database answers a trivial query. */
export async function ping(db: Kysely<Database>): Promise<boolean> {
  try {
    await db.selectFrom('assent_meta').select('key').limit(1).execute()
    return true
  } catch {
    return false
  }
}

export async function getMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('assent_meta')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst()
  return row?.value
}

export async function setMeta(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db
    .insertInto('assent_meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute()
}

/** The secret named `id`; `create()`'s is stored only if none is yet, so the first writer wins. */
export async function getOrCreateKey(
  db: Kysely<Database>,
  at: Date,
  id: string,
  create: () => string,
): Promise<string> {
  await db
    .insertInto('signing_keys')
    .values({ id, secret: create(), created_at: iso(at) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const row = await db
    .selectFrom('signing_keys')
    .select('secret')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return row.secret
}
