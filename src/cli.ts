#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { createApp } from './app/create-app.js'
import { shippedAppDeps } from './app/deps.js'
import {
  applyExport,
  type Kind,
  type Outcome,
  type ReportLine,
  reportLineText,
} from './auth0-import/apply.js'
import { type ManagementCall, managementCaller } from './auth0-import/management.js'
import { ExportError, readExport, readGrants } from './auth0-import/read-export.js'
import { bootstrap } from './bootstrap.js'
import {
  type Config,
  ConfigError,
  ENVIRONMENT_HELP,
  loadConfigFromEnvironment,
} from './config/env.js'
import { createLogger } from './logger.js'
import { openStore } from './store/open-database.js'

/** `assent`: the package's command (DESIGN §8): serve, migrate, and the import from Auth0. */

const USAGE = `Usage: assent <command> [options]

Commands:
  serve                      Run the server; creates the database and runs migrations if needed
  migrate                    Bring the database up to date, then exit
  import-auth0 <dir|file>    Import an Auth0 Deploy CLI export (directory or YAML format, made
                             with --export_ids=true): APIs, clients, roles and their permissions,
                             tenant settings. Matched by identifier, client_id or name, and name:
                             a second run changes nothing.
      --grants <file>        also import users' grants: a JSON array as Auth0's GET /api/v2/grants
                             answers; a grant whose client is not found is skipped
      --url <url>            apply through the Management API of the Assent at <url>; without it,
                             straight into the database of DATABASE_URL
      --token <token>        the Management API token for --url (default: ASSENT_ADMIN_TOKEN)
      --dry-run              say what would change, and change nothing

Options:
  -h, --help                 Show this help

Environment (every command; checked at start, every bad one named):
${Object.entries(ENVIRONMENT_HELP)
  .map(([name, meaning]) => `  ${name.padEnd(35)}${meaning}`)
  .join('\n')}
`

class UsageError extends Error {}

function loadConfig(): Config {
  try {
    return loadConfigFromEnvironment()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
}

/** The Management API of the database of `DATABASE_URL`, answered in this process. */
async function localManagement(config: Config): Promise<{
  call: ManagementCall
  close: () => Promise<void>
}> {
  const store = await openStore(config.databaseUrl)
  // An import never seeds the demo unless asked to: the data imported is the data wanted.
  const ready = await bootstrap({ ...config, demo: config.demo ?? false }, store)
  if (ready.adminTokenCreated)
    process.stdout.write(
      `Admin token created (shown once, kept in ${ready.adminTokenFile ?? 'the database'}):\n  ${ready.adminToken}\n`,
    )
  const app = createApp(
    shippedAppDeps({ config, store, log: createLogger('silent'), adminToken: ready.adminToken }),
    { demo: false },
  )
  return {
    call: managementCaller((request) => app.fetch(request), config.publicUrl, ready.adminToken),
    close: () => store.close(),
  }
}

const KINDS: readonly Kind[] = ['resource server', 'client', 'role', 'tenant settings', 'grant']
const OUTCOMES: readonly Outcome[] = ['created', 'updated', 'kept', 'skipped', 'failed']

function printLine(line: ReportLine): void {
  process.stdout.write(reportLineText(line))
}

/** One line a kind: what happened to how many. */
function summary(lines: readonly ReportLine[], dryRun: boolean): string {
  const out = ['', dryRun ? 'Dry run: nothing was written. It would have:' : 'Summary:']
  for (const kind of KINDS) {
    const of = lines.filter((line) => line.kind === kind)
    if (of.length === 0) continue
    const counts = OUTCOMES.map(
      (outcome) => `${of.filter((line) => line.outcome === outcome).length} ${outcome}`,
    )
    out.push(`  ${kind}: ${counts.join(', ')}`)
  }
  const changed = lines.some((line) => line.outcome === 'created' || line.outcome === 'updated')
  if (!changed) out.push('Nothing changed: everything imported is already there.')
  return `${out.join('\n')}\n`
}

async function importAuth0(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      grants: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  })
  const [path, ...extra] = positionals
  if (!path || extra.length > 0)
    throw new UsageError('import-auth0 takes one export: a folder or a .yaml file')
  const data = readExport(path)
  const grants = values.grants ? readGrants(values.grants) : []
  const config = loadConfig()
  let management: { call: ManagementCall; close: () => Promise<void> }
  if (values.url) {
    let base: URL
    try {
      base = new URL(values.url)
    } catch {
      throw new UsageError(`--url ${values.url}: not a URL`)
    }
    // The token has every scope: over plain http it would cross the network readable.
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(base.hostname)
    if (base.protocol !== 'https:' && !(base.protocol === 'http:' && loopback))
      throw new UsageError('--url must be https (or http on localhost): the token goes with it')
    const token = values.token ?? config.adminToken
    if (!token) throw new UsageError('--url needs --token, or ASSENT_ADMIN_TOKEN')
    management = { call: managementCaller(fetch, base, token), close: async () => {} }
  } else {
    if (values.token) throw new UsageError('--token goes with --url')
    management = await localManagement(config)
  }
  const dryRun = values['dry-run']
  process.stdout.write(`Importing ${path}${dryRun ? ' (dry run)' : ''}\n`)
  try {
    const lines = await applyExport(management.call, data, grants, {
      dryRun,
      onLine: printLine,
    })
    process.stdout.write(summary(lines, dryRun))
    return lines.some((line) => line.outcome === 'failed') ? 1 : 0
  } finally {
    await management.close()
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    ;(command === undefined ? process.stderr : process.stdout).write(USAGE)
    return command === undefined ? 2 : 0
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(USAGE)
    return 0
  }
  switch (command) {
    case 'serve':
      loadConfig()
      // The server runs until SIGTERM; it exits by itself.
      await import('./main.js')
      return -1
    case 'migrate':
      loadConfig()
      await import('./migrate.js')
      return -1
    case 'import-auth0':
      return importAuth0(rest)
    default:
      throw new UsageError(`unknown command ${command}`)
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`assent: ${(error as Error).message}\n\n${USAGE}`)
      process.exitCode = 2
    } else if (error instanceof ExportError) {
      process.stderr.write(`assent import-auth0: ${error.message}\n`)
      process.exitCode = 1
    } else {
      process.stderr.write(`assent: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exitCode = 1
    }
  },
)
