import { defineConfig } from 'vitest/config'

// Every project's own settings; a project does not inherit the root's (no `extends`), so the
// root's global setup runs once for the whole run and not again per project.
const each = { testTimeout: 30_000, hookTimeout: 60_000 }

export default defineConfig({
  test: {
    // Browser and multi-process suites start servers; two workers suit a two-core machine.
    maxWorkers: 2,
    // The checkout looked at before and after the run, whichever projects run: no test may write
    // a file git tracks (test/support/clean-tree.ts).
    // Without TEST_DATABASE_URL, one line says which suites are skipped and how to run them.
    globalSetup: ['test/support/clean-tree.ts', 'test/support/postgres-note.ts'],
    // `vitest run --project unit` (or http, store, e2e) runs one; `npm test` runs them all.
    projects: [
      // Pure functions and the test helpers: no build, no browser, no database on disk. Their
      // files share a worker's loaded modules (`isolate: false`): loading `src/` again for each
      // file cost more than all their tests.
      {
        test: { ...each, name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false },
      },
      // The app over HTTP without a socket, SQLite in memory; no build. Every test builds its own
      // app with `createTestApp()`, so the files can share loaded modules as the unit files do.
      {
        test: { ...each, name: 'http', include: ['test/http/**/*.test.ts'], isolate: false },
      },
      // The store contract on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
      { test: { ...each, name: 'store', include: ['test/store/**/*.test.ts'] } },
      {
        test: {
          ...each,
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // `dist/`, built once for the suites that start the built server (`node dist/main.js`);
          // it runs only when this project has files to run.
          globalSetup: ['test/support/build.ts'],
        },
      },
    ],
  },
})
