// Errors: decode failures are ToonDecodeError (a SyntaxError) with line, column, source
// and snippet, on the sync, async and streaming paths; bad options are TypeErrors; bad
// JSON is a SyntaxError with its position; hostile input never crashes the process.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { random, toon } from './support.mjs'

const { ToonDecodeError } = toon

test('a decode error carries line, column, source and snippet', () => {
  const text = 'a:\n  b: 1\n   c: 2'
  const error = captured(() => toon.decode(text))
  assert.ok(error instanceof ToonDecodeError)
  assert.ok(error instanceof SyntaxError)
  assert.equal(error.name, 'ToonDecodeError')
  assert.equal(error.line, 3)
  assert.ok(error.column >= 1)
  assert.equal(error.source, '   c: 2')
  assert.equal(error.category, 'indentation')
  assert.match(error.message, /^Line 3: /)
  assert.equal(error.snippet.split('\n')[0], '   c: 2')
  assert.match(error.snippet.split('\n')[1], /^ *\^$/)
})

function captured(fn) {
  try {
    fn()
  } catch (error) {
    return error
  }
  assert.fail('expected an error')
}

test('errors point at the offending line for each kind of problem', () => {
  const cases = [
    ['a[3]: 1,2', 1, 'count'],
    ['rows[2]{x,y}:\n  1,2\n  3', 3, 'width'],
    ['a: 1\na: 2', 2, 'duplicate_key'],
    ['a: "unterminated', 1, 'syntax'],
    ['items[2]:\n  - 1\n  - 2\n  - 3', 4, 'count'],
    ['a:\n\tb: 1', 2, 'indentation'],
  ]
  for (const [text, line, category] of cases) {
    const error = captured(() => toon.decode(text))
    assert.ok(error instanceof ToonDecodeError, text)
    assert.equal(error.line, line, text)
    assert.equal(error.category, category, text)
    assert.equal(error.source, text.split('\n')[line - 1], text)
    // The error crossed as data: no tag or position is left in the message.
    assert.match(error.message, new RegExp(`^Line ${line}: [^\\[]`), text)
  }
})

test('async and streaming decode errors are ToonDecodeErrors too', async () => {
  const text = 'a:\n  b: 1\n   c: 2'
  const error = await toon.decodeAsync(text).then(
    () => assert.fail('expected a rejection'),
    (e) => e,
  )
  assert.ok(error instanceof ToonDecodeError)
  assert.equal(error.line, 3)
  await assert.rejects(toon.decodeToJsonAsync(text), ToonDecodeError)
  const events = []
  assert.throws(() => {
    for (const event of toon.decodeStreamSync(['a:', '  b: 1', '   c: 2'])) events.push(event)
  }, ToonDecodeError)
  assert.deepEqual(events.slice(0, 2), [{ type: 'startObject' }, { type: 'key', key: 'a' }])
  const stream = toon.decodeStream((async function* lines() {
    yield 'x[2]: 1'
  })())
  await assert.rejects(async () => {
    for await (const event of stream) void event
  }, ToonDecodeError)
})

test('invalid options are TypeErrors', () => {
  assert.throws(() => toon.encode({ a: 1 }, { delimiter: ';' }), TypeError)
  assert.throws(() => toon.encode({ a: 1 }, { indentSize: 0 }), TypeError)
  assert.throws(() => toon.encode({ a: 1 }, { indentSize: 1.5 }), TypeError)
  assert.throws(() => toon.decode('a: 1', { indentSize: -2 }), TypeError)
  assert.throws(() => toon.countTokens('x', 'no_such_encoding'), TypeError)
  assert.throws(() => toon.encode({ a: 1 }, { replacer: 'nope' }), TypeError)
  assert.throws(() => toon.decode(42), /string/i)
  assert.throws(() => toon.encodeJson(undefined), /string/i)
})

test('invalid JSON given to encodeJson is a SyntaxError with its position', async () => {
  const error = captured(() => toon.encodeJson('{\n  "a": x\n}'))
  assert.ok(error instanceof SyntaxError)
  assert.equal(error.line, 2)
  assert.equal(error.column, 8)
  await assert.rejects(toon.encodeJsonAsync('[1,'), SyntaxError)
})

test('too deep nesting is a RangeError, not a crash', () => {
  let deep = 'x'
  for (let i = 0; i < 5000; i++) deep = [deep]
  assert.throws(() => toon.encodeValue(deep), RangeError)
  const cyclic = { a: 1 }
  cyclic.self = cyclic
  assert.throws(() => toon.encode(cyclic), RangeError)
  let text = 'a:'
  for (let i = 1; i < 3000; i++) text += `\n${'  '.repeat(i)}a:`
  assert.throws(() => toon.decode(text), ToonDecodeError)
})

test('random bytes and mangled documents never crash: a value or a ToonDecodeError', () => {
  const next = random(99)
  const alphabet = ['a', ':', ' ', '  ', '\n', '-', '[', ']', '{', '}', ',', '|', '\t', '"', '\\', '#', '1', '2', 'x', 'é', '\u0000']
  let values = 0
  let errors = 0
  for (let i = 0; i < 3000; i++) {
    let text = ''
    for (let n = Math.floor(next() * 40); n > 0; n--) text += alphabet[Math.floor(next() * alphabet.length)]
    for (const strict of [true, false]) {
      try {
        toon.decode(text, { strict })
        values += 1
      } catch (error) {
        assert.ok(error instanceof ToonDecodeError, `${JSON.stringify(text)}: ${error}`)
        assert.ok(error.line >= 1, JSON.stringify(text))
        errors += 1
      }
    }
  }
  assert.ok(values > 100 && errors > 100, `values ${values}, errors ${errors}`)
})

test('values the JSON crossing cannot carry fall back to the exact path', async () => {
  let deep = 'leaf'
  for (let i = 0; i < 200; i++) deep = { k: deep } // deeper than serde_json's 128 levels
  const { reference } = await import('./support.mjs')
  assert.equal(toon.encode(deep), reference.encode(deep))
  assert.equal(await toon.encodeAsync(deep), reference.encode(deep))
})
