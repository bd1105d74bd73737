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
      name: 'nothing-imports-app',
      comment:
        'src/app/ is the wiring (DESIGN §9): it imports everything and nothing imports it but ' +
        'the entry points.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app/|main\\.ts|migrate\\.ts|cli\\.ts)' },
      to: { path: '^src/app/' },
    },
    {
      name: 'routes-not-to-store',
      comment: 'Routes call services, never the store, not even for its types (DESIGN §9).',
      severity: 'error',
      from: { path: '^src/routes/' },
      to: { path: `^src/store/|${STORE_IMPLEMENTATION}` },
    },
    {
      name: 'presenters-not-to-store',
      comment: 'Presenters turn domain objects into view-models; they never import src/store/.',
      severity: 'error',
      from: { path: '^src/presenters/' },
      to: { path: `^src/store/|${STORE_IMPLEMENTATION}` },
    },
    {
      name: 'presenters-call-nothing',
      comment:
        'A presenter shapes what a service returned, from plain data and src/consent/: it imports ' +
        'no service, job, route or web module, not even for a type (the data types it reads live ' +
        'in src/entities.ts, src/evidence.ts and src/read-models.ts).',
      severity: 'error',
      from: { path: '^src/presenters/' },
      to: { path: '^src/(services|jobs|web|routes)/' },
    },
    {
      name: 'web-stays-at-the-edge',
      comment:
        'src/web/ knows HTTP and nothing of routes, presenters, services, jobs or the store: what ' +
        'it needs of them is handed to it by app/deps (DESIGN §9).',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: `^src/(routes|presenters|services|jobs|store)/|${STORE_IMPLEMENTATION}` },
    },
    {
      name: 'services-not-to-http',
      comment: 'Services and jobs know nothing of HTTP: no hono, no web layer, no routes.',
      severity: 'error',
      from: { path: '^src/(services|jobs)/' },
      to: { path: '^(src/(routes|web|presenters)/|node_modules/(hono|@hono/[^/]+)/)' },
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
