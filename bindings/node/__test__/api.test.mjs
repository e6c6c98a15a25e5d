// The reference's API surface and small behaviours, call for call: exported names,
// option aliases, empty documents, root forms, encodeLines, escapeString.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { reference, toon } from './support.mjs'

test('every runtime export of the reference exists', () => {
  const missing = Object.keys(reference).filter((name) => !(name in toon))
  assert.deepEqual(missing, [])
  assert.deepEqual(toon.DELIMITERS, reference.DELIMITERS)
  assert.equal(toon.DEFAULT_DELIMITER, reference.DEFAULT_DELIMITER)
})

test('indentSize, its deprecated alias indent, and their precedence', () => {
  const value = { a: { b: [{ c: 1 }, { c: 2 }] } }
  for (const options of [{ indentSize: 4 }, { indent: 3 }, { indentSize: 1, indent: 5 }]) {
    const text = reference.encode(value, options)
    assert.equal(toon.encode(value, options), text)
    assert.deepEqual(toon.decode(text, options), reference.decode(text, options))
  }
})

test('empty documents, root primitives and root arrays', () => {
  for (const value of [{}, [], 0, -0, 'text', '', null, true, [1, [2, 3]], [{}]]) {
    assert.equal(toon.encode(value), reference.encode(value), JSON.stringify(value))
    assert.deepEqual(toon.encodeLines(value), [...reference.encodeLines(value)])
  }
  for (const text of ['', 'x', '42', '"quoted"', '[2]: a,b', '[0]:']) {
    assert.deepEqual(toon.decode(text), reference.decode(text), text)
    assert.deepEqual([...toon.decodeStreamSync(text.split('\n'))], [...reference.decodeStreamSync(text.split('\n'))], text)
  }
  assert.deepEqual(toon.decodeFromLines(['a:', '  b: 1']), reference.decodeFromLines(['a:', '  b: 1']))
})

test('decodeStream accepts sync and async line sources like the reference', async () => {
  const lines = ['users[2]{id,name}:', '  1,Ada', '  2,Bo']
  async function* source() {
    yield* lines
  }
  const ours = []
  for await (const event of toon.decodeStream(source())) ours.push(event)
  const theirs = []
  for await (const event of reference.decodeStream(source())) theirs.push(event)
  assert.deepEqual(ours, theirs)
  const fromSync = []
  for await (const event of toon.decodeStream(lines)) fromSync.push(event)
  assert.deepEqual(fromSync, theirs)
})

test('escapeString matches the reference', () => {
  for (const s of ['plain', 'a"b', 'back\\slash', 'line\nbreak', '\r\t', '\u0000\u0001\u001f', 'é😀']) {
    assert.equal(toon.escapeString(s), reference.escapeString(s))
  }
})

test('__proto__ keys decode to own properties without touching Object.prototype', () => {
  const decoded = toon.decode('__proto__:\n  polluted: true\nok: 1')
  assert.ok(Object.hasOwn(decoded, '__proto__'))
  assert.deepEqual(decoded.__proto__, { polluted: true })
  assert.equal({}.polluted, undefined)
})

test('strings of every width cross the boundary intact, both ways', () => {
  // ASCII crosses as Latin-1, anything else as UTF-16 (src/text.rs): each width, long
  // enough to take the vectorised loops, in keys and values.
  const samples = ['plain', 'café', 'naïve → 東京', 'emoji 🎉👨‍👩‍👧', 'mixed é東🎉'.repeat(200)]
  for (const sample of samples) {
    const value = { [Array.from(sample).slice(0, 12).join('')]: sample, list: [sample, 'x'] }
    const text = toon.encode(value)
    assert.equal(toon.encodeJson(JSON.stringify(value)), text)
    assert.deepEqual(toon.decode(text), value)
    assert.deepEqual(JSON.parse(toon.decodeToJson(text)), value)
    assert.equal(toon.countTokens(sample), new toon.TokenCounter({ cache: false }).count(sample))
  }
  // An unpaired surrogate reads as U+FFFD, as napi's UTF-8 route reads it.
  assert.equal(toon.countTokens('a\ud800b'), toon.countTokens('a\ufffdb'))
  assert.deepEqual(toon.decode('k: a\udc00'), { k: 'a\ufffd' })
})
