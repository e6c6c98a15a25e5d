// What the reference's own test suite asks of a drop-in, checked side by side with the
// pinned reference: rawString (verbatim text at every primitive position, ignored for
// containers, comment lines refused), and decode errors reported on the reference's
// line with the reference's wording, on the sync, streaming and async paths.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { reference, toon } from './support.mjs'

const { rawString, escapeString } = toon

/** Every string as raw text in double quotes: the reference suite's always-quote replacer. */
const alwaysQuote = (_key, value) => rawString(`"${escapeString(String(value))}"`)

test('rawString writes its text verbatim wherever a primitive goes', () => {
  const quoted = (_key, value) => (typeof value === 'string' ? rawString(`"${value}"`) : value)
  const cases = [
    [{ note: 'a, b, c', flag: 'true', id: '007' }, (_k, v) => (typeof v === 'string' ? rawString(v) : v)],
    [{ tags: ['x', 'y'] }, quoted],
    [{ items: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }] }, (k, v) => (k === 'qty' ? rawString(`"${v}"`) : v)],
    [{ users: { alice: { age: 30, city: 'Berlin' }, bob: { age: 25, city: 'Oslo' } } }, (k, v) => (k === 'age' ? rawString(`<${v}>`) : v)],
    [{ orders: [{ id: 1, customer: { name: 'Al', country: 'DK' } }, { id: 2, customer: { name: 'Bo', country: 'UK' } }] }, quoted],
    [{ price: 9.99, qty: 2 }, (k, v) => (k === 'price' ? rawString(`$${v}`) : v)],
    [[{ id: 1, name: 'A' }], alwaysQuote],
    [{ list: [1, { a: 'b' }, [2, 3]] }, alwaysQuote],
  ]
  for (const [input, replacer] of cases) {
    const ours = toon.encode(input, { replacer })
    assert.equal(ours, reference.encode(input, { replacer: wrapForReference(replacer) }), JSON.stringify(input))
  }
  assert.equal(toon.encode({ price: 9.99, qty: 2 }, { replacer: cases[5][1] }), 'price: $9.99\nqty: 2')
})

test('rawString works without a replacer, at the root and in every encode form', async () => {
  assert.equal(toon.encode({ a: rawString('RAW'), b: [rawString('1.50'), 'x'] }), 'a: RAW\nb[2]: 1.50,x')
  assert.equal(toon.encode(rawString('VERBATIM')), 'VERBATIM')
  assert.equal(toon.encode({ tag: rawString('a #tag') }), 'tag: a #tag')
  assert.deepEqual(toon.encodeLines({ a: rawString('1 2'), b: 3 }), ['a: 1 2', 'b: 3'])
  assert.equal(await toon.encodeAsync({ a: rawString('x y') }), 'a: x y')
  // The same RawString twice, and next to strings that look like placeholders.
  const shared = rawString('S')
  assert.equal(toon.encode({ a: shared, b: shared, c: '\uE000ab\uE002' + '0\uE001' }), 'a: S\nb: S\nc: \uE000ab\uE0020\uE001')
})

test('a RawString returned for a container is ignored and the container encoded', () => {
  const input = { name: 'Alice', age: 30, tags: ['a'], nested: { k: 1 } }
  const ours = toon.encode(input, { replacer: alwaysQuote })
  assert.equal(ours, 'name: "Alice"\nage: "30"\ntags[1]: "a"\nnested:\n  k: "1"')
  assert.deepEqual(toon.decode(ours), { name: 'Alice', age: '30', tags: ['a'], nested: { k: '1' } })
  assert.equal(toon.encode({ q: 'a"b' }, { replacer: alwaysQuote }), 'q: "a\\"b"')
})

test('rawString refuses text with a line a decoder would skip as a comment', () => {
  for (const text of ['#hi', '  # indented', 'note\n# hidden', '\uFEFF#hi', 'a\n   #b']) {
    assert.throws(() => rawString(text), (error) => {
      assert.ok(error instanceof TypeError)
      assert.equal(error.message, `Raw string must not contain a line starting with "#": ${JSON.stringify(text)}`)
      return true
    })
    assert.throws(() => reference.rawString(text), TypeError)
  }
})

/**
 * Invalid documents whose errors the reference and ours report on the same line. A count
 * that falls short is not here: ours points at the header that declares it, the
 * reference at the last element (docs/node.md).
 */
const invalid = [
  '_meta\n  version: "1.0"\n  name: test\n',
  'wrapper:\n  inner\n    version: "1.0"\n',
  'a\nb\n',
  '# note\n"quoted"\nb: 1\n',
  'x: 1\nfoo\n',
  'a: 1\n    b: 2\n',
  'a: 1\na: 2\n',
  'rules[-1]:\n  - a\n',
  'rules[1]{id,rule,x}:\n  R1,first\n',
  'rules[1]:\n  - a\n  - b\n',
  'rules[2]: a\n',
  'u[1:]{age}:\n  a: 1,2\n',
  'u[2:]{age}:\n  a: 1\n  b\n',
  'u[2:]{age}:\n  a: 1\n  a: 2\n',
  '[1]: a\nb: 1\n',
  'a: "unterminated\n',
  'a:\n\tb: 1\n',
  'a:\n   b: 1\n',
]

/** The reference's message, and ours without the column we add. */
function messages(text) {
  const theirs = captured(() => reference.decode(text))
  const ours = captured(() => toon.decode(text))
  assert.ok(theirs && ours, `both refuse ${JSON.stringify(text)}`)
  return { theirs, ours, plain: ours.message.replace(/ \(column \d+\)$/, '') }
}

test('decode errors are reported on the reference line', () => {
  for (const text of invalid) {
    const { theirs, ours } = messages(text)
    assert.equal(ours.line, theirs.line, JSON.stringify(text))
    assert.equal(ours.source, theirs.source, JSON.stringify(text))
    assert.match(ours.message, new RegExp(`^Line ${theirs.line}: [A-Z]`))
  }
})

test('decode errors use the reference wording', () => {
  const same = [
    ['_meta\n  version: "1.0"\n', 'Line 1: Missing colon after key'],
    ['x: 1\nfoo\n', 'Line 2: Missing colon after key'],
    ['a: 1\n    b: 2\n', 'Line 2: Over-indented line: expected depth 0, but found 2'],
    ['a: 1\na: 2\n', 'Line 2: Duplicate sibling key "a"'],
    ['u[2:]{age}:\n  a: 1\n  a: 2\n', 'Line 3: Duplicate sibling key "a"'],
    ['rules[1]{id,rule,x}:\n  R1,first\n', 'Line 2: Expected 3 tabular row values, but got 2'],
    ['rules[1]:\n  - a\n  - b\n', 'Line 3: Expected 1 list-form items, but found more'],
    ['rules[2]: a\n', 'Line 1: Expected 2 inline-form values, but got 1'],
    ['u[1:]{age}:\n  a: 1,2\n', 'Line 2: Expected 1 keyed entry cells, but got 2'],
    ['a: "unterminated\n', 'Line 1: Unterminated string: missing closing quote'],
    ['a:\n\tb: 1\n', 'Line 2: Tabs are not allowed in indentation in strict mode'],
    ['a:\n   b: 1\n', 'Line 2: Indentation must be exact multiple of 2, but found 3 spaces'],
  ]
  for (const [text, expected] of same) {
    const { theirs, plain } = messages(text)
    assert.equal(theirs.message, expected, `the reference still says ${expected}`)
    assert.equal(plain, expected)
  }
  // Where ours says more, it starts with the reference's words.
  const prefixed = [
    ['a\nb\n', 'Line 1: Top-level document must start with a key-value or array-header line'],
    ['[1]: a\nb: 1\n', 'Line 2: Unexpected content after the document root'],
    ['u[2:]{age}:\n  a: 1\n  b\n', 'Line 3: Expected entry row inside keyed tabular object'],
    ['rules[-1]:\n  - a\n', 'Line 1: Invalid array length'],
    ['u[2:]{age}:\n  a: 1\n', 'Expected 2 keyed entries, but got 1'],
  ]
  for (const [text, start] of prefixed) {
    const { theirs, plain } = messages(text)
    assert.ok(theirs.message.includes(start.replace(/^Line \d+: /, '')), theirs.message)
    assert.ok(plain.includes(start), `${plain} has ${start}`)
  }
})

test('streaming and async decoding throw the same errors as decode', async () => {
  for (const text of invalid) {
    const lines = text.split('\n')
    const sync = captured(() => toon.decode(text))
    const streamed = captured(() => Array.from(toon.decodeStreamSync(lines)))
    assert.equal(streamed.message, sync.message, JSON.stringify(text))
    let asyncError
    try {
      for await (const _ of toon.decodeStream(lines)) {
        // drain
      }
    } catch (error) {
      asyncError = error
    }
    assert.equal(asyncError?.message, sync.message, JSON.stringify(text))
  }
})

/** The same replacer for the reference, with our RawStrings mapped to its own. */
function wrapForReference(replacer) {
  return (key, value, path) => {
    const result = replacer(key, value, path)
    return result instanceof toon.RawString ? reference.rawString(result.value) : result
  }
}

function captured(fn) {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}
