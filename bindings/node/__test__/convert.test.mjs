// The converters through `convert`, `convertFile` and their async forms.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

import { reference, toon } from './support.mjs'

test('converters() lists the ten converters of the workspace', () => {
  const names = toon.converters().map((c) => `${c.name}:${c.from}->${c.to}`).sort()
  assert.deepEqual(names, [
    'arrow-to-toon:arrow->toon',
    'checkpoint-to-toon:checkpoint->toon',
    'csv-to-toon:csv->toon',
    'json-to-toon:json->toon',
    'markdown-to-toon:md->toon',
    'parquet-to-toon:parquet->toon',
    'pdf-to-toon:pdf->toon',
    'toon-to-json:toon->json',
    'toon-to-markdown:toon->md',
    'tsv-to-toon:tsv->toon',
  ])
})

test('a Parquet file becomes its typed table', () => {
  const data = new URL('../../../examples/data/', import.meta.url)
  const expected = readFileSync(new URL('sales.toon', data), 'utf8')
  const parquet = fileURLToPath(new URL('sales.parquet', data))
  assert.equal(toon.convertFile(parquet, 'toon'), expected)
  assert.equal(toon.convert(readFileSync(parquet), 'parquet', 'toon'), expected)
  assert.throws(() => toon.convert(Buffer.from('PAR1 no'), 'parquet', 'toon'), {
    code: 'TOON_CONVERT_ERROR',
    converter: 'parquet-to-toon',
  })
})

test('CSV and TSV become one typed table', () => {
  const csv = 'id,name,score\n1,Ada,9.5\n2,"Bo, Jr.",\n'
  assert.equal(toon.convert(csv, 'csv', 'toon'), '[2]{id,name,score}:\n  1,Ada,9.5\n  2,"Bo, Jr.",null\n')
  assert.deepEqual(JSON.parse(toon.convert(csv, 'csv', 'json')), [
    { id: 1, name: 'Ada', score: 9.5 },
    { id: 2, name: 'Bo, Jr.', score: null },
  ])
  assert.equal(toon.convert('a\tb\n"x\t02134\n', 'tsv', 'toon'), '[1]{a,b}:\n  "\\"x","02134"\n')
  assert.throws(() => toon.convert('a,b\n1,2,3\n', 'csv', 'toon'), (error) => {
    assert.equal(error.line, 2)
    assert.equal(error.column, 1)
    assert.equal(error.converter, 'csv-to-toon')
    assert.match(error.message, /this row has 3 cells, the header has 2/)
    return true
  })
})

test('JSON ⇄ TOON through the registry', async () => {
  const value = { users: [{ id: 1, name: 'Ada' }, { id: 2, name: 'Bo' }] }
  const text = toon.convert(JSON.stringify(value), 'json', 'toon')
  assert.equal(text.trimEnd(), reference.encode(value))
  assert.deepEqual(JSON.parse(toon.convert(text, 'toon', 'json')), value)
  assert.equal(await toon.convertAsync(Buffer.from(JSON.stringify(value)), 'json', 'toon'), text)
})

test('TOON → Markdown → TOON keeps a table', () => {
  const markdown = toon.convert('rows[2]{a,b}:\n  1,x\n  2,y', 'toon', 'markdown')
  assert.match(markdown, /\| a \| b \|/)
  const back = toon.convert(markdown, 'md', 'toon')
  assert.match(back, /1/)
})

test('Markdown → JSON goes through TOON, as in the CLI and Python', async () => {
  // No direct converter: the standard registry routes Markdown → TOON → JSON. The
  // expected text is the file the CLI and Python suites compare with too.
  const data = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'data')
  const markdown = readFileSync(join(data, 'notes.md'), 'utf8')
  const expected = readFileSync(join(data, 'notes.json'), 'utf8')
  assert.equal(toon.convert(markdown, 'md', 'json'), expected)
  assert.equal(await toon.convertFileAsync(join(data, 'notes.md'), 'json'), expected)
  const twoSteps = toon.convert(toon.convert(markdown, 'md', 'toon'), 'toon', 'json')
  assert.equal(twoSteps, expected)
})

test('convertFile picks the format from the extension', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'toon-node-'))
  try {
    const path = join(dir, 'data.json')
    writeFileSync(path, '{"a":[1,2,3]}')
    assert.equal(toon.convertFile(path, 'toon'), 'a[3]: 1,2,3\n')
    assert.equal(await toon.convertFileAsync(path, 'toon'), 'a[3]: 1,2,3\n')
    assert.throws(() => toon.convertFile(join(dir, 'data.unknown'), 'toon'), TypeError)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('conversion errors are thrown with their location', async () => {
  const error = (() => {
    try {
      toon.convert('{\n  "a": x\n}', 'json', 'toon')
    } catch (e) {
      return e
    }
  })()
  assert.equal(error.code, 'TOON_CONVERT_ERROR')
  assert.equal(error.line, 2)
  assert.equal(error.column, 8)
  assert.equal(error.converter, 'json-to-toon')
  // The caret comes from the core (toon::snippet), as the CLI and Python show it.
  assert.equal(error.snippet, '  "a": x\n       ^')
  // A routed conversion (md → toon → json) names the step that failed.
  assert.throws(() => toon.convert(Buffer.from([0xff]), 'md', 'json'), {
    code: 'TOON_CONVERT_ERROR',
    converter: 'markdown-to-toon',
    line: 1,
  })
  await assert.rejects(toon.convertAsync('a[3]: 1', 'toon', 'json'), { code: 'TOON_CONVERT_ERROR' })
  assert.throws(() => toon.convert('x', 'yaml', 'toon'), TypeError)
  assert.throws(() => toon.convert('%PDF-broken', 'pdf', 'toon'), { code: 'TOON_CONVERT_ERROR' })
})
