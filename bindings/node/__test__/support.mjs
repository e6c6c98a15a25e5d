// Shared by the tests: the package under test, the reference implementation, the spec
// fixture folder, and a deterministic generator of JSON documents that stress quoting,
// numbers, keys and every array layout of TOON.
import { createRequire } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))

/** The package under test (the public wrapper). */
export const toon = require('../toon.js')

/** The pinned reference implementation, @toon-format/toon 4.4.0 (a devDependency). */
export const reference = await import('@toon-format/toon')
export const referenceVersion = JSON.parse(
  readFileSync(resolve(here, '../node_modules/@toon-format/toon/package.json'), 'utf8'),
).version

/** `shared/toon-spec` beside the repository, where the spec suite is looked for by default. */
const besideRepo = resolve(here, '../../../../shared/toon-spec')

/** `$TOON_SPEC_DIR`, or `shared/toon-spec` beside the repository; null when absent. */
export function specDir() {
  const dir = process.env.TOON_SPEC_DIR ?? besideRepo
  return existsSync(resolve(dir, 'fixtures')) ? dir : null
}

/** TOON_SKIP_SPEC=1: missing spec fixtures are skipped on request instead of failing. */
export const skipSpecRequested = process.env.TOON_SKIP_SPEC === '1'

/** The places specDir() looked, for the messages below. */
function specPlaces() {
  const env = process.env.TOON_SPEC_DIR
  return env === undefined
    ? ['$TOON_SPEC_DIR: not set', `../shared/toon-spec beside the repository: ${besideRepo} (no fixtures/ folder there)`]
    : [`$TOON_SPEC_DIR: ${env} (no fixtures/ folder there)`, `../shared/toon-spec beside the repository: ${besideRepo} (not used while TOON_SPEC_DIR is set)`]
}

/** Why a test that needs the spec fixtures fails when they are missing, and the fix. */
export function missingSpecMessage(what) {
  const [env, beside] = specPlaces()
  return `${what}: the TOON spec fixtures were not found.\n  looked in ${env}\n  looked in ${beside}\n` +
    `Set TOON_SPEC_DIR to the toon-spec folder (the one holding fixtures/), or put the suite at ${besideRepo}; ` +
    'or set TOON_SKIP_SPEC=1 to skip the spec fixtures explicitly.'
}

/** A loud notice that the missing spec fixtures were skipped because TOON_SKIP_SPEC=1 asked. */
export function announceSkippedSpec(what) {
  const bar = '!'.repeat(76)
  console.error(`\n${bar}\n!! ${what}: the spec fixtures were not found (${specPlaces().join('; ')}).`)
  console.error(`!! TOON_SKIP_SPEC=1 is set, so the spec fixtures were NOT RUN (skipped on request).\n${bar}`)
}

/** mulberry32: a small deterministic generator of uniform numbers in [0, 1). */
export function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Strings that need quoting, escaping or look like numbers and literals.
const EDGE_STRINGS = [
  '', ' ', ' a', 'a ', '\t', 'a\tb', 'true', 'false', 'null', 'True', '05', '0', '-0',
  '1e5', '1e-7', '-3', '+1', '1.0', '.5', '5.', 'Infinity', 'NaN', '9007199254740993',
  '1e400', '-', '- a', '-a', '#', '# note', 'a#b', ':', 'a:b', 'a: b', '"', 'a"b', '\\',
  '\\n', '[', ']', '[1]', '[2]: x', '{', '}', '{a}', 'a[2]{x}:', ',', 'a,b', '|', 'a|b',
  '\n', 'a\nb', '\r', 'a\r\nb', '\u0000', '\u0001', '\u001b', '\u007f', '\u2028', '😀',
  '日本語', '\u00a0', 'a\u00a0', 'café', '\ufeff', '\ufeffx', 'hello world', "it's",
  'C:\\path', 'https://x.y/z?q=1&r=2', 'a.b.c', '@home', '<tag>', 'null ', ' true',
  '- [1]: x', 'key: [1]', 'e\u0301', '\u3000a',
]
const SIMPLE_KEYS = ['a', 'b', 'c', 'id', 'name', 'value', 'items', 'tags', 'data', 'meta',
  '_private', 'camelCase', 'snake_case', 'A1', 'a.b', 'v2']
const TRICKY_KEYS = ['a-b', '1a', 'full name', 'café', '', '__proto__', 'constructor',
  'toString', ' x', 'x ', '-1', '1.5', 'true', 'null', '#', '-', 'a:b', 'a,b', 'a|b',
  'a\tb', 'a\nb', '[x]', '{y}', '"q"', 'a\\b', '日本', '😀', 'a b', '1e5', '05', '[2]', 'x:']
// Integer-like keys ("0", "10") are left out: JS objects hoist them, so key order would
// differ between the input and any decoder's output.
const EDGE_FLOATS = [0.1 + 0.2, 1e-7, 1e-6, 1.5e-6, 5e-324, 2.2250738585072014e-308, 1e21,
  1e20, 1.5e300, Number.MAX_VALUE, -Number.MAX_VALUE, 0.5, -1.25, 1e15, 1e16, 123456.789,
  -0.0000015, 1e-300, 2.5e-8, 1 / 3, -0]

/** JSON documents (JS-safe numbers only: the reference is a JS program) from `seed`. */
export class Generator {
  constructor(seed) {
    this.next = random(seed)
    this.budget = 0
  }

  below(n) {
    return Math.floor(this.next() * n)
  }

  range(lo, hi) {
    return lo + this.below(hi - lo + 1)
  }

  chance(percent) {
    return this.next() * 100 < percent
  }

  pick(items) {
    return items[this.below(items.length)]
  }

  document() {
    this.budget = this.range(4, 40)
    const roll = this.below(100)
    if (roll < 8) return this.primitive()
    if (roll < 14) return this.tabular()
    if (roll < 20) return this.nearTabular(1)
    if (roll < 26) return this.listItems(1)
    if (roll < 30) return this.arraysOfArrays(1)
    if (roll < 36) return this.deep(this.range(6, 16))
    return this.object(this.range(1, 6), 1)
  }

  value(depth) {
    if (depth > 6 || this.budget <= 0) {
      const r = this.below(12)
      return r === 0 ? [] : r === 1 ? {} : this.primitive()
    }
    this.budget -= 1
    const r = this.below(100)
    if (r < 30 + depth * 8) return this.primitive()
    if (r < 50) return this.object(this.range(0, 5), depth + 1)
    if (r < 58) return this.tabular()
    if (r < 64) return this.nearTabular(depth + 1)
    if (r < 72) return this.primitiveArray()
    if (r < 76) return this.arraysOfArrays(depth + 1)
    if (r < 84) return this.listItems(depth + 1)
    return this.chance(50) ? [] : {}
  }

  primitive() {
    const r = this.below(100)
    if (r < 6) return null
    if (r < 12) return this.chance(50)
    if (r < 30) return this.integer()
    if (r < 44) return this.float()
    return this.string()
  }

  integer() {
    switch (this.below(5)) {
      case 0:
        return this.pick([0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 31])
      case 1:
        return Math.round((this.next() * 2 - 1) * Number.MAX_SAFE_INTEGER)
      case 2:
        return 10 ** this.range(0, 15)
      default:
        return this.below(1000) - (this.chance(30) ? 500 : 0)
    }
  }

  float() {
    switch (this.below(4)) {
      case 0:
      case 1:
        return this.pick(EDGE_FLOATS)
      case 2:
        return (this.below(2_000_001) - 1e6) / 10 ** this.range(1, 7)
      default:
        return Number(`${this.range(1, 99999)}e${this.range(-320, 300)}`)
    }
  }

  string() {
    const r = this.below(100)
    if (r < 45) return this.pick(EDGE_STRINGS)
    if (r < 60) return this.pick(SIMPLE_KEYS)
    if (r < 90) {
      let s = ''
      for (let i = this.range(1, 5); i > 0; i--) {
        s += this.chance(10) ? String.fromCharCode(this.below(32)) : this.pick(EDGE_STRINGS)
      }
      return s
    }
    return String(this.chance(50) ? this.float() : this.below(100000))
  }

  key() {
    const r = this.below(100)
    if (r < 55) return this.pick(SIMPLE_KEYS)
    if (r < 90) return this.pick(TRICKY_KEYS)
    const s = this.string()
    return /^(0|[1-9][0-9]*)$/.test(s) ? `k${s}` : s
  }

  keys(n) {
    const keys = new Set()
    for (let tries = 0; keys.size < n && tries < n * 10; tries++) keys.add(this.key())
    return [...keys]
  }

  object(n, depth) {
    const object = {}
    for (const key of this.keys(n)) {
      Object.defineProperty(object, key, {
        value: this.value(depth),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return object
  }

  primitiveArray() {
    return Array.from({ length: this.range(0, 8) }, () => this.primitive())
  }

  tabular() {
    const keys = this.keys(this.range(1, 5))
    return Array.from({ length: this.range(1, 8) }, () => {
      const row = {}
      for (const key of keys) {
        Object.defineProperty(row, key, {
          value: this.primitive(),
          enumerable: true,
          writable: true,
          configurable: true,
        })
      }
      return row
    })
  }

  nearTabular(depth) {
    const rows = this.tabular()
    const row = rows[this.below(rows.length)]
    const keys = Object.keys(row)
    switch (this.below(3)) {
      case 0:
        row[keys[0]] = this.value(depth)
        break
      case 1:
        row[`extra${this.below(9)}`] = this.primitive()
        break
      default:
        if (keys.length > 1) delete row[keys[keys.length - 1]]
    }
    return rows
  }

  arraysOfArrays(depth) {
    return Array.from({ length: this.range(1, 4) }, () =>
      this.chance(70) ? this.primitiveArray() : this.value(depth),
    )
  }

  listItems(depth) {
    return Array.from({ length: this.range(1, 5) }, () =>
      this.chance(50) ? this.object(this.range(1, 4), depth + 1) : this.value(depth),
    )
  }

  deep(levels) {
    let value = this.primitive()
    for (let i = 0; i < levels; i++) {
      value = this.chance(50) ? { [this.pick(SIMPLE_KEYS)]: value } : [value, this.primitive()]
    }
    return value
  }
}

/** A table of `rows` uniform records (the shape TOON is best at). */
export function table(rows, seed = 1) {
  const next = random(seed)
  const names = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances']
  return Array.from({ length: rows }, (_, i) => ({
    id: i + 1,
    name: `${names[i % names.length]} ${Math.floor(next() * 1000)}`,
    email: `user${i}@example.com`,
    active: next() < 0.7,
    score: Math.round(next() * 10000) / 100,
    team: ['core', 'infra', 'web'][i % 3],
  }))
}
