import { ConflictError, type ConflictSubject } from '../../errors.js'

/** A unique or primary key violation, in SQLite's or PostgreSQL's words. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  )
}

/** Runs `work`, reporting a unique violation as a `ConflictError` on `subject`. */
export async function conflictAs<T>(subject: ConflictSubject, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(subject, { cause: error })
    throw error
  }
}
