/** What granular consent needs of a line, as built or as shown: the scopes it stands for. */
interface ScopedLine {
  readonly scopes: readonly string[]
}

/**
 * The scopes a user cannot untick (DESIGN §3.5): `openid` whenever it is asked for, and what
 * the AS marked required, within what the prompt asks.
 */
export function requiredScopes(required: readonly string[], asked: readonly string[]): string[] {
  const wanted = new Set([...required, 'openid'])
  return asked.filter((scope) => wanted.has(scope))
}

/**
 * The scopes that stand on a line of their own (DESIGN §3.5): under granular consent every
 * optional scope, so no box ties it to another scope (read granted without write); required
 * scopes may share a line, since none of them can be unticked. Nothing stands alone otherwise.
 */
export function standaloneScopes(
  granular: boolean,
  scopes: readonly string[],
  required: ReadonlySet<string>,
): ReadonlySet<string> {
  if (!granular) return NONE
  return new Set(scopes.filter((scope) => !required.has(scope)))
}
const NONE: ReadonlySet<string> = new Set()

/** A line is required when any of its scopes is: a line stands or falls whole. */
export function isRequiredLine(line: ScopedLine, required: ReadonlySet<string>): boolean {
  return line.scopes.some((scope) => required.has(scope))
}

/** The value a line's checkbox posts: its scopes, space-joined (DESIGN §3.5). */
export const lineValue = (line: ScopedLine): string => line.scopes.join(' ')

export interface PickInput {
  /** The scopes the page asked about, in prompt order. */
  readonly asked: readonly string[]
  /** The lines the page showed for them. */
  readonly lines: readonly ScopedLine[]
  readonly required: ReadonlySet<string>
  /** The `scopes` values the form posted (checked boxes). */
  readonly checked: readonly string[]
}

/**
 * What an accept grants under granular consent (DESIGN §3.5): the required lines, whole, and
 * the scopes of every optional line whose box was checked; the rest of what was asked is declined.
 * A posted value that is no line's value counts for nothing, so a forged form cannot widen it.
 */
export function pickScopes(input: PickInput): { granted: string[]; declined: string[] } {
  const checked = new Set(input.checked)
  const picked = new Set(input.required)
  for (const line of input.lines) {
    // A required line is granted whole: the page showed it with no box to untick.
    if (checked.has(lineValue(line)) || isRequiredLine(line, input.required))
      for (const scope of line.scopes) picked.add(scope)
  }
  return {
    granted: input.asked.filter((scope) => picked.has(scope)),
    declined: input.asked.filter((scope) => !picked.has(scope)),
  }
}

/** What granular consent needs of an entry as shown: its index, and whether it had a box. */
interface ShownEntry {
  readonly index: number
  readonly kind: 'all' | 'optional'
}

/**
 * The RFC 9396 entries an accept approves (DESIGN §3.9), by index: every entry shown without a
 * box, and each one whose box was checked. `null` when a posted value is no box the page showed:
 * unlike a scope value, which counts for nothing, a forged entry box refuses the answer, so an
 * approval never stands for other entries than the ones on the page.
 */
export function pickDetails(
  shown: readonly ShownEntry[],
  checked: readonly string[],
): number[] | null {
  const boxes = new Set(
    shown.filter((entry) => entry.kind === 'optional').map((entry) => String(entry.index)),
  )
  if (checked.some((value) => !boxes.has(value))) return null
  const picked = new Set(checked)
  return shown
    .filter((entry) => entry.kind === 'all' || picked.has(String(entry.index)))
    .map((entry) => entry.index)
}
