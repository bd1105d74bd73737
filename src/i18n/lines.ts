import { lineClaims, type PromptLine } from '../consent/index.js'
import type { Translator } from './i18n.js'
import { ours, type RichText, theirs } from './rich-text.js'

/**
 * Turns a prompt line (keys and values, from the domain) into the text a user reads; the words
 * an admin wrote (a description, a resource, an action the service has no word for) are kept
 * apart, to be shown isolated.
 */
export function lineText(line: PromptLine, tr: Translator): RichText {
  switch (line.kind) {
    case 'standard':
      return ours(tr.t(line.key))
    case 'text':
      return theirs(line.text)
    case 'resource': {
      const actions = tr.list(
        line.actions.map((action) =>
          action.kind === 'known' ? ours(tr.t(action.key)) : theirs(action.text),
        ),
      )
      return line.label
        ? tr.rich(line.key, { heading: line.label.heading, noun: line.label.noun, actions })
        : tr.rich(line.key, { Resource: line.heading, resource: line.resource, actions })
    }
  }
}

export function linesText(lines: readonly PromptLine[], tr: Translator): RichText[] {
  return lines.map((line) => lineText(line, tr))
}

/**
 * The claims a line releases (DESIGN §3.9), each in plain words in the page's language; none for a
 * line that is not a standard scope's.
 */
export function claimTexts(line: PromptLine, tr: Translator): string[] {
  return lineClaims(line).map((claim) => tr.t(`claims.names.${claim}`))
}

/** Each line's claims in words, in the same order as `lines`. */
export function linesClaims(lines: readonly PromptLine[], tr: Translator): string[][] {
  return lines.map((line) => claimTexts(line, tr))
}
