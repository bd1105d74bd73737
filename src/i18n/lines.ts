import type { PromptLine } from '../consent/index.js'
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
