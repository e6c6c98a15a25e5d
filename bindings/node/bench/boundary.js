// How values should cross between JS and Rust: as JSON text (JSON.stringify /
// JSON.parse in V8, serde in Rust) or walked / built through napi one property at a
// time. Prints both, per corpus, for encode and for decode.
//
//   node bench/boundary.js        (corpora from $TOON_CORPORA or target/corpora)
'use strict'

const native = require('../index.js')
const { loadCorpora } = require('./corpora.js')
const { compare, formatMs, measure } = require('./timing.js')

function main() {
  const rows = []
  for (const { name, json } of loadCorpora()) {
    const value = JSON.parse(json)
    const text = native.encodeJson(json)
    const stringify = measure(() => JSON.stringify(value))
    const [viaJson, viaNapi] = compare(
      () => native.encodeJson(JSON.stringify(value)),
      () => native.encodeValue(value),
    )
    const [parse, built] = compare(
      () => JSON.parse(native.decodeToJson(text)),
      () => native.decodeValue(text),
    )
    rows.push([name, stringify, viaJson, viaNapi, parse, built])
  }
  console.log('| corpus | JSON.stringify alone | encode via JSON text | encode via napi walk | decode via JSON text | decode via napi build |')
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const [name, stringify, viaJson, viaNapi, parse, built] of rows) {
    console.log(
      `| ${name} | ${formatMs(stringify)} | ${formatMs(viaJson)} | ${formatMs(viaNapi)} (${(viaNapi / viaJson).toFixed(2)}×) | ${formatMs(parse)} | ${formatMs(built)} (${(built / parse).toFixed(2)}×) |`,
    )
  }
}

main()
