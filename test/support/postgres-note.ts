import { TEST_DATABASE_URL } from './postgres.js'

/**
 * The one line a run prints when it skips the PostgreSQL suites (the store contract on
 * PostgreSQL, shared rate limits, two instances on one database), and how to run them; `null`
 * when `url` is set and they run.
 */
export function skippedPostgresNote(url: string | undefined): string | null {
  if (url) return null
  return 'PostgreSQL suites skipped: set TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/postgres (a user that may create databases; each suite makes its own) to run them.'
}

/** vitest global setup: says it once, before the run, so no suite is skipped silently. */
export default function notePostgres(): void {
  const note = skippedPostgresNote(TEST_DATABASE_URL)
  if (note) console.log(note)
}
