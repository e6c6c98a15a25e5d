// Token counts against gpt-tokenizer (an independent tiktoken port), the counter's cache
// statistics, savings, and the async form.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base'
import * as o200k from 'gpt-tokenizer/encoding/o200k_base'

import { Generator, table, toon } from './support.mjs'

function texts() {
  const generator = new Generator(7)
  const out = [
    '',
    'Hello, world!',
    '  leading and trailing spaces  \n\n\t',
    'café naïve 日本語のテキスト 中文 😀👨‍👩‍👧 emoji',
    "def f(x):\n    return x ** 2  # it's code\n",
    '12345678901234567890 3.14159 1e-7',
    JSON.stringify(table(50)),
    toon.encode(table(50)),
  ]
  for (let i = 0; i < 200; i++) {
    const doc = generator.document()
    out.push(JSON.stringify(doc) ?? 'null', toon.encode(doc))
  }
  // gpt-tokenizer's pre-tokenizer is a JS regex, whose `\s` also matches U+FEFF while
  // tiktoken's does not: texts with a BOM are checked separately below.
  return out.map((text) => text.replaceAll('\ufeff', ''))
}

test('countTokens equals gpt-tokenizer on o200k_base and cl100k_base', () => {
  for (const text of texts()) {
    assert.equal(toon.countTokens(text), o200k.countTokens(text), text)
    assert.equal(toon.countTokens(text, 'o200k_base'), o200k.countTokens(text), text)
    assert.equal(toon.countTokens(text, 'cl100k_base'), cl100k.countTokens(text), text)
  }
  assert.equal(toon.countTokens('Hello, world!', 'gpt-4o'), 4)
})

test('U+FEFF counts as tiktoken counts it (gpt-tokenizer splits it off as whitespace)', () => {
  // tiktoken merges the three bytes of U+FEFF into one token in both encodings.
  assert.equal(toon.countTokens('\ufeff', 'cl100k_base'), 1)
  assert.equal(toon.countTokens('\ufeff', 'o200k_base'), 1)
  assert.deepEqual(new toon.TokenCounter({ encoding: 'cl100k_base' }).encode('\ufeff'), [3305])
  assert.equal(cl100k.countTokens('\ufeff'), 2)
})

test('countTokensAsync resolves to the same counts', async () => {
  const sample = texts().slice(0, 40)
  const counts = await Promise.all(sample.map((t) => toon.countTokensAsync(t, 'cl100k_base')))
  assert.deepEqual(counts, sample.map((t) => cl100k.countTokens(t)))
})

test('a TokenCounter keeps statistics of its own cache', async () => {
  const counter = new toon.TokenCounter({ encoding: 'cl100k_base', maxEntries: 1000 })
  assert.equal(counter.encoding, 'cl100k_base')
  const text = 'The same text, counted three times.'
  assert.equal(counter.count(text), cl100k.countTokens(text))
  counter.count(text)
  assert.equal(await counter.countAsync(text), cl100k.countTokens(text))
  const stats = counter.stats()
  assert.equal(stats.misses, 1)
  assert.equal(stats.hits, 2)
  assert.equal(stats.entries, 1)
  assert.equal(stats.maxEntries, 1000)
  assert.ok(Math.abs(stats.hitRate - 2 / 3) < 1e-9)
  assert.deepEqual(counter.countBatch(['a b', 'c', text]), ['a b', 'c', text].map((t) => cl100k.countTokens(t)))
  assert.deepEqual(counter.encode('Hello, world!'), cl100k.encode('Hello, world!'))
  assert.equal(new toon.TokenCounter({ cache: false }).stats(), null)
})

test('savings compares JSON and TOON of the same data', () => {
  const data = { users: table(20) }
  const json = JSON.stringify(data)
  const text = toon.encode(data)
  const savings = new toon.TokenCounter().savings(json, text)
  assert.equal(savings.encoding, 'o200k_base')
  assert.equal(savings.jsonTokens, o200k.countTokens(json))
  assert.equal(savings.toonTokens, o200k.countTokens(text))
  assert.equal(savings.savedTokens, savings.jsonTokens - savings.toonTokens)
  assert.ok(savings.savedTokens > 0)
  assert.equal(savings.jsonBytes, Buffer.byteLength(json))
  assert.match(savings.summary, /^Token counts \(o200k_base\): \d+ \(JSON\) → \d+ \(TOON\), saved \d+ tokens/)
})
