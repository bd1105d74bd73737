import { isDeepStrictEqual } from 'node:util'
import { changes, IGNORED } from './differences.js'
import type { ManagementAnswer, ManagementCall } from './management.js'
import type { Auth0Export, ExportItem, ImportedGrant } from './read-export.js'

/**
 * Applies an Auth0 export through the Management API (DESIGN §4.2.1), so every object meets the
 * same checks as any other write. Each object is matched to what is there (an API by
 * `identifier`; a client by `client_id`, else by its one client of that name; a role by `id`, else
 * by `name`), and only what differs is written: a second run writes nothing and says so.
 */

export type Kind = 'resource server' | 'client' | 'role' | 'tenant settings' | 'grant'
export type Outcome = 'created' | 'updated' | 'kept' | 'skipped' | 'failed'

export interface ReportLine {
  readonly kind: Kind
  /** What the line is about, as a person would name it. */
  readonly name: string
  readonly outcome: Outcome
  /** The fields changed, or why it was skipped or failed. */
  readonly detail: string
  /** The file (and place in it) the object came from. */
  readonly source: string
}

// Control characters (C0, DEL, C1), invisible format characters and line separators; ZWNJ and
// ZWJ stay, as names in Persian, Indic scripts and emoji sequences need them.
const UNPRINTABLE = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu

/**
 * Text from an export as a terminal may print it: an export holds names strangers chose (a
 * client that registered itself names itself), and an escape sequence in one would retitle the
 * operator's terminal, write to its clipboard or erase lines; a line break would forge a line.
 */
const printable = (text: string): string =>
  text.replace(
    UNPRINTABLE,
    (found) => `\\u{${(found.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`,
  )

/** A report line as the command prints it, everything from the export made printable. */
export function reportLineText(line: ReportLine): string {
  const detail = line.detail ? `: ${line.detail}` : ''
  const where = line.outcome === 'failed' || line.outcome === 'skipped' ? ` (${line.source})` : ''
  return `  ${line.outcome.padEnd(8)} ${line.kind.padEnd(16)} ${printable(`${line.name}${detail}${where}`)}\n`
}

interface Found {
  readonly path: string
  readonly current: Record<string, unknown>
}

export interface ImportOptions {
  readonly dryRun: boolean
  /** Called with each line as soon as it is known. */
  readonly onLine?: (line: ReportLine) => void
}

const without = (body: Record<string, unknown>, keys: ReadonlySet<string>) =>
  Object.fromEntries(Object.entries(body).filter(([key]) => !keys.has(key)))

const failure = (answer: ManagementAnswer) =>
  `${answer.status} ${answer.body?.errorCode ?? ''}: ${answer.body?.message ?? 'no message'}`.replace(
    ' :',
    ':',
  )

const enc = encodeURIComponent

/** Applies `data` (and `grants`) and reports each object's outcome; it never throws for one. */
export async function applyExport(
  call: ManagementCall,
  data: Auth0Export,
  grants: readonly ImportedGrant[],
  options: ImportOptions,
): Promise<ReportLine[]> {
  const lines: ReportLine[] = []
  const report = (line: ReportLine) => {
    lines.push(line)
    options.onLine?.(line)
  }
  const would = (outcome: 'created' | 'updated') => (options.dryRun ? `would be ${outcome}` : '')

  /**
   * Creates `body` at `path`, or updates what `found` holds by the fields that differ; answers
   * the line to report and the object as it now is.
   */
  async function upsert(
    kind: Kind,
    name: string,
    item: ExportItem,
    found: Found | undefined,
    create: { path: string; body: Record<string, unknown> },
    ignored: ReadonlySet<string>,
  ): Promise<{ line: ReportLine; object?: Record<string, unknown> }> {
    const line = (outcome: Outcome, detail = '') => ({
      kind,
      name,
      outcome,
      detail,
      source: item.source,
    })
    if (!found) {
      if (options.dryRun) return { line: line('created', would('created')) }
      const made = await call('POST', create.path, create.body)
      if (made.status !== 201 && made.status !== 200) return { line: line('failed', failure(made)) }
      return { line: line('created'), object: made.body }
    }
    const changed = changes(item.body, found.current, ignored)
    const fields = Object.keys(changed)
    if (fields.length === 0) return { line: line('kept'), object: found.current }
    if (options.dryRun)
      return {
        line: line('updated', `${would('updated')}: ${fields.join(', ')}`),
        object: found.current,
      }
    const patched = await call('PATCH', found.path, changed)
    if (patched.status !== 200) return { line: line('failed', failure(patched)) }
    // The service may spell a value its own way (a default it fills in): no change, then.
    const same = isDeepStrictEqual(patched.body, found.current)
    return { line: same ? line('kept') : line('updated', fields.join(', ')), object: patched.body }
  }

  for (const item of data.resourceServers) {
    const identifier = String(item.body.identifier)
    if (item.body.is_system === true) {
      report({
        kind: 'resource server',
        name: identifier,
        outcome: 'skipped',
        detail: "Auth0's own API (is_system)",
        source: item.source,
      })
      continue
    }
    const path = `/resource-servers/${enc(identifier)}`
    const got = await call('GET', path)
    if (got.status !== 200 && got.status !== 404) {
      report({
        kind: 'resource server',
        name: identifier,
        outcome: 'failed',
        detail: failure(got),
        source: item.source,
      })
      continue
    }
    const found =
      got.status === 200
        ? { path: `/resource-servers/${enc(got.body.id)}`, current: got.body }
        : undefined
    const create = { path: '/resource-servers', body: item.body }
    report(
      (await upsert('resource server', identifier, item, found, create, IGNORED.resourceServer))
        .line,
    )
  }

  for (const item of data.clients) {
    const name = String(item.body.name)
    const clientId = typeof item.body.client_id === 'string' ? item.body.client_id : undefined
    let found: Found | undefined
    let label = clientId ? `${name} (${clientId})` : name
    if (clientId) {
      const got = await call('GET', `/clients/${enc(clientId)}`)
      if (got.status === 200) found = { path: `/clients/${enc(clientId)}`, current: got.body }
      else if (got.status !== 404) {
        report({
          kind: 'client',
          name: label,
          outcome: 'failed',
          detail: failure(got),
          source: item.source,
        })
        continue
      }
    } else {
      const listed = await call('GET', `/clients?q=${enc(name)}&per_page=100`)
      const same = Array.isArray(listed.body)
        ? (listed.body as Record<string, unknown>[]).filter((client) => client.name === name)
        : []
      if (same.length > 1) {
        report({
          kind: 'client',
          name,
          outcome: 'skipped',
          detail: `${same.length} clients are named so; export with --export_ids=true to tell them apart`,
          source: item.source,
        })
        continue
      }
      const [one] = same
      if (one) {
        found = { path: `/clients/${enc(String(one.client_id))}`, current: one }
        label = `${name} (${String(one.client_id)})`
      }
    }
    const create = { path: '/clients', body: item.body }
    report((await upsert('client', label, item, found, create, IGNORED.client)).line)
  }

  for (const item of data.roles) {
    await applyRole(item)
  }

  async function applyRole(item: ExportItem): Promise<void> {
    const name = String(item.body.name)
    const id = typeof item.body.id === 'string' ? item.body.id : undefined
    let found: Found | undefined
    if (id) {
      const got = await call('GET', `/roles/${enc(id)}`)
      if (got.status === 200) found = { path: `/roles/${enc(id)}`, current: got.body }
    } else {
      const listed = await call('GET', `/roles?name_filter=${enc(name)}&per_page=100`)
      const one = Array.isArray(listed.body)
        ? (listed.body as Record<string, unknown>[]).find((role) => role.name === name)
        : undefined
      if (one) found = { path: `/roles/${enc(String(one.id))}`, current: one }
    }
    const create = { path: '/roles', body: without(item.body, new Set(['permissions'])) }
    const { line, object } = await upsert('role', name, item, found, create, IGNORED.role)
    const wanted = (item.body.permissions ?? []) as Permission[]
    const roleId = typeof object?.id === 'string' ? object.id : undefined
    if (line.outcome === 'failed' || wanted.length === 0) return report(line)
    const held = roleId && found ? await permissionsOf(roleId) : new Set<string>()
    const missing = wanted.filter((p) => !held.has(permissionKey(p)))
    if (missing.length === 0) return report(line)
    const added = `${missing.length} permission${missing.length === 1 ? '' : 's'} added`
    const outcome = line.outcome === 'created' ? 'created' : 'updated'
    if (options.dryRun) {
      const detail = join(line.outcome === 'kept' ? would('updated') : line.detail, added)
      return report({ ...line, outcome, detail })
    }
    const res = roleId
      ? await call('POST', `/roles/${enc(roleId)}/permissions`, { permissions: missing })
      : { status: 500, body: { message: 'the role has no id' } }
    if (res.status !== 201)
      return report({ ...line, outcome: 'failed', detail: `permissions: ${failure(res)}` })
    report({ ...line, outcome, detail: join(line.detail, added) })
  }

  async function permissionsOf(roleId: string): Promise<Set<string>> {
    const held = new Set<string>()
    for (let page = 0; ; page++) {
      const got = await call('GET', `/roles/${enc(roleId)}/permissions?per_page=100&page=${page}`)
      const items = Array.isArray(got.body) ? (got.body as Permission[]) : []
      for (const p of items) held.add(permissionKey(p))
      if (items.length < 100) return held
    }
  }

  if (data.tenant) {
    const got = await call('GET', '/tenants/settings')
    if (got.status !== 200)
      report({
        kind: 'tenant settings',
        name: 'tenant',
        outcome: 'failed',
        detail: failure(got),
        source: data.tenant.source,
      })
    else
      report(
        (
          await upsert(
            'tenant settings',
            'tenant',
            data.tenant,
            { path: '/tenants/settings', current: got.body },
            { path: '/tenants/settings', body: data.tenant.body },
            IGNORED.tenant,
          )
        ).line,
      )
  }

  for (const grant of grants) await applyGrant(grant)

  async function applyGrant(grant: ImportedGrant): Promise<void> {
    const name = `${grant.user_id} → ${grant.clientID} (${grant.audience})`
    const base = { kind: 'grant' as const, name, source: grant.source }
    const held = await call(
      'GET',
      `/grants?user_id=${enc(grant.user_id)}&client_id=${enc(grant.clientID)}&audience=${enc(grant.audience)}`,
    )
    const scopes = new Set<string>(
      Array.isArray(held.body) ? held.body.flatMap((g: { scope: string[] }) => g.scope) : [],
    )
    if (grant.scope.every((scope) => scopes.has(scope))) {
      report({ ...base, outcome: 'kept', detail: '' })
      return
    }
    if (options.dryRun) {
      // What this run would create counts as there, as it would be by the time of the grant.
      const exists = async (exported: boolean, path: string) =>
        exported || (await call('GET', path)).status === 200
      const missing = !(await exists(
        data.clients.some((client) => client.body.client_id === grant.clientID),
        `/clients/${enc(grant.clientID)}`,
      ))
        ? `The client ${grant.clientID} does not exist`
        : !(await exists(
              data.resourceServers.some((api) => api.body.identifier === grant.audience),
              `/resource-servers/${enc(grant.audience)}`,
            ))
          ? `The resource server ${grant.audience} does not exist`
          : undefined
      report(
        missing
          ? { ...base, outcome: 'skipped', detail: missing }
          : { ...base, outcome: 'created', detail: would('created') },
      )
      return
    }
    const res = await call('POST', '/grants', {
      user_id: grant.user_id,
      clientID: grant.clientID,
      audience: grant.audience,
      scope: grant.scope,
    })
    if (res.status === 201) report({ ...base, outcome: 'created', detail: '' })
    else if (res.status === 200) report({ ...base, outcome: 'kept', detail: '' })
    else if (res.status === 404)
      report({ ...base, outcome: 'skipped', detail: res.body?.message ?? 'not found' })
    else report({ ...base, outcome: 'failed', detail: failure(res) })
  }

  return lines
}

const join = (...parts: string[]) => parts.filter(Boolean).join('; ')

interface Permission {
  readonly permission_name: string
  readonly resource_server_identifier: string
}

const permissionKey = (p: Permission) => `${p.resource_server_identifier} ${p.permission_name}`
