// Goal P3: toon-node against the reference @toon-format/toon 4.4.0 in one Node
// process, on the four benchmark corpora. Prints a Markdown table of times and ratios
// (reference time / our time: above 1 means faster than the reference). Times are the
// best of interleaved rounds (bench/timing.js).
//
//   npm run build && node bench/bench.js [--json FILE]
//                                            (corpora from $TOON_CORPORA, else
//                                             target/corpora, generated when missing)
//
// --json FILE also writes the times as a bench result file, which
// `cargo run -p toon-benches --bin bench-charts -- FILE` draws (ratios to the reference).
'use strict'

const { loadCorpora } = require('./corpora.js')
const { compare, formatMs, measure } = require('./timing.js')
const toon = require('../toon.js')

/** The times of `rows` as a bench result file (toon_benches::report::results). */
function resultFile(rows) {
  const out = []
  for (const [name, , op, theirs, ours] of rows) {
    const floor = op.startsWith('(floor)')
    const group = `${name} ${floor ? 'encode(value)' : op.split(' ')[0]}`
    if (theirs !== null) out.push({ group, series: 'reference', value: theirs / 1000 })
    out.push({ group, series: floor ? 'JSON.stringify' : 'toon-node', value: ours / 1000 })
  }
  return {
    title: 'Node: speed against @toon-format/toon 4.4.0 (bench/bench.js)',
    unit: 'seconds',
    higher_is_better: false,
    baselines: ['reference'],
    rows: out,
  }
}

async function main() {
  const reference = await import('@toon-format/toon')
  const o200k = await import('gpt-tokenizer/encoding/o200k_base')
  // Uncached, so every call really counts (the shared counter would answer from cache).
  const counter = new toon.TokenCounter({ encoding: 'o200k_base', cache: false })

  const rows = []
  for (const { name, json } of loadCorpora()) {
    const value = JSON.parse(json)
    const text = reference.encode(value)
    // encodeJson is not compared: it keeps integers above 2^53 (twitter's ids) exact,
    // where JSON.parse rounds them before the reference sees them.
    if (toon.encode(value) !== text) throw new Error(`${name}: output differs from the reference`)
    if (counter.count(json) !== o200k.countTokens(json)) {
      throw new Error(`${name}: token count differs from gpt-tokenizer`)
    }
    const kb = `${(json.length / 1024).toFixed(0)} KB JSON`
    rows.push(
      [name, kb, 'decode(toon)', ...compare(() => reference.decode(text), () => toon.decode(text)), 5],
      [name, kb, 'encodeJson(json) vs encode(JSON.parse(json))', ...compare(() => reference.encode(JSON.parse(json)), () => toon.encodeJson(json)), 5],
      [name, kb, 'encode(value)', ...compare(() => reference.encode(value), () => toon.encode(value)), name === 'tabular' ? 2 : 5],
      [name, kb, 'countTokens(json) vs gpt-tokenizer', ...compare(() => o200k.countTokens(json), () => counter.count(json)), null],
    )
    rows.push([name, kb, '(floor) JSON.stringify(value)', null, measure(() => JSON.stringify(value)), null])
  }

  console.log(`Node ${process.version}, @toon-format/toon 4.4.0 (pinned), ${new Date().toISOString()}`)
  console.log('| corpus | size | operation | reference | toon-node | ratio | goal |')
  console.log('|---|---:|---|---:|---:|---:|---:|')
  for (const [name, kb, op, theirs, ours, goal] of rows) {
    const ratio = theirs === null ? '' : `${(theirs / ours).toFixed(1)}×`
    const mark = goal === null || theirs === null ? '' : theirs / ours >= goal ? `≥${goal}× ✓` : `≥${goal}× ✗`
    console.log(`| ${name} | ${kb} | ${op} | ${theirs === null ? '' : formatMs(theirs)} | ${formatMs(ours)} | ${ratio} | ${mark} |`)
  }
  const json = process.argv.indexOf('--json')
  if (json !== -1) {
    const file = process.argv[json + 1]
    if (!file) throw new Error('--json FILE')
    const fs = require('node:fs')
    const path = require('node:path')
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, JSON.stringify(resultFile(rows), null, 2))
    console.error(`wrote ${file}`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
