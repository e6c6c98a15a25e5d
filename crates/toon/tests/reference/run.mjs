// Batch runner for the differential test (crates/toon/tests/differential.rs).
//
// Usage: node run.mjs <reference-prefix> <cases.jsonl> <results.jsonl>
//
// <reference-prefix> is the `npm install --prefix` folder that holds
// node_modules/@toon-format/toon. Each input line is
//   {"input": <JSON document>, "options": [[indentSize, delimiter], ...]}
// and is parsed with JSON.parse (so a "__proto__" key stays an own key).
// Each output line is an array with one result per option pair:
//   {"encoded": "<toon>", "decoded": "<JSON text>"}        on success,
//   {"encoded": "<toon>", "decodeError": "<message>"}      if decoding fails,
//   {"encodeError": "<message>"}                            if encoding fails.

import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [prefix, casesPath, resultsPath] = process.argv.slice(2)
if (!prefix || !casesPath || !resultsPath) {
  console.error('usage: node run.mjs <reference-prefix> <cases.jsonl> <results.jsonl>')
  process.exit(2)
}

const require = createRequire(join(prefix, 'package.json'))
const packageDir = join(prefix, 'node_modules', '@toon-format', 'toon')
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
const { encode, decode } = await import(pathToFileURL(require.resolve('@toon-format/toon')).href)

const message = (error) => String(error && error.message !== undefined ? error.message : error)

const out = []
for (const line of readFileSync(casesPath, 'utf8').split('\n')) {
  if (line === '') continue
  const { input, options } = JSON.parse(line)
  const results = []
  for (const [indentSize, delimiter] of options) {
    let encoded
    try {
      encoded = encode(input, { indentSize, delimiter })
    } catch (error) {
      results.push({ encodeError: message(error) })
      continue
    }
    try {
      results.push({ encoded, decoded: JSON.stringify(decode(encoded, { indentSize })) })
    } catch (error) {
      results.push({ encoded, decodeError: message(error) })
    }
  }
  out.push(JSON.stringify(results))
}
writeFileSync(resultsPath, out.join('\n') + '\n')
console.log(`reference ${manifest.name}@${manifest.version}: ${out.length} documents`)
