import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../src/store/open-database.js'
import { ROOT } from '../support/process.js'
import { tempDir } from '../support/temp.js'
import { createTestApp } from '../support/test-app.js'
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

describe('SQLite in memory (sqlite::memory:)', () => {
  it('gives each store a database of its own, and writes no file', async () => {
    const before = readdirSync(ROOT)
    const [one, two] = [await openStore('sqlite::memory:'), await openStore('sqlite::memory:')]
    try {
      await one.migrate()
      await two.migrate()
      expect(await one.keys.getOrCreate('k', () => 'one')).toBe('one')
      expect(await two.keys.getOrCreate('k', () => 'two')).toBe('two')
      expect(await one.keys.getOrCreate('k', () => 'again')).toBe('one')
    } finally {
      await one.close()
      await two.close()
    }
    expect(readdirSync(ROOT)).toEqual(before)
  })

  it('is where createTestApp() keeps its data unless a test asks for a file', async () => {
    const memory = await createTestApp()
    const file = await createTestApp({ database: 'file' })
    try {
      expect(memory.deps.config.databaseUrl).toBe('sqlite::memory:')
      const path = file.deps.config.databaseUrl.slice('sqlite:'.length)
      expect(existsSync(path)).toBe(true)
    } finally {
      await memory.close()
      await file.close()
    }
  })
})
