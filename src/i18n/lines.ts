import type { PromptLine } from '../consent/index.js'
import type { Translator } from './i18n.js'

/** Turns a prompt line (keys and values, from the domain) into the text a user reads. */
export function lineText(line: PromptLine, tr: Translator): string {
  switch (line.kind) {
    case 'standard':
      return tr.t(line.key)
    case 'text':
      return line.text
    case 'resource':
      return tr.t(line.key, {
        Resource: tr.isolate(line.heading),
        resource: tr.isolate(line.resource),
        actions: tr.list(
          line.actions.map((action) =>
            action.kind === 'known' ? tr.t(action.key) : tr.isolate(action.text),
          ),
        ),
      })
  }
}

export function linesText(lines: readonly PromptLine[], tr: Translator): string[] {
  return lines.map((line) => lineText(line, tr))
}
