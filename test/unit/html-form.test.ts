import { describe, expect, it } from 'vitest'
import { filled, htmlForms } from '../support/html-form.js'

// The test helper reads forms as a browser submits them; these are the rules the console relies on.
describe('htmlForms (test support)', () => {
  const page = `
    <form method="post" action="/a?x=1&amp;y=2" aria-label="One">
      <input type="hidden" name="csrf" value="t&quot;k">
      <input name="plain" value="a &amp; b">
      <input name="off" value="x" disabled>
      <input type="hidden" name="box" value="off"><input type="checkbox" name="box" value="on" checked>
      <input type="hidden" name="box2" value="off"><input type="checkbox" name="box2">
      <input type="color" name="colour" value="#0E7490">
      <select name="first"><option value="" disabled>Pick</option><option value="a">A</option><option>  B  text </option></select>
      <select name="chosen"><option value="a" selected>A</option><option value="b" selected>B</option></select>
      <textarea name="lines">
one &lt;1&gt;
two</textarea>
      <fieldset disabled><input name="fenced" value="z"></fieldset>
      <button type="submit" name="intent" value="save">Save</button>
      <button type="submit" name="intent" value="preview">Preview</button>
    </form>
    <!-- <form action="/commented"></form> -->
    <form method="post" action="/b"><button name="delete" value="x">Delete</button></form>`

  it('posts successful controls in document order, the pressed button only', () => {
    const [one, two] = htmlForms(page)
    expect(htmlForms(page)).toHaveLength(2)
    expect(one?.action).toBe('/a?x=1&y=2')
    expect(one?.attrs.get('aria-label')).toBe('One')
    expect(one?.entries({ name: 'intent', value: 'preview' })).toEqual([
      ['csrf', 't"k'],
      ['plain', 'a & b'],
      ['box', 'off'],
      ['box', 'on'],
      ['box2', 'off'],
      ['colour', '#0e7490'],
      ['first', 'a'],
      ['chosen', 'b'],
      ['lines', 'one <1>\r\ntwo'],
      ['intent', 'preview'],
    ])
    expect(two?.entries()).toEqual([])
    expect(two?.entries({ name: 'delete', value: 'x' })).toEqual([['delete', 'x']])
  })

  it('fills a field, ticks and unticks a box, keeping the hidden off', () => {
    const [one] = htmlForms(page)
    const entries = filled(one?.entries() ?? [], { plain: 'c', box: false, box2: true })
    expect(entries.filter(([n]) => n.startsWith('box') || n === 'plain')).toEqual([
      ['plain', 'c'],
      ['box', 'off'],
      ['box2', 'off'],
      ['box2', 'on'],
    ])
    expect(() => filled([], { missing: 'x' })).toThrow()
  })
})
