// The longest event-loop stall while 20 concurrent calls each convert a 40-page PDF or
// count 5 MB of text with the async forms (`convertAsync`, `TokenCounter#countAsync`),
// next to the sync forms; then where the stall around one `encodeJsonAsync` of 6 MB of
// JSON comes from: the call itself (the argument copied off the JS string), the
// resolution (the result string built), or garbage collection.
//
//   node bench/stall.js [--rounds 3] [--encode-json] [--before OTHER.node]
//
// `--before` loads a second build of the addon (an earlier one) into the same process,
// so the `encodeJsonAsync` case is measured for both builds in alternating rounds.
//
// A monitor wakes every millisecond (`setTimeout(…, 1)` in a chain) and records how late
// it is; `perf_hooks.monitorEventLoopDelay` is reported beside it. A bench, not a test:
// nothing is asserted.
'use strict'

const { monitorEventLoopDelay, PerformanceObserver, performance } = require('node:perf_hooks')
const toon = require('../toon.js')
const native = require('../index.js')

const args = process.argv.slice(2)
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || 3
const REQUESTS = 20
const BEFORE = args.includes('--before') ? require(require('node:path').resolve(args[args.indexOf('--before') + 1])) : null

/** A text PDF of `pages` pages with `lines` numbered lines each, written by hand (the
 *  same document as `pdf_to_toon::fixtures::numbered_pdf` and bench/stall.py build);
 *  `tag` makes each one distinct, so the converter's output cache never answers. */
function pdfBytes(tag, pages = 40, lines = 40) {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>']
  const kids = Array.from({ length: pages }, (_, i) => `${4 + 2 * i} 0 R`).join(' ')
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`)
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>')
  for (let p = 1; p <= pages; p++) {
    const ops = ['BT', '/F1 10 Tf', '14 TL', '40 780 Td']
    for (let n = 1; n <= lines; n++) {
      ops.push(`(Page ${p}, line ${n}: the quick brown fox jumps over the lazy dog ${tag}) Tj T*`)
    }
    ops.push('ET')
    const stream = ops.join('\n')
    objects.push(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> ' +
        `/Contents ${objects.length + 2} 0 R >>`,
    )
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`)
  }
  let out = '%PDF-1.4\n'
  const offsets = []
  objects.forEach((body, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

function text(mb = 5) {
  const line = 'The quick brown fox jumps over the lazy dog; Ünïcode ✓ 東京 12345 {"id": 7}\n'
  return line.repeat(Math.floor((mb * 1e6) / Buffer.byteLength(line)))
}

/** Runs `work` (returning a promise) under the lag monitor; the longest lag and the
 *  timestamps of every wake-up, to find what a long gap contained. */
async function monitored(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  const wakes = []
  let longest = 0
  let running = true
  let last = performance.now()
  wakes.push(last)
  const tick = () => {
    const now = performance.now()
    longest = Math.max(longest, now - last - 1)
    wakes.push(now)
    last = now
    if (running) setTimeout(tick, 1)
  }
  setTimeout(tick, 1)
  const start = performance.now()
  const result = await work()
  const wall = performance.now() - start
  running = false
  await new Promise((resolve) => setTimeout(resolve, 5))
  histogram.disable()
  return { longest, wall, wakes, result, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function concurrent() {
  const pdfs = Array.from({ length: REQUESTS * (ROUNDS + 1) * 2 }, (_, i) => pdfBytes(i))
  const body = text()
  const counter = new native.TokenCounter({ cache: false })
  console.log(
    `PDF: 40 pages, ${pdfs[0].length >> 10} KiB; text: ${(Buffer.byteLength(body) / 1e6).toFixed(1)} MB; ` +
      `${REQUESTS} concurrent calls, median of ${ROUNDS} rounds`,
  )
  let next = 0
  // The calls start one per turn of the loop, as 20 requests arriving at once would.
  const turns = async (call) => {
    const calls = []
    for (let i = 0; i < REQUESTS; i++) {
      calls.push(call())
      await new Promise(setImmediate)
    }
    return Promise.all(calls)
  }
  const workloads = {
    'pdf   sync ': () => turns(() => toon.convert(pdfs[next++], 'pdf', 'toon')),
    'pdf   async': () => turns(() => toon.convertAsync(pdfs[next++], 'pdf', 'toon')),
    'count sync ': () => turns(() => counter.count(body)),
    'count async': () => turns(() => counter.countAsync(body)),
  }
  await workloads['pdf   async']() // warm up
  for (const [name, work] of Object.entries(workloads)) {
    const runs = []
    for (let r = 0; r < ROUNDS; r++) runs.push(await monitored(work))
    console.log(
      `${name}  longest stall ${median(runs.map((r) => r.longest)).toFixed(1).padStart(7)} ms ` +
        `(rounds: ${runs.map((r) => r.longest.toFixed(1)).join(', ')})  ` +
        `eld p99 ${median(runs.map((r) => r.p99)).toFixed(1)} ms  ${REQUESTS} calls in ${(median(runs.map((r) => r.wall)) / 1e3).toFixed(2)} s`,
    )
  }
}

/** 6 MB of JSON as `JSON.stringify` writes it. */
function json6mb() {
  const rows = []
  for (let i = 0; rows.length < 66_000; i++) {
    rows.push({ id: i, name: `user ${i}`, email: `user${i}@example.com`, active: i % 3 === 0, score: i * 1.25 })
  }
  return JSON.stringify({ rows, meta: { title: 'stall', count: rows.length } })
}

/** One `encodeJsonAsync` of 6 MB under the monitor: the longest lag; the gap between
 *  wake-ups that spans the call itself (the argument copied in), the one that spans the
 *  settling (the result string built, then the `await` resuming), and the GC pauses. */
async function encodeJsonCase(name, call, json) {
  const gcs = []
  const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()))
  observer.observe({ entryTypes: ['gc'] })
  let callStart = 0
  let callEnd = 0
  let settledAt = 0
  const run = await monitored(async () => {
    callStart = performance.now()
    const promise = call(json)
    callEnd = performance.now()
    const out = await promise
    settledAt = performance.now()
    return out
  })
  gcs.push(...observer.takeRecords())
  observer.disconnect()
  /** The gap between the wake-ups on either side of `t`, in ms less the 1 ms asked for. */
  const gapAround = (t) => {
    const after = run.wakes.findIndex((w) => w >= t)
    if (after <= 0) return 0
    return run.wakes[after] - run.wakes[after - 1] - 1
  }
  return {
    name,
    longest: run.longest,
    callMs: callEnd - callStart,
    callGap: gapAround(callEnd),
    settleGap: gapAround(settledAt),
    gcMs: gcs.reduce((sum, e) => sum + e.duration, 0),
    gcLongest: gcs.reduce((m, e) => Math.max(m, e.duration), 0),
    out: run.result,
  }
}

async function encodeJson() {
  const json = json6mb()
  const reference = native.encodeJson(json)
  console.log(`\nencodeJsonAsync of ${(json.length / 1e6).toFixed(1)} MB of JSON (${(reference.length / 1e6).toFixed(1)} MB of TOON), median of ${ROUNDS + 2} alternating rounds:`)
  const cases = { 'this build': (j) => native.encodeJsonAsync(j) }
  if (BEFORE) cases['--before  '] = (j) => BEFORE.encodeJsonAsync(j)
  const rows = {}
  for (let r = 0; r < ROUNDS + 2; r++) {
    for (const [name, call] of Object.entries(cases)) {
      const row = await encodeJsonCase(name, call, json)
      if (row.out !== reference) throw new Error(`${name}: a different result`)
      ;(rows[name] ||= []).push(row)
    }
  }
  const medians = {}
  for (const [name, runs] of Object.entries(rows)) {
    const m = (f) => median(runs.map(f))
    medians[name] = { longest: m((r) => r.longest), call: m((r) => r.callMs), settle: m((r) => r.settleGap) }
    console.log(
      `  ${name}: longest stall ${m((r) => r.longest).toFixed(1)} ms (rounds: ${runs.map((r) => r.longest.toFixed(1)).join(', ')}); ` +
        `the call itself ${m((r) => r.callMs).toFixed(1)} ms (its gap ${m((r) => r.callGap).toFixed(1)} ms); ` +
        `the gap around the settling ${m((r) => r.settleGap).toFixed(1)} ms; ` +
        `GC ${m((r) => r.gcMs).toFixed(1)} ms in all, longest pause ${m((r) => r.gcLongest).toFixed(1)} ms`,
    )
  }
  if (BEFORE) {
    const now = medians['this build']
    const before = medians['--before  ']
    console.log(
      `  this build / before: longest stall ${(now.longest / before.longest).toFixed(2)}×, ` +
        `the call itself ${(now.call / before.call).toFixed(2)}×, the settling's gap ${(now.settle / before.settle).toFixed(2)}×`,
    )
  }
  // The result string alone: V8 building a JS string of the TOON's size from UTF-8 (what
  // napi's String return does) and from Latin-1 (what an ASCII result now takes).
  const best = (fn, n = 7) => {
    let b = Infinity
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      fn()
      b = Math.min(b, performance.now() - t)
    }
    return b
  }
  const toonBytes = Buffer.from(reference)
  console.log(
    `  a ${(toonBytes.length / 1e6).toFixed(1)} MB string from UTF-8 bytes ${best(() => toonBytes.toString('utf8')).toFixed(1)} ms, ` +
      `from Latin-1 ${best(() => toonBytes.toString('latin1')).toFixed(1)} ms`,
  )
}

async function main() {
  const only = args.includes('--encode-json') ? ['encodeJson'] : ['concurrent', 'encodeJson']
  if (only.includes('concurrent')) await concurrent()
  if (only.includes('encodeJson')) await encodeJson()
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
