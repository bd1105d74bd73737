import { execFileSync } from 'node:child_process'
import { ROOT } from './process.js'

/**
 * The e2e project's global setup (vitest.config.ts): compiles `src/` to `dist/` once, as
 * `npm start` does, before its files run. The suites that start `node dist/main.js` share it. Each of them building it in its
 * own worker rewrote `dist/` while another worker's server was loading it, which could stop that
 * server before it listened.
 */
export default function setup(): void {
  execFileSync(
    process.execPath,
    [`${ROOT}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'],
    { cwd: ROOT, stdio: 'pipe' },
  )
}
