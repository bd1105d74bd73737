import { dirname } from 'node:path'
import proxyaddr from 'proxy-addr'
import { z } from 'zod'

/**
 * Configuration (DESIGN §8). This module is the only reader of `process.env`: every variable is
 * validated at start, and every bad one is named before the process exits.
 */
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value))

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<file> or postgres://…')
      .default('sqlite:./data/assent.sqlite'),
    ASSENT_PUBLIC_URL: httpUrl.optional(),
    ASSENT_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    ASSENT_ALLOWED_RETURN_URLS: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? '')
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean),
      )
      .pipe(z.array(httpUrl)),
    ASSENT_MGMT_JWKS_URL: httpUrl.optional(),
    ASSENT_MGMT_ISSUER: z.string().min(1).optional(),
    ASSENT_DEMO: flag.optional(),
    ASSENT_REQUEST_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
    // At least an hour: the AS reads an answer (DESIGN §3.4) well within that of its arrival.
    ASSENT_REQUEST_RETENTION_SECONDS: z.coerce
      .number()
      .int()
      .min(3600)
      .max(366 * 86_400)
      .default(86_400),
    ASSENT_DATA_DIR: z.string().min(1).optional(),
    ASSENT_RATE_LIMIT_ANSWERS: z.coerce.number().int().min(0).max(1_000_000).default(120),
    ASSENT_RATE_LIMIT_CREATES: z.coerce.number().int().min(0).max(10_000_000).default(1200),
    ASSENT_RATE_LIMIT_ADMIN_LOGIN: z.coerce.number().int().min(0).max(1_000_000).default(10),
    ASSENT_RATE_LIMIT_DEMO: z.coerce.number().int().min(0).max(1_000_000).default(30),
    ASSENT_TRUSTED_PROXIES: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? '')
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .refine(
        (list) => {
          try {
            proxyaddr.compile(list)
            return true
          } catch {
            return false
          }
        },
        { message: 'must be comma-separated IP addresses or CIDR ranges' },
      ),
    ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: flag.optional(),
    ASSENT_METRICS_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters')
      // What a scraper can send as `Authorization: Bearer …` (RFC 6750 §2.1 b64token).
      .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'must use only letters, digits and - . _ ~ + /')
      .optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .refine((env) => !env.ASSENT_MGMT_JWKS_URL === !env.ASSENT_MGMT_ISSUER, {
    message: 'ASSENT_MGMT_JWKS_URL and ASSENT_MGMT_ISSUER go together',
    path: ['ASSENT_MGMT_ISSUER'],
  })

export interface Config {
  readonly port: number
  readonly host: string
  readonly databaseUrl: string
  /** Where the admin token and the SQLite file live unless configured otherwise. */
  readonly dataDir: string
  readonly publicUrl: URL
  readonly adminToken: string | undefined
  readonly allowedReturnUrls: readonly string[]
  readonly managementJwt: { readonly jwksUrl: string; readonly issuer: string } | undefined
  /** `undefined`: decided at start — on for a database this start created (DESIGN §8). */
  readonly demo: boolean | undefined
  readonly requestTtlSeconds: number
  /** How long a consent request is kept once answered or expired, before it is purged (§3.4). */
  readonly requestRetentionSeconds: number
  /**
   * Per minute (0 is no limit): answers from one client address; consent requests for one client
   * (×5 from one address); admin sign-ins from one address; demo requests from one address.
   */
  readonly rateLimits: {
    readonly answersPerAddress: number
    readonly createsPerClient: number
    readonly adminLoginPerAddress: number
    readonly demoPerAddress: number
  }
  /** Proxies whose `X-Forwarded-For` is believed (DESIGN §6); empty: none. */
  readonly trustedProxies: readonly string[]
  /**
   * Webhook endpoints may be on loopback, `http:` too (tests, examples); otherwise `https:` to
   * public addresses only (DESIGN §3.8).
   */
  readonly webhookAllowHttpLoopback: boolean
  /** A bearer token `/metrics` asks for; `undefined`: open. */
  readonly metricsToken: string | undefined
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Reads this process's environment: the one place `process.env` is read. */
export function loadConfigFromEnvironment(): Config {
  return loadConfig(process.env)
}

/** Parses the environment; throws `ConfigError` naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  )
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`,
      ),
    )
  }
  const e = parsed.data
  const publicUrl = new URL(e.ASSENT_PUBLIC_URL ?? `http://localhost:${e.PORT}`)
  const sqliteFile = e.DATABASE_URL.startsWith('sqlite:')
    ? e.DATABASE_URL.slice('sqlite:'.length)
    : undefined
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir:
      e.ASSENT_DATA_DIR ??
      (sqliteFile && sqliteFile !== ':memory:' ? dirname(sqliteFile) : './data'),
    publicUrl,
    adminToken: e.ASSENT_ADMIN_TOKEN,
    allowedReturnUrls:
      e.ASSENT_ALLOWED_RETURN_URLS.length > 0 ? e.ASSENT_ALLOWED_RETURN_URLS : [publicUrl.origin],
    managementJwt:
      e.ASSENT_MGMT_JWKS_URL && e.ASSENT_MGMT_ISSUER
        ? { jwksUrl: e.ASSENT_MGMT_JWKS_URL, issuer: e.ASSENT_MGMT_ISSUER }
        : undefined,
    demo: e.ASSENT_DEMO,
    requestTtlSeconds: e.ASSENT_REQUEST_TTL_SECONDS,
    requestRetentionSeconds: e.ASSENT_REQUEST_RETENTION_SECONDS,
    rateLimits: {
      answersPerAddress: e.ASSENT_RATE_LIMIT_ANSWERS,
      createsPerClient: e.ASSENT_RATE_LIMIT_CREATES,
      adminLoginPerAddress: e.ASSENT_RATE_LIMIT_ADMIN_LOGIN,
      demoPerAddress: e.ASSENT_RATE_LIMIT_DEMO,
    },
    trustedProxies: e.ASSENT_TRUSTED_PROXIES,
    metricsToken: e.ASSENT_METRICS_TOKEN,
    webhookAllowHttpLoopback: e.ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK ?? false,
    logLevel: e.LOG_LEVEL,
  }
}

/** Policy constants: the bounds the service holds to whatever the environment says. */
export const limits = {
  /** Page forms (consent answer, admin forms): DESIGN §6. */
  formBodyBytes: 64 * 1024,
  /** Management API bodies: an API with 1000 scopes and per-locale descriptions (DESIGN §4). */
  managementBodyBytes: 1024 * 1024,
  /**
   * Entries the cached store keeps in memory (src/store/cached-store.ts), least recently used
   * dropped first: each bound holds memory whatever the traffic. Host names are cached only when
   * they name a tenant, so random `Host` headers cannot fill the cache.
   */
  cache: {
    tenantHosts: 1000,
    tenants: 1000,
    /** Keyed by id and by identifier, so one API may take two entries. */
    resourceServers: 2000,
    clients: 1000,
    /**
     * Consent requests a browser opened, kept from the page to the answer and from the answer to
     * the verify when one process owns the store, 1–2 KB each. The answer to a page comes
     * after a person has read it, so under load the requests opened since push a page's request
     * out whatever the bound (bench/README.md); a verify comes milliseconds after its answer.
     */
    consentRequests: 1024,
    /** Form tokens of the pages opened lately, about 150 bytes each (`csrf.ts`). */
    csrfTokens: 4096,
  },
  /** Translators kept, one per locale with a translation file (eight today); never more. */
  translators: 64,
  /** Template paths Eta resolved (template name × the template including it); never more. */
  viewPaths: 256,
  /** Prepared SQLite statements kept, one per distinct SQL text; the least used goes first. */
  sqliteStatements: 1000,
  /** SQLite's page cache, in KiB (`PRAGMA cache_size`), held in the server's own memory. */
  sqliteCacheKib: 2000,
  /** Consent pages rendered once and personalised per request (one per client, scopes, locale). */
  renderedPages: 500,
  /** The words of a prompt's lines, worked out once for the receipts of its answers (same key). */
  shownLines: 500,
  /** The contents of pages read back with their requests, shared by the requests that showed them. */
  shownPages: 500,
} as const

/**
 * What each variable means and its default, as `assent --help` lists them (DESIGN §8); typed by
 * the schema, so a new variable cannot be left out.
 */
export const ENVIRONMENT_HELP = {
  PORT: 'where to listen (default 3000)',
  HOST: 'the address to listen on (default 127.0.0.1)',
  DATABASE_URL: 'sqlite:<file> or postgres://… (default sqlite:./data/assent.sqlite)',
  ASSENT_PUBLIC_URL: "the URL browsers use; its host is the default tenant's domain",
  ASSENT_ADMIN_TOKEN:
    'static management token with every scope (default: generated, kept in the data folder)',
  ASSENT_ALLOWED_RETURN_URLS: 'comma-separated URL prefixes return_to may start with',
  ASSENT_MGMT_JWKS_URL: 'accept JWT management tokens signed by keys at this URL…',
  ASSENT_MGMT_ISSUER: '…and issued by this issuer',
  ASSENT_DEMO: '1: seed demo data into an empty database and serve /demo',
  ASSENT_REQUEST_TTL_SECONDS: 'how long a consent request can be answered (default 600)',
  ASSENT_REQUEST_RETENTION_SECONDS:
    'how long answered or expired requests are kept (default 86400)',
  ASSENT_DATA_DIR: "where the generated admin token is kept (default: the SQLite file's folder)",
  ASSENT_RATE_LIMIT_ANSWERS: 'answers a minute from one address (default 120; 0: no limit)',
  ASSENT_RATE_LIMIT_CREATES: 'consent requests a minute for one client (default 1200; 0: no limit)',
  ASSENT_RATE_LIMIT_ADMIN_LOGIN: 'admin sign-ins a minute from one address (default 10)',
  ASSENT_RATE_LIMIT_DEMO: 'demo requests a minute from one address (default 30)',
  ASSENT_TRUSTED_PROXIES: 'addresses or CIDRs whose X-Forwarded-For is believed (default none)',
  ASSENT_WEBHOOK_ALLOW_HTTP_LOOPBACK: '1: webhooks may go to http:// on loopback (tests, examples)',
  ASSENT_METRICS_TOKEN: 'the bearer token /metrics asks for (default: open)',
  LOG_LEVEL: 'debug, info, warn, error or silent (default info)',
} as const satisfies Record<keyof z.input<typeof schema>, string>
