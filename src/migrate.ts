import { ConfigError, loadConfigFromEnvironment } from './config/env.js'
import { openStore } from './store/open-database.js'

/** `npm run migrate`: brings the database of `DATABASE_URL` up to date, then exits. */
async function main(): Promise<void> {
  const config = loadConfigFromEnvironment()
  const store = await openStore(config.databaseUrl)
  try {
    await store.migrate()
    process.stdout.write('Migrations are up to date.\n')
  } finally {
    await store.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
