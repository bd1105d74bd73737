import { type Compilable, CompiledQuery, type Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** What a prepared statement's parameters are given as: named values, in any order. */
export type Params = Record<string, string | number | null>

/** Where a compiled parameter comes from: a named value, or a constant of the statement. */
type Slot = { readonly name: string } | { readonly value: unknown }

interface Compiled {
  readonly sql: string
  readonly slots: readonly Slot[]
}

const MARK = '\u0000assent-param:'

/**
 * A statement of fixed shape, built with Kysely once per database and then run as compiled SQL
 * with new values: on the request path building and compiling a query costs more CPU than
 * SQLite takes to run it. `build` gets the database and named parameters; it is compiled once
 * with a marker in each parameter's place, and each marker's position in the compiled parameters
 * says where the value of that name goes, so the same builder serves `?` (SQLite) and `$1…`
 * (PostgreSQL). Every call passes the same names (`P` has no optional ones), and `build` must not
 * branch on them: only their values change. Resolves to the rows the statement returns (none
 * without `RETURNING`).
 */
export function prepared<P extends Params, R>(
  build: (db: Kysely<Database>, params: P) => Compilable<R>,
): (db: Kysely<Database>, params: P) => Promise<R[]> {
  // One compiled text per dialect: the adapter is one object per Kysely instance, transactions
  // included.
  const compiled = new WeakMap<object, Compiled>()

  function compile(db: Kysely<Database>, params: P): Compiled {
    const names = Object.keys(params)
    const markers = Object.fromEntries(names.map((name) => [name, MARK + name])) as P
    const query = build(db, markers).compile()
    const slots = query.parameters.map(
      (value): Slot =>
        typeof value === 'string' && value.startsWith(MARK)
          ? { name: value.slice(MARK.length) }
          : { value },
    )
    // A name that is never a parameter was inlined into the SQL text: its value would not change.
    for (const name of names) {
      if (!slots.some((slot) => 'name' in slot && slot.name === name))
        throw new Error(`prepared statement inlines parameter ${name}: ${query.sql}`)
    }
    return { sql: query.sql, slots }
  }

  return async (db, params) => {
    const adapter = db.getExecutor().adapter
    let statement = compiled.get(adapter)
    if (!statement) {
      statement = compile(db, params)
      compiled.set(adapter, statement)
    }
    const parameters = statement.slots.map((slot) =>
      'name' in slot ? params[slot.name] : slot.value,
    )
    const result = await db.executeQuery<R>(CompiledQuery.raw(statement.sql, parameters))
    return result.rows
  }
}
