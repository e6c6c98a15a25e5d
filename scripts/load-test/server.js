// The node:http server of scripts/load-test.py: one 1,000-row payload (the file named by
// $TOON_LOAD_DATA) served as JSON.stringify, toon.encode and toon.encodeAsync, on the
// port given as the first argument.
'use strict'

const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const toon = require(path.join(__dirname, '../../bindings/node/toon.js'))

const value = JSON.parse(fs.readFileSync(process.env.TOON_LOAD_DATA, 'utf8'))
const routes = {
  '/json': async () => ['application/json', JSON.stringify(value)],
  '/toon': async () => ['text/toon; charset=utf-8', toon.encode(value)],
  '/toon-async': async () => ['text/toon; charset=utf-8', await toon.encodeAsync(value)],
}

http
  .createServer(async (request, response) => {
    const route = routes[request.url]
    if (!route) {
      response.writeHead(404).end()
      return
    }
    const [type, body] = await route()
    response.writeHead(200, { 'content-type': type }).end(body)
  })
  .listen(Number(process.argv[2]), '127.0.0.1')
