import { describe, expect, it } from 'vitest'
import { skippedPostgresNote } from '../support/postgres-note.js'

describe('a run without PostgreSQL says so', () => {
  it('names the skipped suites and the variable that runs them, in one line', () => {
    const note = skippedPostgresNote(undefined)
    expect(note).toMatch(/^PostgreSQL suites skipped: set TEST_DATABASE_URL=postgres:\/\/\S+ /)
    expect(note).not.toContain('\n')
    expect(skippedPostgresNote('')).toBe(note)
  })

  it('says nothing when they run', () => {
    expect(skippedPostgresNote('postgres://assent:assent@127.0.0.1:5432/assent_test')).toBeNull()
  })
})
