// Writing for models: encodeAuto / encodeSections (the cheapest format, counted against
// countTokens of each rendering), fitToBudget (the budget, the kept rows, the budget
// error) and Template (skeleton and check), plus the encodings they resolve by name.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Generator, table, toon } from './support.mjs'

const ORDER = ['toon-comma', 'toon-tab', 'toon-pipe', 'json']
const DELIMITER = { 'toon-comma': ',', 'toon-tab': '\t', 'toon-pipe': '|' }

/** The text of `value` in `format`, written by the public API. */
function render(value, format) {
  return format === 'json' ? JSON.stringify(value) : toon.encode(value, { delimiter: DELIMITER[format] })
}

/** Checks a choice against countTokens of every rendering: exact counts, least, first on ties. */
function assertCheapest(value, choice, encoding) {
  const counts = ORDER.map((format) => toon.countTokens(render(value, format), encoding))
  assert.deepEqual(
    choice.candidates.map((c) => c.format),
    ORDER,
  )
  choice.candidates.forEach((candidate, i) => {
    assert.equal(candidate.exact, true)
    assert.equal(candidate.tokens, counts[i], `${candidate.format} of ${JSON.stringify(value)}`)
  })
  const least = Math.min(...counts)
  const first = ORDER[counts.indexOf(least)]
  assert.equal(choice.format, first)
  assert.equal(choice.tokens, least)
  assert.equal(choice.text, render(value, first))
}

test('encodeAuto counts each rendering as countTokens does and picks the least, first on ties', () => {
  const generator = new Generator(19)
  const values = [{ users: table(40) }, table(5), { a: 1, b: 'two' }, [1, 2, 3], 'text', 42, null]
  for (let i = 0; i < 40; i++) values.push(generator.document())
  for (const value of values) {
    assertCheapest(value, toon.encodeAuto(value, { exact: true }))
  }
  // Host values take encode's exact path (a Map is an object, a BigInt a number).
  const host = new Map([['users', table(3)], ['total', 3n]])
  assert.deepEqual(toon.encodeAuto(host), toon.encodeAuto({ users: table(3), total: 3 }))
})

test('encodeAuto without exact: the chosen count is exact, stopped ones are lower bounds above it', () => {
  const value = { users: table(30) }
  const choice = toon.encodeAuto(value)
  assert.equal(choice.tokens, toon.countTokens(choice.text))
  for (const candidate of choice.candidates) {
    const count = toon.countTokens(render(value, candidate.format))
    if (candidate.exact) assert.equal(candidate.tokens, count)
    else {
      assert.ok(candidate.tokens > choice.tokens && candidate.tokens <= count)
      assert.ok(choice.line.includes(`${candidate.format} >${candidate.tokens}`))
    }
  }
  assert.ok(choice.line.startsWith(`chosen: ${choice.format}, ${choice.tokens} tokens (toon-comma `))
})

test('encodeAuto with a model name counts in that model encoding', () => {
  const value = { users: table(25) }
  const choice = toon.encodeAuto(value, { encoding: 'llama-3.1-70b', exact: true })
  assertCheapest(value, choice, 'llama-3.1-70b')
  assert.equal(choice.tokens, toon.countTokens(choice.text, 'llama3'))
})

test('encodeAuto: deeply nested arrays are cheaper as JSON; formats limits the candidates', () => {
  const value = [[[[1, 2], [3]], [[4]]], [[[5, [6, [7]]]]], [[[8]], [[9, 10]]]]
  const choice = toon.encodeAuto(value, { exact: true })
  assert.equal(choice.format, 'json')
  assert.equal(choice.text, JSON.stringify(value))
  assertCheapest(value, choice)

  const only = toon.encodeAuto(value, { formats: ['toon-pipe', 'toon-tab'] })
  assert.deepEqual(
    only.candidates.map((c) => c.format),
    ['toon-pipe', 'toon-tab'],
  )
  assert.throws(() => toon.encodeAuto(value, { formats: ['yaml'] }), TypeError)
})

test('encodeSections chooses per section, in insertion order', () => {
  const sections = { users: table(20), question: 'Who scored best?', nested: [[[1], [2]], [[3]]] }
  const chosen = toon.encodeSections(sections, { exact: true })
  assert.deepEqual(Object.keys(chosen), ['users', 'question', 'nested'])
  for (const [name, value] of Object.entries(sections)) {
    assert.deepEqual(chosen[name], toon.encodeAuto(value, { exact: true }))
    assertCheapest(value, chosen[name])
  }
  assert.throws(() => toon.encodeSections([1, 2]), TypeError)
})

test('fitToBudget: exact tokens within the budget, the first rows kept, the cut reported', () => {
  const users = table(1000)
  for (const budget of [120, 500, 2000]) {
    const fitted = toon.fitToBudget({ users }, budget)
    assert.equal(fitted.tokens, toon.countTokens(fitted.text))
    assert.ok(fitted.tokens <= budget, `${fitted.tokens} > ${budget}`)
    assert.equal(fitted.cuts.length, 1)
    const [cut] = fitted.cuts
    assert.equal(cut.path, 'users')
    assert.equal(cut.rows, 1000)
    assert.ok(cut.kept > 0 && cut.kept < 1000)
    assert.equal(cut.line, `users: 1000 rows, ${cut.kept} kept`)
    assert.deepEqual(toon.decode(fitted.text).users, users.slice(0, cut.kept))
  }
  // A value that fits is the plain encoding, nothing cut; the options reach the encoder.
  const small = { users: table(3) }
  const whole = toon.fitToBudget(small, 10_000, { delimiter: '|', encoding: 'cl100k_base' })
  assert.equal(whole.text, toon.encode(small, { delimiter: '|' }))
  assert.equal(whole.tokens, toon.countTokens(whole.text, 'cl100k_base'))
  assert.deepEqual(whole.cuts, [])
})

test('fitToBudget: a skeleton over the budget throws ToonBudgetError with both numbers', () => {
  const value = { meta: { title: 'a fairly long title for the report', tags: ['x', 'y'] }, users: table(50) }
  assert.throws(
    () => toon.fitToBudget(value, 3),
    (error) => {
      assert.ok(error instanceof toon.ToonBudgetError)
      assert.ok(error instanceof Error)
      assert.equal(error.name, 'ToonBudgetError')
      assert.equal(error.code, 'TOON_BUDGET_ERROR')
      assert.equal(error.category, 'budget')
      assert.equal(error.maxTokens, 3)
      assert.ok(Number.isInteger(error.skeletonTokens) && error.skeletonTokens > 3)
      assert.ok(error.message.includes(`${error.skeletonTokens} tokens`))
      assert.ok(error.message.includes('budget of 3'))
      return true
    },
  )
  assert.throws(() => toon.fitToBudget(value, -1), TypeError)
})

const ORDERS = {
  type: 'object',
  properties: {
    orders: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'integer' }, customer: { type: 'string' }, total: { type: 'number' } },
        required: ['id', 'customer', 'total'],
      },
    },
  },
  required: ['orders'],
}

test('Template: skeleton, prompt and check of an orders schema', () => {
  const template = new toon.Template(ORDERS)
  assert.equal(template.skeleton, 'orders[N]{id,customer,total}:\n  <integer>,<string>,<number>')
  assert.ok(template.instructions.length > 0)
  assert.ok(template.prompt.includes(template.instructions))
  assert.ok(template.prompt.includes('```toon\n' + template.skeleton))

  assert.deepEqual(template.check({ orders: [{ id: 1, customer: 'Ada', total: 9.5 }] }), [])
  const reply = toon.decode('orders[1]{id,customer,total}:\n  x,Ada,9.5')
  const problems = template.check(reply)
  assert.equal(problems.length, 1)
  assert.deepEqual(problems[0], {
    path: 'orders[0].id',
    message: 'expected integer, found "x"',
    line: 'orders[0].id: expected integer, found "x"',
  })

  const piped = new toon.Template(ORDERS, { delimiter: '|', indent: 4 })
  assert.equal(piped.skeleton, 'orders[N|]{id|customer|total}:\n    <integer>|<string>|<number>')
})

test('Template: a schema that cannot be used is a TypeError with the reason', () => {
  assert.throws(() => new toon.Template(42), { name: 'TypeError', message: /JSON Schema is an object or a boolean/ })
  assert.throws(
    () => new toon.Template({ $ref: '#/definitions/missing' }),
    { name: 'TypeError', message: /does not point into the schema/ },
  )
})

test('encodings by model name: qwen2.5-72b is qwen2; an unknown one lists llama3', () => {
  const text = toon.encode({ users: table(20) }) + '\nnaïve café 日本語 😀'
  assert.equal(toon.countTokens(text, 'qwen2.5-72b'), toon.countTokens(text, 'qwen2'))
  assert.throws(() => toon.countTokens(text, 'no-such-model'), { name: 'TypeError', message: /llama3/ })
  assert.throws(() => toon.encodeAuto({ a: 1 }, { encoding: 'no-such-model' }), { message: /llama3/ })
})
