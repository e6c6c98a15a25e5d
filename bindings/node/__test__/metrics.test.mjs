// metricsText(): the Prometheus text of the Rust metrics, moving with counts and
// conversions made through this package.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { toon } from './support.mjs'

/** The value of the sample `series` (name and labels as printed), 0 when absent. */
function sample(text, series) {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? 0 : Number(line.slice(series.length + 1))
}

test('metricsText reports counts and conversions in Prometheus text', () => {
  toon.installMetrics()
  const before = toon.metricsText()
  const counter = new toon.TokenCounter({ encoding: 'cl100k_base' })
  const tokens = counter.count('metrics from node') + counter.count('metrics from node')
  toon.convert('{"a": [1, 2]}', 'json', 'toon')
  const text = toon.metricsText()

  assert.match(text, /# TYPE toon_tokens_counted_total counter/)
  const counted = 'toon_tokens_counted_total{encoding="cl100k_base"}'
  assert.equal(sample(text, counted) - sample(before, counted), tokens)
  const hits = 'toon_token_cache_hits_total{tier="local"}'
  assert.equal(sample(text, hits) - sample(before, hits), 1)
  assert.match(text, /toon_conversions_total\{[^}]*outcome="(ok|cached)"[^}]*\} \d+/)
  assert.match(text, /# TYPE toon_conversion_duration_seconds histogram/)
  assert.match(text, /toon_token_cache_hit_ratio\{tier="local"\} [0-9.]+/)
})
