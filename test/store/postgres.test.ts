import { describe } from 'vitest'
import { openStore } from '../../src/store/open-database.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js'
import { storeContract } from './store-contract.js'

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL (TEST_DATABASE_URL)', () => {
  storeContract('PostgreSQL', {
    async open() {
      const database = await createTestDatabase()
      const store = await openStore(database.url)
      await store.migrate()
      return {
        store,
        dispose: async () => {
          await store.close()
          await database.drop()
        },
      }
    },
  })
})
