import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and multi-process suites start servers; two workers suit a two-core machine.
    maxWorkers: 2,
    // The checkout looked at before and after the run: no test may write a file git tracks
    // (test/support/clean-tree.ts); `dist/`, built once for the suites that start the built
    // server (test/support/build.ts).
    globalSetup: ['test/support/clean-tree.ts', 'test/support/build.ts'],
  },
})
