// The async API: same results as the sync one, and the event loop keeps running while
// a 20 MB document is encoded. With TOON_TIMING=1 (./scripts/test-all.sh --timing) also
// the wall-clock bounds: no gap of 50 ms or more between ticks during that encode, and a
// synchronous part of encodeAsync on a 1 MB document under 5 ms. Without it those two
// sub-tests are skipped, with the reason, and everything else still runs: a loaded
// machine must not make the suite flaky.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Generator, reference, table, toon } from './support.mjs'

/** Largest gap allowed between two ticks of a 1 ms interval while encodeAsync works. */
const MAX_GAP_MS = 50
/** Largest synchronous part of encodeAsync on a 1 MB document. */
const MAX_SYNC_MS = 5
/** The wall-clock sub-tests run only with TOON_TIMING=1; otherwise this is why not. */
const TIMING_SKIP = process.env.TOON_TIMING === '1' ? false : 'timing checks skipped: set TOON_TIMING=1'

test('async forms give the same results as the sync ones', async () => {
  const generator = new Generator(11)
  for (let i = 0; i < 200; i++) {
    const doc = generator.document()
    const options = i % 2 ? { delimiter: '|' } : { indentSize: 4 }
    const text = toon.encode(doc, options)
    assert.equal(await toon.encodeAsync(doc, options), text)
    assert.equal(await toon.encodeJsonAsync(JSON.stringify(doc), options), text)
    assert.deepEqual(await toon.decodeAsync(text, options), toon.decode(text, options))
    assert.equal(await toon.decodeToJsonAsync(text, options), toon.decodeToJson(text, options))
  }
  const big = { users: table(20000), meta: { nested: { deeper: table(3000) } } }
  assert.equal(await toon.encodeAsync(big), reference.encode(big))
  assert.equal(await toon.encodeAsync(12n), '12')
})

/** A document whose JSON text is at least `bytes` long: tables inside nested objects. */
function documentOf(bytes) {
  const rowsPerChunk = 2000
  const doc = { service: 'handoff-api', regions: {} }
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const chunk = { owner: { id: i, name: `team ${i}` }, rows: table(rowsPerChunk, i + 1) }
    doc.regions[`region-${i}`] = chunk
    size += JSON.stringify(chunk).length
  }
  return doc
}

test('the event loop keeps ticking while encodeAsync works on a 20 MB document', async (t) => {
  const doc = documentOf(20 * 1024 * 1024)
  const ticks = []
  const timer = setInterval(() => ticks.push(performance.now()), 1)
  await new Promise((resolve) => setTimeout(resolve, 20)) // let the timer settle
  const start = performance.now()
  const text = await toon.encodeAsync(doc)
  const end = performance.now()
  clearInterval(timer)
  const during = [start, ...ticks.filter((t) => t > start && t < end), end]
  let largest = 0
  for (let i = 1; i < during.length; i++) largest = Math.max(largest, during[i] - during[i - 1])
  console.log(
    `encodeAsync 20 MB: ${(end - start).toFixed(0)} ms, ${during.length - 2} ticks, largest gap ${largest.toFixed(1)} ms (bound ${MAX_GAP_MS} ms)`,
  )
  assert.ok(text.length > 5_000_000)
  assert.ok(during.length - 2 > 10, 'the interval fired during the encode')
  assert.equal(text, toon.encode(doc))
  await t.test(`no gap of ${MAX_GAP_MS} ms or more between ticks`, { skip: TIMING_SKIP }, () => {
    assert.ok(largest < MAX_GAP_MS, `largest gap ${largest.toFixed(1)} ms`)
  })
})

test('encodeAsync on a 1 MB document, and its synchronous part', async (t) => {
  const doc = documentOf(1024 * 1024)
  await toon.encodeAsync(doc) // warm up
  const samples = []
  for (let i = 0; i < 7; i++) {
    const start = performance.now()
    const pending = toon.encodeAsync(doc)
    samples.push(performance.now() - start)
    assert.equal(await pending, toon.encode(doc))
  }
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(samples.length / 2)]
  console.log(`encodeAsync 1 MB sync part: median ${median.toFixed(2)} ms, all ${samples.map((s) => s.toFixed(2)).join(' ')}`)
  await t.test(`the synchronous part stays under ${MAX_SYNC_MS} ms (median of 7)`, { skip: TIMING_SKIP }, () => {
    assert.ok(median < MAX_SYNC_MS, `median sync part ${median.toFixed(2)} ms`)
  })
})

test('encodeAsync normalizes as the reference does, toJSON included', async () => {
  const rows = Array.from({ length: 400 }, (_, i) => ({
    i,
    when: new Date(Date.UTC(2024, 0, 1 + (i % 28))),
    gone: { toJSON: () => undefined },
    skipped: undefined,
    fn: () => i,
    custom: { toJSON: (key) => `custom:${key}` },
  }))
  const value = { rows, list: [undefined, () => 1, { toJSON: () => undefined }], big: Array.from({ length: 300 }, (_, i) => [i]) }
  // undefined, functions and a toJSON that returns undefined become null, as in the
  // reference, where JSON.stringify would drop them.
  assert.equal(await toon.encodeAsync(value), reference.encode(value))
  assert.equal(await toon.encodeAsync(value), toon.encode(value))
})
