// Layer rules (STYLE "Rules you can run"), checked by `npm run lint`.
//
// dependency-cruiser reads TypeScript through the `typescript` package's JavaScript API, which
// TypeScript 7 no longer has: without another parser it would skip every .ts file and pass
// with nothing checked. So swc parses, and a missing swc stops the check instead.
require.resolve('@swc/core')

const STORE_IMPLEMENTATION =
  '^(src/store/kysely|node_modules/(kysely|pg|better-sqlite3|better-sqlite3-napi|@types/pg|@types/better-sqlite3)/)'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'consent-is-pure',
      comment:
        'src/consent/ is the pure domain: it imports only its own files (no hono, kysely, ' +
        'i18next, eta, Node.js modules or other src folders).',
      severity: 'error',
      from: { path: '^src/consent/' },
      to: { pathNot: '^src/consent/' },
    },
    {
      name: 'routes-not-to-store-implementation',
      comment:
        'Routes and presenters reach the store through src/store/port.ts, never through ' +
        'kysely, pg, better-sqlite3 or the Kysely store itself.',
      severity: 'error',
      from: { path: '^src/(routes|presenters)/' },
      to: { path: STORE_IMPLEMENTATION },
    },
    {
      name: 'services-not-to-http',
      comment: 'Services know nothing of HTTP: no hono, no routes.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^(src/routes/|node_modules/(hono|@hono/[^/]+)/)' },
    },
    {
      name: 'presenters-not-to-store',
      comment: 'Presenters turn domain objects into view-models; they never import src/store/.',
      severity: 'error',
      from: { path: '^src/presenters/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'client-stands-alone',
      comment:
        'src/client/ ships as assent/client: it imports only its own files, no package and no ' +
        'other part of Assent, so it loads with nothing but fetch.',
      severity: 'error',
      from: { path: '^src/client/' },
      to: { pathNot: '^src/client/' },
    },
    {
      name: 'no-circular',
      comment: 'No module of src/ depends on itself through others.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'Every import resolves: one that does not would be left out of the rules above unseen.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    // `import type` counts: a type from the store's implementation ties a layer to it as well.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // Subpath imports such as `hono/cookie` resolve through the package's `exports`.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
}
