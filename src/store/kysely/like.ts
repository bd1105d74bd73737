/** A `like` pattern matching `text` anywhere, lower-cased, its wildcards taken literally (escape `\`). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
