import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from './config.js'
import { seedDemo } from './demo.js'
import type { Store, Tenant } from './store/port.js'

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
  const fresh = (await store.tenants.count()) === 0
  if (fresh) {
    await store.tenants.create({
      id: DEFAULT_TENANT_ID,
      domains: [config.publicUrl.hostname],
      settings: {
        friendly_name: 'Assent',
        default_locale: 'en',
        flags: { use_scope_descriptions_for_consent: false },
      },
    })
  }
  const tenant =
    (await store.tenants.get(DEFAULT_TENANT_ID)) ??
    (await store.tenants.forHost(config.publicUrl.hostname))
  if (!tenant)
    throw new Error('no default tenant: the database holds several tenants and none is "default"')

  // Unset, the demo is on for the database a first start created, and stays on for it.
  if (fresh && config.demo === undefined) await store.meta.set('demo', '1')
  const demo = config.demo ?? (await store.meta.get('demo')) === '1'
  if (demo) await seedDemo(store, tenant, config.publicUrl)

  const token = adminToken(config)
  return {
    tenant: (await store.tenants.get(tenant.id)) ?? tenant,
    demo,
    ...token,
  }
}

function adminToken(
  config: Config,
): Pick<Bootstrapped, 'adminToken' | 'adminTokenFile' | 'adminTokenCreated'> {
  if (config.adminToken)
    return { adminToken: config.adminToken, adminTokenFile: undefined, adminTokenCreated: false }
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
