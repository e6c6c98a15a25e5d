// The four benchmark corpora as JSON text, written by the workspace's `corpora` binary
// (the same data the Rust and Python benches use).
'use strict'

const { execFileSync } = require('node:child_process')
const { existsSync, mkdirSync, readFileSync } = require('node:fs')
const { join, resolve } = require('node:path')

const NAMES = ['tabular', 'github', 'twitter', 'checkpoint']

/** `{ name, json }` of each corpus, generating them into `dir` first when missing. */
function loadCorpora(dir = process.env.TOON_CORPORA ?? resolve(__dirname, '../../../target/corpora')) {
  if (!NAMES.every((name) => existsSync(join(dir, `${name}.json`)))) {
    mkdirSync(dir, { recursive: true })
    console.error(`generating corpora into ${dir} (cargo run -p toon-benches --bin corpora)`)
    execFileSync('cargo', ['run', '-q', '--release', '-p', 'toon-benches', '--bin', 'corpora', '--', dir], {
      cwd: resolve(__dirname, '../../..'),
      stdio: ['ignore', 'ignore', 'inherit'],
    })
  }
  return NAMES.map((name) => ({ name, json: readFileSync(join(dir, `${name}.json`), 'utf8') }))
}

module.exports = { loadCorpora }
