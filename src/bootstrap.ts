import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from './config/env.js'
import type { Tenant } from './entities.js'
import { tenantForHost } from './services/admin/tenants.js'
import { seedDemo } from './services/demo.js'
import type { Store } from './store/port.js'

export const DEFAULT_TENANT_ID = 'default'

export interface Bootstrapped {
  readonly tenant: Tenant
  readonly demo: boolean
  readonly adminToken: string
  /** Set when this start generated the token: it is printed once, then only its file is named. */
  readonly adminTokenFile: string | undefined
  readonly adminTokenCreated: boolean
}

/**
 * Prepares a store for serving (DESIGN §8): migrations, the default tenant on an empty database,
 * the demo data, and the static admin token.
 */
export async function bootstrap(config: Config, store: Store): Promise<Bootstrapped> {
  await store.migrate()
  // Instances starting together on one empty database must not both create the tenant.
  return store.exclusive('bootstrap', async () => {
    const fresh = (await store.tenants.count()) === 0
    if (fresh) {
      await store.tenants.create({
        id: DEFAULT_TENANT_ID,
        domains: [config.publicUrl.hostname],
        settings: {
          friendly_name: 'Assent',
          default_locale: 'en',
          // Every flag at its default (src/consent/flags.ts): nothing stored until an admin sets one.
          flags: {},
        },
      })
    }
    const tenant =
      (await store.tenants.get(DEFAULT_TENANT_ID)) ??
      (await tenantForHost(store, () => config.publicUrl.hostname))
    if (!tenant)
      throw new Error('no default tenant: the database holds several tenants and none is "default"')

    // Unset, the demo is on for the database a first start created, and stays on for it.
    if (fresh && config.demo === undefined) await store.meta.set('demo', '1')
    const demo = config.demo ?? (await store.meta.get('demo')) === '1'
    if (demo) await seedDemo(store, tenant, config.publicUrl)

    return {
      tenant: (await store.tenants.get(tenant.id)) ?? tenant,
      demo,
      ...(await adminToken(config, store)),
    }
  })
}

/**
 * The static admin token: configured, or generated once. With SQLite it is kept in the data
 * folder (mode 0600); with PostgreSQL in the store, so that every instance accepts the same one.
 */
async function adminToken(
  config: Config,
  store: Store,
): Promise<Pick<Bootstrapped, 'adminToken' | 'adminTokenFile' | 'adminTokenCreated'>> {
  if (config.adminToken)
    return { adminToken: config.adminToken, adminTokenFile: undefined, adminTokenCreated: false }
  if (!config.databaseUrl.startsWith('sqlite:')) {
    const candidate = randomBytes(32).toString('base64url')
    const kept = await store.keys.getOrCreate('admin-token', () => candidate)
    return { adminToken: kept, adminTokenFile: undefined, adminTokenCreated: kept === candidate }
  }
  const file = join(config.dataDir, 'admin-token')
  if (existsSync(file)) {
    return {
      adminToken: readFileSync(file, 'utf8').trim(),
      adminTokenFile: file,
      adminTokenCreated: false,
    }
  }
  mkdirSync(config.dataDir, { recursive: true })
  const created = randomBytes(32).toString('base64url')
  writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  return { adminToken: created, adminTokenFile: file, adminTokenCreated: true }
}
