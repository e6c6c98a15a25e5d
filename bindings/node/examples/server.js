// A minimal HTTP service that speaks TOON or JSON by content negotiation (node:http).
//
//   GET  /users          → the user list, as TOON when `Accept: text/toon`, else JSON
//   POST /echo           → decodes a TOON (`Content-Type: text/toon`) or JSON body and
//                          answers in the format `Accept` asks for
//
// Encoding and decoding run on the libuv thread pool (encodeAsync / decodeAsync), so the
// request path keeps its synchronous work small. Run: node examples/server.js [port]
'use strict'

const http = require('node:http')
const toon = require('../toon.js')

const TOON_TYPE = 'text/toon'
const MAX_BODY_BYTES = 8 * 1024 * 1024

const users = [
  { id: 1, name: 'Ada Lovelace', role: 'admin' },
  { id: 2, name: 'Alan Turing', role: 'user' },
  { id: 3, name: 'Grace Hopper', role: 'user' },
]

/** Whether the client asked for TOON (an `Accept` naming text/toon). */
function wantsToon(request) {
  const accept = request.headers.accept ?? ''
  return accept.split(',').some((part) => part.trim().split(';')[0].toLowerCase() === TOON_TYPE)
}

/** Writes `value` as TOON or JSON, whichever the request accepts. */
async function reply(request, response, status, value) {
  const asToon = wantsToon(request)
  const body = asToon ? await toon.encodeAsync(value) : JSON.stringify(value)
  response.writeHead(status, {
    'content-type': asToon ? `${TOON_TYPE}; charset=utf-8` : 'application/json; charset=utf-8',
    vary: 'accept',
  })
  response.end(body)
}

/** The request body as text, refusing bodies over MAX_BODY_BYTES. */
function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    request.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }))
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

/** Decodes a request body by its Content-Type (TOON or JSON). */
async function parseBody(request) {
  const text = await readBody(request)
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  return type === TOON_TYPE ? toon.decodeAsync(text) : JSON.parse(text)
}

async function handle(request, response) {
  const { pathname } = new URL(request.url, 'http://localhost')
  if (request.method === 'GET' && pathname === '/users') {
    return reply(request, response, 200, { users })
  }
  if (request.method === 'POST' && pathname === '/echo') {
    return reply(request, response, 200, await parseBody(request))
  }
  return reply(request, response, 404, { error: 'not found' })
}

/** The server (not yet listening). */
function createServer() {
  return http.createServer((request, response) => {
    handle(request, response).catch((error) => {
      const status = error.status ?? (error instanceof SyntaxError ? 400 : 500)
      const detail = error instanceof toon.ToonDecodeError ? { line: error.line, column: error.column } : {}
      reply(request, response, status, { error: error.message, ...detail }).catch(() => response.destroy())
    })
  })
}

module.exports = { createServer }

if (require.main === module) {
  const port = Number(process.argv[2] ?? 8080)
  createServer().listen(port, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${port}`)
  })
}
