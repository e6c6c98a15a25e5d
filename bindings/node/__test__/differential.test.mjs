// Differential test against the pinned reference, @toon-format/toon 4.4.0, on generated
// documents: byte-identical `encode` / `encodeJson` / `encodeLines` under several
// option sets, equal `decode` of the reference's output, equal event streams, and the
// exact host normalization of `encodeValue`.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Generator, reference, referenceVersion, toon } from './support.mjs'

const DOCS = Number(process.env.TOON_DIFF_DOCS ?? 1500)
const SEED = Number(process.env.TOON_DIFF_SEED ?? 0x7004)
const OPTIONS = [
  {},
  { indentSize: 4 },
  { delimiter: '\t' },
  { delimiter: '|' },
  { indentSize: 1, delimiter: '|' },
  { indent: 3 },
]

test('the reference is the pinned version', () => {
  assert.equal(referenceVersion, '4.4.0')
})

test(`encode and decode agree with @toon-format/toon 4.4.0 on ${DOCS} generated documents`, () => {
  const generator = new Generator(SEED)
  const failures = []
  let compared = 0
  for (let i = 0; i < DOCS; i++) {
    const doc = generator.document()
    const options = OPTIONS[i % OPTIONS.length]
    const where = `doc ${i} ${JSON.stringify(options)}: ${JSON.stringify(doc).slice(0, 200)}`
    try {
      const expected = reference.encode(doc, options)
      const ours = toon.encode(doc, options)
      assert.equal(ours, expected, 'encode')
      assert.equal(toon.encodeJson(JSON.stringify(doc), options), expected, 'encodeJson')
      assert.deepEqual(toon.encodeLines(doc, options), [...reference.encodeLines(doc, options)], 'encodeLines')
      const decodeOptions = { indentSize: options.indentSize ?? options.indent }
      assert.deepEqual(toon.decode(expected, decodeOptions), reference.decode(expected, decodeOptions), 'decode')
      const lines = expected.split('\n')
      assert.deepEqual(
        [...toon.decodeStreamSync(lines, decodeOptions)],
        [...reference.decodeStreamSync(lines, decodeOptions)],
        'decodeStreamSync',
      )
      compared += 1
    } catch (error) {
      failures.push(`${where}\n  ${error.message.split('\n').slice(0, 12).join('\n  ')}`)
    }
  }
  console.log(`differential: ${compared} of ${DOCS} documents identical (seed ${SEED})`)
  assert.deepEqual(failures.slice(0, 10), [])
  assert.equal(compared, DOCS)
})

test('non-strict decoding agrees with the reference on documents with wrong counts', () => {
  const docs = ['a[3]: 1,2', 'a[1]: x,y', 'rows[2]{x,y}:\n  1,2\n  3,4\n  5,6', 'l[1]:\n  - 1\n  - 2', 'a[2]: 1']
  for (const text of docs) {
    assert.deepEqual(toon.decode(text, { strict: false }), reference.decode(text, { strict: false }), text)
    assert.deepEqual(
      [...toon.decodeStreamSync(text.split('\n'), { strict: false })],
      [...reference.decodeStreamSync(text.split('\n'), { strict: false })],
      text,
    )
    assert.throws(() => toon.decode(text), toon.ToonDecodeError)
    assert.throws(() => reference.decode(text))
  }
})

class Point {
  constructor() {
    this.x = 1
  }
}

test('encodeValue normalizes host values exactly as the reference does', () => {
  const withToJson = { toJSON: () => ({ replaced: true }) }
  const values = [
    { missing: undefined, fn() {}, sym: Symbol('s'), n: NaN, inf: -Infinity, zero: -0 },
    { when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), bad: new Date(NaN) },
    { map: new Map([['a', 1], [2, 'two'], [true, [1, 2]]]), set: new Set(['x', 'y', 'x']) },
    { small: 12n, big: 12345678901234567890n, negative: -(2n ** 60n) },
    { point: new Point(), typed: new Uint8Array([1, 2]), withToJson },
    [undefined, () => 1, Symbol('x'), null],
    Object.assign(Object.create(null), { bare: 'object' }),
    JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'),
    undefined,
    42n,
    new Map([[{ k: 1 }, 'object key']]),
  ]
  for (const value of values) {
    assert.equal(toon.encodeValue(value), reference.encode(value))
  }
  assert.equal(Object.prototype.polluted, undefined)
})

test('encode takes the exact path for values JSON cannot express', () => {
  const value = { id: 2n ** 64n, rows: [{ a: 1n, b: 'x' }, { a: 2n, b: 'y' }] }
  assert.equal(toon.encode(value), reference.encode(value))
})

test('replacers behave as the reference documents them', () => {
  const value = { keep: 1, drop: 2, nested: { drop: 3, list: [1, 2, 3, 4] }, rows: [{ a: 1, drop: 0 }] }
  const paths = []
  const replacer = (key, v, path) => {
    paths.push(path.join('.'))
    if (key === 'drop') return undefined
    if (typeof v === 'number' && path.includes('list')) return v % 2 === 0 ? undefined : v * 10
    return v
  }
  const ours = toon.encode(value, { replacer, delimiter: '|' })
  const theirPaths = paths.splice(0)
  assert.equal(ours, reference.encode(value, { replacer, delimiter: '|' }))
  assert.deepEqual(theirPaths, paths)
  assert.equal(toon.encode({ a: 1 }, { replacer: () => undefined }), reference.encode({ a: 1 }, { replacer: () => undefined }))
})
