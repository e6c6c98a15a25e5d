// The Node side of the parity suite: reads the cases (JSON) named on the command line,
// runs each through the Node package (bindings/node) and prints one JSON array of
// results in the same order. See parity.py for the shape of a case and of a result.
'use strict'

const fs = require('node:fs')
const path = require('node:path')

const toon = require(path.resolve(__dirname, '../../bindings/node/toon.js'))

/** The result of a failed call: where, what kind, and the message without position. */
function failure(error) {
  const message = error.message
    .replace(/^Line \d+: /, '')
    .replace(/ \(column \d+\)$/, '')
  return {
    error: {
      line: error.line ?? 0,
      column: error.column ?? 0,
      category: error.category ?? null,
      converter: error.converter ?? null,
      path: error.path ?? null,
      hint: error.hint ?? null,
      expected: error.expected ?? null,
      found: error.found ?? null,
      // The binding writes sentences (first letter upper case); the core's wording is
      // otherwise the same.
      message: message.charAt(0).toLowerCase() + message.slice(1),
    },
  }
}

function run(c) {
  switch (c.op) {
    case 'encode':
      return { text: toon.encode(JSON.parse(c.input), { delimiter: c.delimiter, indent: c.indent }) }
    case 'decode':
      return { json: JSON.stringify(toon.decode(c.input, { strict: c.strict, indent: c.indent })) }
    case 'convert':
      return { text: toon.convert(c.input, c.from, c.to) }
    case 'convert_file':
      return { text: toon.convertFile(c.path, c.to, c.from) }
    case 'tokens':
      return { count: toon.countTokens(c.input, c.encoding) }
    case 'auto': {
      // Exact counts, as the CLI's line; the default (early stop) must choose the same.
      const value = JSON.parse(c.input)
      const choice = toon.encodeAuto(value, { encoding: c.encoding, exact: true })
      const fast = toon.encodeAuto(value, { encoding: c.encoding })
      const same = fast.format === choice.format && fast.text === choice.text && fast.tokens === choice.tokens
      return { text: choice.text, summary: same ? choice.line : `default differs: ${fast.line}` }
    }
    case 'fit': {
      const fitted = toon.fitToBudget(JSON.parse(c.input), c.max_tokens, { encoding: c.encoding })
      return { text: fitted.text, cuts: fitted.cuts.map((cut) => cut.line) }
    }
    case 'schema':
      return { text: new toon.Template(JSON.parse(c.schema)).prompt }
    case 'repair': {
      const { value, repairs, truncated } = toon.repair(c.input)
      return {
        json: JSON.stringify(value),
        repairs: repairs.map((r) => [r.line, r.column, r.found, r.done]),
        truncated: truncated && [truncated.line, truncated.column, truncated.missing.join('; ')],
      }
    }
    default:
      throw new Error(`unknown op ${c.op}`)
  }
}

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const results = cases.map((c) => {
  try {
    return run(c)
  } catch (error) {
    return failure(error)
  }
})
process.stdout.write(JSON.stringify(results))
