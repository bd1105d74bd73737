import { openPostgres, openSqlite } from '../../src/store/open-database.js'
import { createTestDatabase, TEST_DATABASE_URL } from './postgres.js'

/** Both databases, each opened empty: SQLite in memory, PostgreSQL when `TEST_DATABASE_URL` is set. */
export const engines = [
  {
    name: 'SQLite',
    skip: false,
    open: async () => ({ db: openSqlite(':memory:'), drop: async () => {} }),
  },
  {
    name: 'PostgreSQL',
    skip: !TEST_DATABASE_URL,
    open: async () => {
      const database = await createTestDatabase()
      return { db: await openPostgres(database.url), drop: database.drop }
    },
  },
]
