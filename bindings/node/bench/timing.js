// Timing for the benches on a shared, noisy machine: each call is timed in batches of a
// few milliseconds, and the best batch counts (load from elsewhere only ever adds time).
// `compare` interleaves two functions over several rounds so both see the same load.
'use strict'

/** Calls per batch so that one batch of `fn` takes at least `minBatchMs`. */
function batchSize(fn, minBatchMs) {
  let perBatch = 1
  for (;;) {
    const start = performance.now()
    for (let i = 0; i < perBatch; i++) fn()
    if (performance.now() - start >= minBatchMs || perBatch >= 1 << 20) return perBatch
    perBatch *= 2
  }
}

/** Best milliseconds per call of `fn` over batches filling about `budgetMs`. */
function measure(fn, { budgetMs = 250, minBatchMs = 5 } = {}) {
  for (let i = 0; i < 3; i++) fn() // warm up (JIT, caches)
  const perBatch = batchSize(fn, minBatchMs)
  let best = Infinity
  const end = performance.now() + budgetMs
  for (let n = 0; n < 3 || performance.now() < end; n++) {
    const start = performance.now()
    for (let i = 0; i < perBatch; i++) fn()
    best = Math.min(best, (performance.now() - start) / perBatch)
  }
  return best
}

/** `[best ms of a, best ms of b]`, measured in `rounds` interleaved rounds. */
function compare(a, b, rounds = 3) {
  let bestA = Infinity
  let bestB = Infinity
  for (let r = 0; r < rounds; r++) {
    bestA = Math.min(bestA, measure(a))
    bestB = Math.min(bestB, measure(b))
  }
  return [bestA, bestB]
}

/** `ms` with a unit that keeps three significant digits. */
function formatMs(ms) {
  if (ms >= 100) return `${ms.toFixed(0)} ms`
  if (ms >= 1) return `${ms.toFixed(2)} ms`
  return `${(ms * 1000).toFixed(1)} µs`
}

module.exports = { compare, formatMs, measure }
