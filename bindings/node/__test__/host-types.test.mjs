// Every JS host type a caller may pass is encoded as the reference normalizes it (Map →
// object, Set → array, Date → ISO string, BigInt, undefined → null, class instances and
// typed arrays → null, toJSON first, ...): by `encode`, `encodeLines` and `encodeAsync`
// alike, with nothing dropped on the JSON.stringify fast path.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { reference, toon } from './support.mjs'

class Point {
  constructor(x, y) {
    this.x = x
    this.y = y
  }
}

class Temperature {
  constructor(celsius) {
    this.celsius = celsius
  }

  toJSON() {
    return { celsius: this.celsius, unit: 'C' }
  }
}

class Items extends Array {}

const withGetter = {
  get computed() {
    return 42
  },
  plain: 1,
}

const sparse = [1, , 3] // eslint-disable-line no-sparse-arrays

/** [name, value]: each is encoded by the reference and by us. */
const CASES = [
  ['a Set', new Set(['a', 'b'])],
  ['a Set of objects', new Set([{ id: 1 }, { id: 2 }])],
  ['a Map', { m: new Map([['k', 1], ['j', 2]]) }],
  ['a Map with number keys', new Map([[1, 'one'], [2, 'two']])],
  ['a Map of Sets', new Map([['tags', new Set(['x', 'y'])]])],
  ['a Date', { at: new Date(Date.UTC(2026, 11, 4, 17, 13, 30)) }],
  ['a safe BigInt', { n: 42n }],
  ['a large BigInt', { n: 12345678901234567890n }],
  ['an undefined property', { a: undefined, b: 1 }],
  ['a function property', { f() {}, b: 1 }],
  ['a symbol value', { s: Symbol('x'), b: 1 }],
  ['a root undefined', undefined],
  ['a class instance', { p: new Point(1, 2) }],
  ['a class instance with toJSON', { t: new Temperature(21.5) }],
  ['a typed array', { bytes: new Uint8Array([1, 2, 3]) }],
  ['a Buffer', { buf: Buffer.from('hi') }],
  ['an Array subclass', { items: Items.from([1, 2]) }],
  ['boxed primitives', { n: new Number(3), s: new String('x'), b: new Boolean(false) }],
  ['-0 and non-finite numbers', { z: -0, nan: NaN, inf: Infinity }],
  ['a getter', withGetter],
  ['a sparse array', { sparse }],
  ['a null-prototype object', Object.assign(Object.create(null), { a: 1 })],
  ['symbol keys', { [Symbol('hidden')]: 1, shown: 2 }],
  ['plain data', { users: [{ id: 1, name: 'Ada' }, { id: 2, name: 'Bo' }], tags: ['a', 'b'] }],
]

for (const [name, value] of CASES) {
  test(`encode: ${name} as the reference encodes it`, async () => {
    const expected = reference.encode(value)
    assert.equal(toon.encode(value), expected)
    assert.deepEqual(toon.encodeLines(value), Array.from(reference.encodeLines(value)))
    assert.equal(await toon.encodeAsync(value), expected)
  })
}

test('the Set and Map of the issue keep their contents', () => {
  assert.equal(toon.encode(new Set(['a', 'b'])), '[2]: a,b')
  assert.equal(toon.encode({ m: new Map([['k', 1]]) }), 'm:\n  k: 1')
})
