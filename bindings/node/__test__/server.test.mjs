// The example HTTP server over a real socket on 127.0.0.1: TOON or JSON by `Accept`,
// TOON and JSON request bodies, and decode errors answered as 400 with a location.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { after, before, test } from 'node:test'

import { reference, toon } from './support.mjs'

const { createServer } = createRequire(import.meta.url)('../examples/server.js')

let server
let base

before(async () => {
  server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${server.address().port}`
})

after(() => new Promise((resolve) => server.close(resolve)))

test('GET answers TOON when Accept asks for text/toon', async () => {
  const response = await fetch(`${base}/users`, { headers: { accept: 'application/json;q=0.5, text/toon' } })
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type'), /^text\/toon/)
  const body = await response.text()
  assert.match(body, /^users\[3\]\{id,name,role\}:\n/)
  assert.deepEqual(reference.decode(body).users.map((u) => u.name), ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'])
})

test('GET answers JSON otherwise', async () => {
  const response = await fetch(`${base}/users`, { headers: { accept: 'application/json' } })
  assert.match(response.headers.get('content-type'), /^application\/json/)
  assert.equal((await response.json()).users.length, 3)
})

test('POST decodes a TOON body and echoes it in the accepted format', async () => {
  const value = { order: { id: 7, items: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }] } }
  const asJson = await fetch(`${base}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'text/toon', accept: 'application/json' },
    body: toon.encode(value),
  })
  assert.deepEqual(await asJson.json(), value)
  const asToon = await fetch(`${base}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/toon' },
    body: JSON.stringify(value),
  })
  assert.equal(await asToon.text(), reference.encode(value))
})

test('a malformed TOON body is a 400 with the error location', async () => {
  const response = await fetch(`${base}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'text/toon', accept: 'application/json' },
    body: 'a:\n  b: 1\n   c: 2',
  })
  assert.equal(response.status, 400)
  const body = await response.json()
  assert.equal(body.line, 3)
  assert.match(body.error, /^Line 3:/)
})

test('unknown paths are 404', async () => {
  const response = await fetch(`${base}/nope`, { headers: { accept: 'text/toon' } })
  assert.equal(response.status, 404)
  assert.equal(await response.text(), 'error: not found')
})
