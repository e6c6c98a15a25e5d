// The Redis tier of `TokenCounter` against a real redis-server started on a free port:
// counts shared between counters under the keys Rust uses, the Redis statistics, and
// correct counts with Redis down. Without redis-server this fails, unless
// TOON_SKIP_REDIS=1. (Sharing with the CLI and Python: scripts/test_shared_redis.py.)
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import net from 'node:net'
import { after, before, test } from 'node:test'

import { toon } from './support.mjs'

const LONG = Array.from({ length: 40 }, (_, i) => `line ${i}: the quick brown fox jumps over ${i * 7} lazy dogs.\n`).join('')
const available = spawnSync('redis-server', ['--version']).status === 0
const skip = !available && process.env.TOON_SKIP_REDIS === '1'
  ? 'redis-server is not installed; skipped because TOON_SKIP_REDIS=1'
  : false

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** One RESP command over a plain socket, for checking what the tier wrote. */
function command(port, ...args) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let data = ''
    socket.on('error', reject)
    socket.on('data', (chunk) => {
      data += chunk
      const reply = parse(data)
      if (reply !== undefined) {
        socket.end()
        resolve(reply.value)
      }
    })
    socket.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''))
  })
}

/** A whole RESP reply at the start of `text`, or undefined while it is incomplete. */
function parse(text, at = 0) {
  const end = text.indexOf('\r\n', at)
  if (end < 0) return undefined
  const kind = text[at]
  const rest = text.slice(at + 1, end)
  if (kind === '+' || kind === '-') return { value: rest, next: end + 2 }
  if (kind === ':') return { value: Number(rest), next: end + 2 }
  if (kind === '$') {
    const size = Number(rest)
    if (size < 0) return { value: null, next: end + 2 }
    if (text.length < end + 2 + size + 2) return undefined
    return { value: text.slice(end + 2, end + 2 + size), next: end + 2 + size + 2 }
  }
  if (kind === '*') {
    const items = []
    let next = end + 2
    for (let i = 0; i < Number(rest); i++) {
      const item = parse(text, next)
      if (item === undefined) return undefined
      items.push(item.value)
      next = item.next
    }
    return { value: items, next }
  }
  throw new Error(`unexpected reply ${JSON.stringify(text)}`)
}

let server
let port

before(async () => {
  if (skip) return
  assert.ok(
    available,
    'redis-server is not installed: install it (apt-get install -y redis-server; scripts/test-all.sh does) or set TOON_SKIP_REDIS=1',
  )
  port = await freePort()
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  })
  for (let i = 0; ; i++) {
    try {
      if ((await command(port, 'PING')) === 'PONG') break
    } catch {}
    assert.ok(i < 500, 'redis-server did not answer within 10 s')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
})

after(() => server?.kill())

test('counts are shared between counters under the Rust keys', { skip }, async () => {
  const url = `redis://127.0.0.1:${port}/0`
  const exact = new toon.TokenCounter({ cache: false }).count(LONG)
  const first = new toon.TokenCounter({ redis: url })
  assert.equal(first.count(LONG), exact)
  let stats = first.redisStats()
  assert.deepEqual([stats.hits, stats.misses, stats.writes, stats.errors, stats.connected], [0, 1, 1, 0, true])

  const keys = await command(port, 'KEYS', 'toon:tok:*')
  assert.equal(keys.length, 1)
  assert.match(keys[0], /^toon:tok:v1:o200k_base:[0-9a-f]{32}$/)
  assert.equal(await command(port, 'GET', keys[0]), String(exact))

  const second = new toon.TokenCounter({ redis: url })
  assert.equal(second.count(LONG), exact)
  stats = second.redisStats()
  assert.deepEqual([stats.hits, stats.misses, stats.writes, stats.hitRate], [1, 0, 0, 1])

  // countBatch and countAsync go through the tier too.
  const texts = [1, 2, 3].map((i) => `${LONG}#${i}`)
  const counts = texts.map((t) => toon.countTokens(t))
  assert.deepEqual(first.countBatch(texts), counts)
  assert.equal(first.redisStats().writes, 1 + 3)
  assert.deepEqual(await Promise.all(texts.map((t) => second.countAsync(t))), counts)
  assert.equal(second.redisStats().hits, 1 + 3)
})

test('with Redis down counts stay correct', async () => {
  const down = await freePort() // nothing listens there
  const counter = new toon.TokenCounter({ redis: `redis://127.0.0.1:${down}/0` })
  const texts = [1, 2, 3, 4].map((i) => `${LONG}${i}`)
  assert.deepEqual(texts.map((t) => counter.count(t)), texts.map((t) => toon.countTokens(t)))
  const stats = counter.redisStats()
  assert.equal(stats.connected, false)
  assert.deepEqual([stats.hits, stats.misses, stats.writes, stats.connects], [0, 0, 0, 0])
  assert.ok(stats.errors >= 1)
  assert.equal(stats.errors + stats.skipped, 2 * texts.length)
})

test('a counter without Redis has no Redis statistics; a bad URL is an invalid argument', () => {
  assert.equal(new toon.TokenCounter().redisStats(), null)
  assert.throws(() => new toon.TokenCounter({ redis: 'http://example.com' }), {
    code: 'InvalidArg',
    message: /invalid Redis URL/,
  })
})
