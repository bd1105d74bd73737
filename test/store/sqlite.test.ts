import { join } from 'node:path'
import { openStore } from '../../src/store/open-database.js'
import { tempDir } from '../support/temp.js'
import { storeContract } from './store-contract.js'

storeContract('SQLite file', {
  async open() {
    const temp = tempDir()
    const store = await openStore(`sqlite:${join(temp.dir, 'nested', 'assent.sqlite')}`)
    await store.migrate()
    return {
      store,
      dispose: async () => {
        await store.close()
        temp.remove()
      },
    }
  },
})
