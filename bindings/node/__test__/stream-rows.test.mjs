// streamRows / rowStream: TOON read as it arrives, in chunks split anywhere, each
// finished row handed out when its line ends.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const toon = require('../toon.js')

const DOC =
  'users[3]{id,name}:\n  1,Ada\n  2,Zoë 🚀\n  3,"Cy, jr"\n' + 'meta:\n  count: 3\n  tags[2]: a,b\nok: true\n'
const PATHS = ['users[0]', 'users[1]', 'users[2]', 'meta.count', 'meta.tags[0]', 'meta.tags[1]', 'ok']

function chunked(data, size) {
  const chunks = []
  for (let i = 0; i < data.length; i += size) chunks.push(data.slice(i, i + size))
  return chunks
}

test('any chunking of strings or bytes gives the value decode gives', async () => {
  const expected = toon.decode(DOC)
  const bytes = new TextEncoder().encode(DOC)
  for (const size of [1, 2, 3, 5, 64]) {
    for (const chunks of [chunked(DOC, size), chunked(bytes, size)]) {
      const stream = toon.streamRows(chunks)
      const paths = []
      for await (const part of stream) paths.push(part.path)
      assert.deepEqual(paths, PATHS)
      assert.deepEqual(stream.value, expected)
      assert.equal(stream.truncated, null)
    }
  }
  const sync = toon.streamRows([DOC])
  assert.deepEqual(
    [...sync].map((p) => [p.parent, p.index, p.key]),
    [
      ['users', 0, null],
      ['users', 1, null],
      ['users', 2, null],
      ['meta', null, 'count'],
      ['meta.tags', 0, null],
      ['meta.tags', 1, null],
      ['', null, 'ok'],
    ],
  )
})

test('an async source: rows arrive before the source ends', async () => {
  let sent = 0
  async function* source() {
    for (const chunk of chunked(DOC, 7)) {
      sent += 1
      yield chunk
    }
  }
  const first = []
  for await (const part of toon.streamRows(source())) first.push([part.path, sent])
  const [path, sentBefore] = first[0]
  assert.equal(path, 'users[0]')
  assert.ok(sentBefore < chunked(DOC, 7).length, `${sentBefore}`)
  assert.throws(() => [...toon.streamRows(source())], /for await/)
})

test('a cut-off stream throws truncated with the part that arrived', async () => {
  const text = DOC.slice(0, DOC.indexOf('  3,')) + '  3,"Cy'
  const seen = []
  await assert.rejects(
    (async () => {
      for await (const part of toon.streamRows(chunked(text, 4))) seen.push(part.path)
    })(),
    (error) => {
      assert.ok(error instanceof toon.ToonDecodeError)
      assert.equal(error.category, 'truncated')
      assert.equal(error.line, 4)
      assert.equal(error.column, 8)
      assert.deepEqual(error.partial, { users: [{ id: 1, name: 'Ada' }, { id: 2, name: 'Zoë 🚀' }] })
      assert.equal(error.truncated.missing.at(-1), 'users: 3 tabular rows declared, 2 read')
      assert.ok(error.hint)
      return true
    },
  )
  assert.deepEqual(seen, ['users[0]', 'users[1]'])
})

test('errors are decode errors at the same place', () => {
  const text = 'a: 1\nrows[2]{x,y}:\n  1,2,3\n  4,5\n'
  let whole
  try {
    toon.decode(text)
  } catch (error) {
    whole = error
  }
  for (const size of [1, 4]) {
    assert.throws(
      () => [...toon.streamRows(chunked(text, size))],
      (error) => {
        assert.ok(error instanceof toon.ToonDecodeError)
        assert.deepEqual(
          [error.line, error.column, error.category, error.path, error.message],
          [whole.line, whole.column, whole.category, whole.path, whole.message],
        )
        return true
      },
    )
  }
  assert.throws(() => [...toon.streamRows([42])], /string or a Uint8Array, not number/)
})

test('repair mode reads a fenced reply and reports fixes, like repair', () => {
  const reply = '```toon\nusers[3]{id,name}:\n  1,Ada,\n  2,Bo\n```\nAnything else?'
  const stream = toon.streamRows(chunked(reply, 3), { repair: true })
  assert.deepEqual(
    [...stream].map((p) => p.value),
    [
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Bo' },
    ],
  )
  const whole = toon.repair(reply)
  assert.deepEqual(stream.value, whole.value)
  assert.deepEqual(stream.repairs, whole.repairs)
})

test('rowStream is a TransformStream of parts; keepRows false keeps none', async () => {
  const text = 'rows[300]{i}:\n' + Array.from({ length: 300 }, (_, i) => `  ${i}\n`).join('') + 'n: 300\n'
  const readable = new Blob([text]).stream().pipeThrough(toon.rowStream({ keepRows: false }))
  let rows = 0
  for await (const part of readable) if (part.parent === 'rows') rows += 1
  assert.equal(rows, 300)
  const cut = new Blob(['rows[2]{i}:\n  1\n']).stream().pipeThrough(toon.rowStream())
  const parts = []
  await assert.rejects(
    (async () => {
      for await (const part of cut) parts.push(part.value)
    })(),
    (error) => error.category === 'truncated',
  )
  assert.deepEqual(parts, [{ i: 1 }])
  const stream = toon.streamRows([text], { keepRows: false })
  for (const _ of stream);
  assert.deepEqual(stream.value, { rows: [], n: 300 })
})
