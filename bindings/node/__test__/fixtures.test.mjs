// The TOON v4.4 spec fixtures through the Node API: every encode case through `encode`
// and `encodeJson`, every decode case through `decode` and `decodeStreamSync`, skipping
// exactly the cases listed in known-superseded.json (as the Rust conformance runner does).
// Without the fixtures ($TOON_SPEC_DIR, or ../shared/toon-spec) the test fails, unless
// TOON_SKIP_SPEC=1 asks to skip it.
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import { announceSkippedSpec, missingSpecMessage, skipSpecRequested, specDir, toon } from './support.mjs'

const TARGET = [4, 4]
const APPLICABLE_CASES = 558

function newerThanTarget(version) {
  if (typeof version !== 'string') return false
  const [major, minor] = version.split('.').map(Number)
  return major > TARGET[0] || (major === TARGET[0] && minor > TARGET[1])
}

/** The value the event stream describes, rebuilt (checks the events, not just order). */
function fromEvents(events) {
  const stack = []
  let root
  let key
  const place = (value) => {
    const top = stack[stack.length - 1]
    if (top === undefined) root = value
    else if (Array.isArray(top.value)) top.value.push(value)
    else Object.defineProperty(top.value, top.key, { value, enumerable: true, writable: true, configurable: true })
  }
  for (const event of events) {
    switch (event.type) {
      case 'startObject': {
        const value = {}
        place(value)
        stack.push({ value })
        break
      }
      case 'startArray': {
        const value = []
        place(value)
        stack.push({ value })
        break
      }
      case 'endObject':
      case 'endArray':
        stack.pop()
        break
      case 'key':
        key = event.key
        stack[stack.length - 1].key = key
        break
      case 'primitive':
        place(event.value)
        break
      default:
        throw new Error(`unknown event ${event.type}`)
    }
  }
  return root
}

function runCase(kind, testCase) {
  const options = testCase.options ?? {}
  if (kind === 'encode') {
    if (testCase.shouldError) {
      assert.throws(() => toon.encode(testCase.input, options))
      return
    }
    assert.equal(toon.encode(testCase.input, options), testCase.expected)
    assert.equal(toon.encodeJson(JSON.stringify(testCase.input), options), testCase.expected)
    return
  }
  if (testCase.shouldError) {
    assert.throws(() => toon.decode(testCase.input, options), toon.ToonDecodeError)
    assert.throws(() => [...toon.decodeStreamSync(testCase.input.split('\n'), options)], toon.ToonDecodeError)
    return
  }
  assert.deepEqual(toon.decode(testCase.input, options), testCase.expected)
  const events = [...toon.decodeStreamSync(testCase.input.split('\n'), options)]
  assert.deepEqual(fromEvents(events), testCase.expected)
}

const dir = specDir()
const skipReason = dir === null && skipSpecRequested ? 'spec fixtures not found, skipped on request (TOON_SKIP_SPEC=1)' : false

test('spec v4.4 fixtures through the Node API', { skip: skipReason }, () => {
  if (dir === null) assert.fail(missingSpecMessage('fixtures.test.mjs'))
  const fixtures = join(dir, 'fixtures')
  const superseded = JSON.parse(readFileSync(join(fixtures, 'known-superseded.json'), 'utf8'))
  const skip = new Set(superseded.cases.map((c) => `${c.file}#${c.index}`))
  let passed = 0
  let skipped = 0
  const failures = []
  for (const kind of ['encode', 'decode']) {
    const files = readdirSync(join(fixtures, kind)).filter((f) => f.endsWith('.json')).sort()
    for (const file of files) {
      const name = `${kind}/${file}`
      const { tests } = JSON.parse(readFileSync(join(fixtures, kind, file), 'utf8'))
      tests.forEach((testCase, index) => {
        if (newerThanTarget(testCase.minSpecVersion) || skip.has(`${name}#${index}`)) {
          skipped += 1
          return
        }
        try {
          runCase(kind, testCase)
          passed += 1
        } catch (error) {
          failures.push(`${name} #${index} (${testCase.name}): ${error.message}`)
        }
      })
    }
  }
  console.log(`spec fixtures: ${passed} passed, ${failures.length} failed, ${skipped} skipped (superseded by 4.4)`)
  assert.deepEqual(failures, [])
  assert.equal(skipped, superseded.cases.length)
  assert.equal(passed, APPLICABLE_CASES)
})

if (skipReason) announceSkippedSpec('fixtures.test.mjs')
