import { type Kysely, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrateToLatest } from '../../src/store/kysely/meta.js'
import { prepared } from '../../src/store/kysely/prepared.js'
import type { Database } from '../../src/store/schema.js'
import { engines } from '../support/engines.js'

// One statement for both engines: each compiles its own text.
const put = prepared((db, p: { key: string; value: string }) =>
  db
    .insertInto('assent_meta')
    .values({ key: p.key, value: p.value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: p.value }))
    .returning(['key', 'value']),
)
const get = prepared((db, p: { key: string }) =>
  db
    .selectFrom('assent_meta')
    .select('value')
    .where('key', '=', p.key)
    .where('value', '!=', 'hidden'),
)

describe.each(engines)('prepared statements on $name', (engine) => {
  let db: Kysely<Database> | undefined
  let drop: () => Promise<void> = async () => {}
  afterEach(async () => {
    await db?.destroy()
    await drop()
  })

  it.skipIf(engine.skip)('runs the compiled text with each call’s values', async () => {
    ;({ db, drop } = await engine.open())
    await migrateToLatest(db)
    expect(await put(db, { key: 'a', value: '1' })).toEqual([{ key: 'a', value: '1' }])
    expect(await put(db, { key: 'b', value: '2' })).toEqual([{ key: 'b', value: '2' }])
    expect(await put(db, { key: 'a', value: '3' })).toEqual([{ key: 'a', value: '3' }])
    await put(db, { key: 'c', value: 'hidden' })
    await db.transaction().execute(async (trx) => {
      expect(await get(trx, { key: 'a' })).toEqual([{ value: '3' }])
      expect(await get(trx, { key: 'b' })).toEqual([{ value: '2' }])
    })
    expect(await get(db, { key: 'c' })).toEqual([])
  })

  it.skipIf(engine.skip)('refuses a statement that inlines a parameter', async () => {
    ;({ db, drop } = await engine.open())
    const inlined = prepared((db, p: { key: string }) =>
      db.selectFrom('assent_meta').select('value').where('key', '=', sql.lit(p.key)),
    )
    await expect(inlined(db, { key: 'a' })).rejects.toThrow(/inlines parameter key/)
  })
})
