import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'

/**
 * Reads an Auth0 Deploy CLI export (DESIGN §4.2.1): its directory format (`resource-servers/*.json`,
 * `clients/*.json`, `roles/*.json`, `tenant.json`) or its YAML format (`tenant.yaml`, with
 * `resourceServers`, `clients`, `roles` and `tenant`), and a grants file as Auth0's
 * `GET /api/v2/grants` answers. Only the shape the import needs is checked here; every field is
 * checked again, whole, by the Management API that applies it.
 */

/** One object of the export and where it was read, for the report and for errors. */
export interface ExportItem {
  readonly source: string
  readonly body: Record<string, unknown>
}

export interface Auth0Export {
  readonly resourceServers: readonly ExportItem[]
  readonly clients: readonly ExportItem[]
  readonly roles: readonly ExportItem[]
  readonly tenant: ExportItem | undefined
}

export interface ImportedGrant {
  readonly source: string
  readonly id: string | undefined
  readonly user_id: string
  readonly clientID: string
  readonly audience: string
  readonly scope: readonly string[]
}

/** A file that cannot be imported, named with the field at fault. */
export class ExportError extends Error {
  override readonly name = 'ExportError'
}

const text = z.string().min(1)
const permission = z.object({ permission_name: text, resource_server_identifier: text })

/** What the import itself reads of each kind; the rest goes to the API as it is. */
const SHAPES = {
  resourceServers: z.looseObject({ identifier: text, id: z.string().optional() }),
  clients: z.looseObject({ name: text, client_id: z.string().optional() }),
  roles: z.looseObject({
    name: text,
    id: z.string().optional(),
    permissions: z.array(permission).optional(),
  }),
  tenant: z.looseObject({}),
} as const

const grantsFile = z.array(
  z.object({
    id: z.string().optional(),
    user_id: text,
    clientID: text,
    audience: text,
    scope: z.array(z.string()),
  }),
)

/** `file: field: message` for the first problem zod found. */
function problem(source: string, error: z.ZodError): ExportError {
  const issue = error.issues[0]
  const path = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : ''
  return new ExportError(`${source}: ${path}${issue?.message ?? 'invalid'}`)
}

function check<T extends z.ZodType>(schema: T, value: unknown, source: string): z.output<T> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw problem(source, parsed.error)
  return parsed.data
}

function readJson(file: string, shown: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ExportError(`${shown}: not JSON (${(error as Error).message})`)
  }
}

function item(kind: keyof typeof SHAPES, value: unknown, source: string): ExportItem {
  return { source, body: check(SHAPES[kind], value, source) as Record<string, unknown> }
}

/** The `.json` files of a folder of the export, in name order (an absent folder has none). */
function folder(root: string, name: string, kind: keyof typeof SHAPES): ExportItem[] {
  const dir = join(root, name)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const shown = join(name, file)
      return item(kind, readJson(join(dir, file), shown), shown)
    })
}

/**
 * A client's custom login page is exported beside it as `./<name>_custom_login_page.html`; the
 * page itself is what Auth0 held, so it is read back in.
 */
function withLoginPage(client: ExportItem, dir: string): ExportItem {
  const page = client.body.custom_login_page
  if (typeof page !== 'string' || !/^\.\/[^/\\]+\.html$/.test(page)) return client
  const file = join(dir, page)
  if (!existsSync(file))
    throw new ExportError(`${client.source}: custom_login_page: ${page} is missing`)
  return { ...client, body: { ...client.body, custom_login_page: readFileSync(file, 'utf8') } }
}

function readDirectory(root: string): Auth0Export {
  const tenantFile = join(root, 'tenant.json')
  return {
    resourceServers: folder(root, 'resource-servers', 'resourceServers'),
    clients: folder(root, 'clients', 'clients').map((client) =>
      withLoginPage(client, join(root, 'clients')),
    ),
    roles: folder(root, 'roles', 'roles'),
    tenant: existsSync(tenantFile)
      ? item('tenant', readJson(tenantFile, 'tenant.json'), 'tenant.json')
      : undefined,
  }
}

function readYaml(file: string): Auth0Export {
  const shown = basename(file)
  let doc: unknown
  try {
    doc = parseYaml(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ExportError(`${shown}: not YAML (${(error as Error).message})`)
  }
  const top = check(
    z.object({
      resourceServers: z.array(z.unknown()).nullish(),
      clients: z.array(z.unknown()).nullish(),
      roles: z.array(z.unknown()).nullish(),
      tenant: z.unknown().optional(),
    }),
    doc ?? {},
    shown,
  )
  const list = (kind: 'resourceServers' | 'clients' | 'roles') =>
    (top[kind] ?? []).map((value, i) => item(kind, value, `${shown}: ${kind}[${i}]`))
  return {
    resourceServers: list('resourceServers'),
    clients: list('clients').map((client) => withLoginPage(client, dirname(file))),
    roles: list('roles'),
    tenant:
      top.tenant === undefined || top.tenant === null
        ? undefined
        : item('tenant', top.tenant, `${shown}: tenant`),
  }
}

/**
 * The export at `path`: a YAML file, a folder holding `tenant.yaml` (or `tenant.yml`), or a folder
 * in the directory format.
 */
export function readExport(path: string): Auth0Export {
  if (!existsSync(path)) throw new ExportError(`${path}: no such file or folder`)
  if (!statSync(path).isDirectory()) {
    if (!/\.ya?ml$/i.test(path))
      throw new ExportError(`${path}: expected a folder or a .yaml file of a Deploy CLI export`)
    return readYaml(path)
  }
  for (const name of ['tenant.yaml', 'tenant.yml'])
    if (existsSync(join(path, name))) return readYaml(join(path, name))
  const found = readDirectory(path)
  if (
    found.resourceServers.length + found.clients.length + found.roles.length === 0 &&
    !found.tenant
  )
    throw new ExportError(
      `${path}: neither tenant.yaml nor resource-servers/, clients/, roles/ or tenant.json: is this a Deploy CLI export?`,
    )
  return found
}

/** A JSON array of users' grants, as Auth0's `GET /api/v2/grants` answers. */
export function readGrants(file: string): ImportedGrant[] {
  if (!existsSync(file)) throw new ExportError(`${file}: no such file`)
  return check(grantsFile, readJson(file, file), file).map((grant, i) => ({
    source: `${file}[${i}]`,
    id: grant.id,
    user_id: grant.user_id,
    clientID: grant.clientID,
    audience: grant.audience,
    scope: grant.scope,
  }))
}
