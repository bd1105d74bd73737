/**
 * The forms of a page as a browser submits them, without a browser: each form's successful
 * controls in document order (HTML, "constructing the entry list"), read from the served HTML.
 * Enough HTML for what the views write: no form inside a form, no `form=` attribute, no script.
 */

type Attributes = ReadonlyMap<string, string>

type Token =
  | { kind: 'start'; name: string; attrs: Attributes }
  | { kind: 'end'; name: string }
  | { kind: 'text'; text: string }

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
}

/** Character references, as the views' escaping writes them and a parser reads them. */
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole
    const code =
      ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1))
    return String.fromCodePoint(code)
  })
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g
const TAG =
  /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g

function attributes(text: string): Attributes {
  const attrs = new Map<string, string>()
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = (m[1] ?? '').toLowerCase()
    // The first of a repeated attribute counts, as a parser keeps it.
    if (!attrs.has(name)) attrs.set(name, decode(m[2] ?? m[3] ?? m[4] ?? ''))
  }
  return attrs
}

/** Tags and text; the content of a textarea is raw text up to its end tag. */
function tokens(html: string): Token[] {
  const out: Token[] = []
  let at = 0
  TAG.lastIndex = 0
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    if (m.index > at) out.push({ kind: 'text', text: decode(html.slice(at, m.index)) })
    at = TAG.lastIndex
    if (m[0].startsWith('<!--')) continue
    const name = (m[2] ?? '').toLowerCase()
    if (m[1]) {
      out.push({ kind: 'end', name })
      continue
    }
    out.push({ kind: 'start', name, attrs: attributes(m[3] ?? '') })
    if (name === 'textarea') {
      const end = html.toLowerCase().indexOf('</textarea', at)
      const stop = end < 0 ? html.length : end
      out.push({ kind: 'text', text: decode(html.slice(at, stop)) })
      at = stop
      TAG.lastIndex = stop
    }
  }
  if (at < html.length) out.push({ kind: 'text', text: decode(html.slice(at)) })
  return out
}

interface Option {
  value: string
  selected: boolean
  disabled: boolean
}

type Control =
  | { tag: 'input'; attrs: Attributes; disabled: boolean }
  | { tag: 'button'; attrs: Attributes; disabled: boolean }
  | { tag: 'textarea'; attrs: Attributes; disabled: boolean; text: string }
  | { tag: 'select'; attrs: Attributes; disabled: boolean; options: Option[] }

/** A button that submits: the one whose name and value go into the post with the rest. */
export interface Submitter {
  readonly name: string
  readonly value: string
}

export interface HtmlForm {
  readonly action: string
  readonly method: string
  /** The form's own attributes (`aria-label`, `class`…). */
  readonly attrs: Attributes
  /** The names of the form's controls, successful or not. */
  readonly names: readonly string[]
  /** What the browser posts, in document order; `submitter` picks the button pressed. */
  entries(submitter?: Submitter): [string, string][]
}

/** `<input type=color>`'s value sanitization: a simple colour in lower case, else black. */
function colour(value: string): string {
  return /^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : '#000000'
}

function entriesOf(controls: readonly Control[], submitter: Submitter | undefined) {
  const entries: [string, string][] = []
  for (const control of controls) {
    const name = control.attrs.get('name')
    if (control.disabled || !name) continue
    if (control.tag === 'button') {
      const type = (control.attrs.get('type') ?? 'submit').toLowerCase()
      const value = control.attrs.get('value') ?? ''
      if (type === 'submit' && submitter?.name === name && submitter.value === value)
        entries.push([name, value])
      continue
    }
    if (control.tag === 'textarea') {
      // A parser drops the newline just after `<textarea>`; a post sends line breaks as CRLF.
      const text = control.text.replace(/^\r?\n/, '').replace(/\r\n|\r|\n/g, '\r\n')
      entries.push([name, text])
      continue
    }
    if (control.tag === 'select') {
      const enabled = control.options.filter((o) => !o.disabled)
      let chosen = control.options.filter((o) => o.selected)
      // A single select shows its last `selected` option, or else its first enabled one.
      if (!control.attrs.has('multiple'))
        chosen = chosen.length > 0 ? chosen.slice(-1) : enabled.slice(0, 1)
      for (const option of chosen) if (!option.disabled) entries.push([name, option.value])
      continue
    }
    const type = (control.attrs.get('type') ?? 'text').toLowerCase()
    const value = control.attrs.get('value')
    if (type === 'checkbox' || type === 'radio') {
      if (control.attrs.has('checked')) entries.push([name, value ?? 'on'])
    } else if (type === 'submit' || type === 'image') {
      if (submitter?.name === name && submitter.value === (value ?? ''))
        entries.push([name, value ?? ''])
    } else if (type === 'color') {
      entries.push([name, colour(value ?? '')])
    } else if (type !== 'button' && type !== 'reset' && type !== 'file') {
      // Text-like inputs strip line breaks from their value.
      entries.push([name, (value ?? '').replace(/[\r\n]/g, '')])
    }
  }
  return entries
}

/** Every `<form>` of `html`, in document order. */
export function htmlForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = []
  let form: { attrs: Attributes; controls: Control[] } | undefined
  // Disabled fieldsets around the current position (their first legend aside, not handled).
  const fieldsets: boolean[] = []
  let select: (Control & { tag: 'select' }) | undefined
  let option: { attrs: Attributes; text: string; groupDisabled: boolean } | undefined
  let groupDisabled = false
  let textarea: (Control & { tag: 'textarea' }) | undefined

  const closeOption = () => {
    if (!option || !select) return
    select.options.push({
      value: option.attrs.get('value') ?? option.text.replace(/\s+/g, ' ').trim(),
      selected: option.attrs.has('selected'),
      disabled: option.attrs.has('disabled') || option.groupDisabled,
    })
    option = undefined
  }
  const inDisabledFieldset = () => fieldsets.some(Boolean)

  for (const token of tokens(html)) {
    if (token.kind === 'text') {
      if (option) option.text += token.text
      else if (textarea) textarea.text += token.text
      continue
    }
    if (token.kind === 'start') {
      const { name, attrs } = token
      if (name === 'form' && !form) {
        form = { attrs, controls: [] }
        continue
      }
      if (!form) continue
      const disabled = attrs.has('disabled') || inDisabledFieldset()
      if (name === 'fieldset') fieldsets.push(attrs.has('disabled'))
      else if (name === 'input') form.controls.push({ tag: 'input', attrs, disabled })
      else if (name === 'button') form.controls.push({ tag: 'button', attrs, disabled })
      else if (name === 'textarea') {
        textarea = { tag: 'textarea', attrs, disabled, text: '' }
        form.controls.push(textarea)
      } else if (name === 'select') {
        select = { tag: 'select', attrs, disabled, options: [] }
        form.controls.push(select)
      } else if (name === 'optgroup') {
        closeOption()
        groupDisabled = attrs.has('disabled')
      } else if (name === 'option' && select) {
        closeOption()
        option = { attrs, text: '', groupDisabled }
      }
      continue
    }
    if (token.name === 'option' || token.name === 'optgroup') closeOption()
    if (token.name === 'optgroup') groupDisabled = false
    if (token.name === 'select') {
      closeOption()
      select = undefined
    }
    if (token.name === 'textarea') textarea = undefined
    if (token.name === 'fieldset') fieldsets.pop()
    if (token.name === 'form' && form) {
      const { attrs, controls } = form
      forms.push({
        action: attrs.get('action') ?? '',
        method: (attrs.get('method') ?? 'get').toLowerCase(),
        attrs,
        names: controls.flatMap((c) => c.attrs.get('name') ?? []),
        entries: (submitter) => entriesOf(controls, submitter),
      })
      form = undefined
    }
  }
  return forms
}

/** The one form of `html` that `match` picks; throws when none or several do. */
export function htmlForm(html: string, match: (form: HtmlForm) => boolean): HtmlForm {
  const found = htmlForms(html).filter(match)
  if (found.length !== 1) throw new Error(`expected one matching form, found ${found.length}`)
  return found[0] as HtmlForm
}

/**
 * `entries` after a user's edits: a string types into (or picks in) the one control of that name,
 * a boolean ticks or unticks its checkbox (value `on`), leaving the hidden `off` before it.
 */
export function filled(
  entries: readonly [string, string][],
  changes: Readonly<Record<string, string | boolean>>,
): [string, string][] {
  let out = entries.map(([name, value]): [string, string] => [name, value])
  for (const [name, change] of Object.entries(changes)) {
    if (typeof change === 'boolean') {
      const at = out.findLastIndex(([n]) => n === name)
      if (at < 0) throw new Error(`no checkbox ${name} on the form`)
      out = out.filter(([n, v]) => n !== name || v !== 'on')
      if (change) out.splice(Math.min(at + 1, out.length), 0, [name, 'on'])
      continue
    }
    const at = out.findIndex(([n]) => n === name)
    if (at < 0 || out.filter(([n]) => n === name).length > 1)
      throw new Error(`expected one control ${name} on the form`)
    out[at] = [name, change]
  }
  return out
}
