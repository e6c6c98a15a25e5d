// repair: a model's reply read with every fix reported and a cut-off reply told apart.
// The rules are the core's (crates/toon/tests/repair.rs); here, what JavaScript sees.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { toon } from './support.mjs'

const REPLY =
  'Here are the users you asked for:\n\n```toon\nusers[3]{id,name}:\n    1,Ada,\n    2,Bo\n```\n\nWant more?\n'

test('repair returns the value and each fix at its place in the reply', () => {
  const { value, repairs, truncated, foundIn } = toon.repair(REPLY)
  assert.deepEqual(value, { users: [{ id: 1, name: 'Ada' }, { id: 2, name: 'Bo' }] })
  assert.equal(truncated, null)
  assert.equal(foundIn, 'fence')
  assert.deepEqual(
    repairs.map((r) => [r.line, r.column, r.done]),
    [
      [4, 7, 'kept the 2 tabular rows present'],
      [5, 1, 'read every line with 4 spaces per level'],
      [5, 10, 'removed the trailing delimiter'],
    ],
  )
  assert.equal(repairs[0].found, 'expected 3 tabular rows, but got 2')
})

test('a cut-off reply keeps the part that arrived and says what is missing', () => {
  const { value, truncated } = toon.repair('users[3]{id,name}:\n  1,Ada\n  2,B')
  assert.deepEqual(value, { users: [{ id: 1, name: 'Ada' }, { id: 2, name: 'B' }] })
  assert.deepEqual(truncated, { line: 3, column: 6, missing: ['users: 3 tabular rows declared, 2 read'] })
})

test('what needs a guess throws a ToonDecodeError located in the reply', () => {
  assert.throws(
    () => toon.repair('```toon\nrows[2]{a,b}:\n  1,2,3\n  4,5\n```\n'),
    (error) => error instanceof toon.ToonDecodeError && error.line === 3 && error.column === 3 && error.category === 'width',
  )
})

test('fence and indentSize options, and bad options', () => {
  const reply = '```\nb: 2\n```\n```\nc:\n    d: 1\n```\n'
  assert.deepEqual(toon.repair(reply).value, { b: 2 })
  const chosen = toon.repair(reply, { fence: 1, indentSize: 4 })
  assert.deepEqual(chosen.value, { c: { d: 1 } })
  assert.deepEqual(chosen.repairs, [])
  assert.throws(() => toon.repair('a: 1', { indentSize: 0 }), TypeError)
})

test('decode errors carry the path of the value, a hint for the model, what was expected and found', () => {
  assert.throws(
    () => toon.decode('users[2]{id,name}:\n  1,Ada,x\n  2,Bo'),
    (error) =>
      error.path === 'users[0]' &&
      error.expected === '2 tabular row values' &&
      error.found === '3' &&
      error.hint === 'this row has 3 values but the header declares 2 fields; quote values that contain the delimiter',
  )
  assert.throws(
    () => toon.convert('a:\n  b[3]: 1,2', 'toon', 'json'),
    (error) =>
      error.path === 'a.b' &&
      error.category === 'count' &&
      typeof error.hint === 'string' &&
      error.expected === '3 inline-form values' &&
      error.found === '2',
  )
})
