/**
 * Writes src/routes/management/auth0-fields/*.generated.ts: the fields of Auth0's Management API
 * models as the official `auth0` SDK's generated types define them (DESIGN §4.2.1). The SDK ships
 * types only, and TypeScript 7 has no compiler API to read them with, so this reads the `.d.ts`
 * text: the SDK's generator writes one member a line inside `export interface Name {` … `}`, enums
 * as `export declare const Name: { readonly Key: "value"; … }`, and aliases as `export type`.
 * Re-run it after upgrading the SDK: `npx tsx scripts/auth0-fields.ts` (a test says when it is due).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A field's type, as far as a request body's validation needs it. */
export type FieldType =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'unknown' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }

export interface FieldSpec {
  readonly type: FieldType
  readonly nullable: boolean
}

export type ModelFields = Record<string, FieldSpec>

/** The models Assent accepts whole, by the name the generated module gives them. */
export const MODELS = {
  ResourceServerCreate: 'CreateResourceServerRequestContent',
  ResourceServerUpdate: 'UpdateResourceServerRequestContent',
  ResourceServer: 'GetResourceServerResponseContent',
  ClientCreate: 'CreateClientRequestContent',
  ClientUpdate: 'UpdateClientRequestContent',
  Client: 'GetClientResponseContent',
  RoleCreate: 'CreateRoleRequestContent',
  RoleUpdate: 'UpdateRoleRequestContent',
  Role: 'GetRoleResponseContent',
  TenantSettingsUpdate: 'UpdateTenantSettingsRequestContent',
  TenantSettings: 'GetTenantSettingsResponseContent',
} as const

/** The declarations of the SDK's text, by name: interfaces' bodies, enums' values, aliases. */
interface Declarations {
  readonly interfaces: Map<string, string>
  readonly enums: Map<string, string[]>
  readonly aliases: Map<string, string>
}

/** Reads every top-level declaration the generator writes; nested braces stay in the body. */
export function readDeclarations(sources: readonly string[]): Declarations {
  const interfaces = new Map<string, string>()
  const enums = new Map<string, string[]>()
  const aliases = new Map<string, string>()
  for (const source of sources) {
    const lines = source.split('\n')
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? ''
      const iface = /^export interface (\w+)(?: extends [^{]+)? \{$/.exec(line)
      const enumStart = /^export declare const (\w+): \{$/.exec(line)
      if (iface || enumStart) {
        const body: string[] = []
        let depth = 1
        while (++i < lines.length) {
          const inner = lines[i] ?? ''
          depth += (inner.match(/\{/g) ?? []).length - (inner.match(/\}/g) ?? []).length
          if (depth <= 0) break
          body.push(inner)
        }
        if (iface?.[1]) interfaces.set(iface[1], body.join('\n'))
        if (enumStart?.[1])
          enums.set(
            enumStart[1],
            body.flatMap((member) => {
              const value = /^\s+readonly \w+: "([^"]*)";$/.exec(member)?.[1]
              return value === undefined ? [] : [value]
            }),
          )
        continue
      }
      const alias = /^export type (\w+) = (.+);$/.exec(line)
      if (alias?.[1] && alias[2]) aliases.set(alias[1], alias[2])
    }
  }
  return { interfaces, enums, aliases }
}

/** Splits `a | (b | c)[] | d` at its top-level `|`. */
function unionParts(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '(' || ch === '<' || ch === '{' || ch === '[') depth++
    else if (ch === ')' || ch === '>' || ch === '}' || ch === ']') depth--
    else if (ch === '|' && depth === 0) {
      parts.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(text.slice(start).trim())
  return parts.filter((part) => part !== '')
}

/** Whether a type text names `null`, and the type without `null` and `undefined`. */
function resolve(text: string, decls: Declarations, seen: Set<string> = new Set()): FieldSpec {
  let nullable = false
  const kinds: FieldType[] = []
  for (let part of unionParts(text)) {
    while (part.startsWith('(') && part.endsWith(')')) part = part.slice(1, -1).trim()
    if (part === 'undefined') continue
    if (part === 'null') {
      nullable = true
      continue
    }
    if (unionParts(part).length > 1) {
      const inner = resolve(part, decls, seen)
      nullable ||= inner.nullable
      kinds.push(inner.type)
      continue
    }
    kinds.push(kindOf(part, decls, seen, (isNull) => (nullable ||= isNull)))
  }
  return { type: merge(kinds), nullable }
}

function kindOf(
  part: string,
  decls: Declarations,
  seen: Set<string>,
  nullable: (isNull: boolean) => void,
): FieldType {
  if (part.endsWith('[]') || part.startsWith('Array<')) return { kind: 'array' }
  if (part === 'string' || part === 'number' || part === 'boolean') return { kind: part }
  if (/^"[^"]*"$/.test(part)) return { kind: 'enum', values: [part.slice(1, -1)] }
  if (part.startsWith('Record<') || part.startsWith('{')) return { kind: 'object' }
  const name = /^(?:Management\.)?(\w+)$/.exec(part)?.[1]
  if (!name || seen.has(name)) return { kind: 'unknown' }
  const values = decls.enums.get(name)
  if (values) return { kind: 'enum', values }
  if (decls.interfaces.has(name)) return { kind: 'object' }
  const alias = decls.aliases.get(name)
  if (alias !== undefined) {
    const inner = resolve(alias, decls, new Set([...seen, name]))
    nullable(inner.nullable)
    return inner.type
  }
  return { kind: 'unknown' }
}

/** One kind for a union: enums join; anything else mixed is `unknown` (validated as JSON only). */
function merge(kinds: readonly FieldType[]): FieldType {
  const [first, ...rest] = kinds
  if (!first) return { kind: 'unknown' }
  if (first.kind === 'enum' && rest.every((kind) => kind.kind === 'enum')) {
    const values = kinds.flatMap((kind) => (kind.kind === 'enum' ? kind.values : []))
    return { kind: 'enum', values: [...new Set(values)] }
  }
  if (rest.every((kind) => kind.kind === first.kind)) return first
  return { kind: 'unknown' }
}

/** The fields of one interface: its members at the top level of its body. */
export function modelFields(name: string, decls: Declarations): ModelFields {
  const body = decls.interfaces.get(name)
  if (body === undefined) throw new Error(`The SDK has no interface ${name}`)
  const fields: ModelFields = {}
  let depth = 0
  for (const line of body.split('\n')) {
    const member = depth === 0 ? /^ {4}(\w+)\??: (.+);$/.exec(line) : null
    const inline = depth === 0 ? /^ {4}(\w+)\??: \{$/.exec(line) : null
    if (member?.[1] && member[2]) fields[member[1]] = resolve(member[2], decls)
    else if (inline?.[1]) fields[inline[1]] = { type: { kind: 'object' }, nullable: false }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length
  }
  return fields
}

/**
 * The generated modules' texts, by file name: one module a model (each under the size a source
 * file may have), the field types, and an index that puts the models together.
 */
export function renderModules(
  models: Record<string, ModelFields>,
  sdkVersion: string,
): Record<string, string> {
  const banner = `// Generated by scripts/auth0-fields.ts from the auth0 SDK ${sdkVersion}; do not edit.\n`
  const files: Record<string, string> = {
    'types.generated.ts': `${banner}// The fields of Auth0's Management API models (DESIGN §4.2.1): name, type, and whether null is allowed.

export type Auth0FieldType =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'unknown' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }

export interface Auth0Field {
  readonly type: Auth0FieldType
  readonly nullable: boolean
}
`,
  }
  for (const [model, fields] of Object.entries(models)) {
    const rows = Object.entries(fields)
      .map(([field, spec]) => `  ${field}: ${JSON.stringify(spec)},`)
      .join('\n')
    files[`${model}.generated.ts`] =
      `${banner}import type { Auth0Field } from './types.generated.js'

export const ${model} = {
${rows}
} as const satisfies Record<string, Auth0Field>
`
  }
  const names = Object.keys(models)
  files['index.generated.ts'] = `${banner}${names
    .map((model) => `import { ${model} } from './${model}.generated.js'`)
    .join('\n')}

export type { Auth0Field, Auth0FieldType } from './types.generated.js'

export const AUTH0_MODELS = { ${names.join(', ')} } as const
`
  return files
}

/** The models as the installed SDK defines them, and its version. */
export function sdkModels(): { models: Record<string, ModelFields>; version: string } {
  const require = createRequire(import.meta.url)
  const pkgPath = require.resolve('auth0/package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }
  const api = join(dirname(pkgPath), 'dist', 'cjs', 'management', 'api')
  const decls = readDeclarations([
    readFileSync(join(api, 'requests', 'requests.d.ts'), 'utf8'),
    readFileSync(join(api, 'types', 'types.d.ts'), 'utf8'),
  ])
  const models = Object.fromEntries(
    Object.entries(MODELS).map(([model, sdkName]) => [model, modelFields(sdkName, decls)]),
  )
  return { models, version: pkg.version }
}

export const GENERATED_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'routes',
  'management',
  'auth0-fields',
)

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { models, version } = sdkModels()
  mkdirSync(GENERATED_DIR, { recursive: true })
  const written = Object.entries(renderModules(models, version)).map(([name, text]) => {
    const path = join(GENERATED_DIR, name)
    writeFileSync(path, text)
    return path
  })
  // In the repository's format, so a re-run with an unchanged SDK changes nothing.
  execFileSync('npx', ['biome', 'check', '--write', ...written], { stdio: 'inherit' })
  console.log(`wrote ${written.length} files in ${GENERATED_DIR}`)
}
