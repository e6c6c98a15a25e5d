// The public API of toon-node: the names and options of @toon-format/toon 4.4
// (encode, decode, encodeLines, decodeFromLines, decodeStreamSync, decodeStream,
// ToonDecodeError, DELIMITERS, DEFAULT_DELIMITER, escapeString, rawString), plus
// encodeJson / decodeToJson, token counting, converters and async forms running on the
// libuv thread pool.
//
// Values cross into Rust as JSON text: V8's JSON.stringify / JSON.parse are several
// times cheaper than visiting or building a value through napi one property at a time
// (bench/boundary.js measures both). Values that JSON would write differently from the
// reference's normalization (Map, Set, BigInt, undefined, class instances, ...) go the
// exact way instead (see isPlain). The generated loader `index.js` holds the native
// functions; this file only adapts them.
'use strict'

const { randomBytes } = require('node:crypto')
const native = require('./index.js')

/** The delimiters TOON arrays may use, by name. */
const DELIMITERS = Object.freeze({ comma: ',', tab: '\t', pipe: '|' })
/** The default delimiter (`,`). */
const DEFAULT_DELIMITER = DELIMITERS.comma

/** Events handed out per native call when streaming (one JSON.parse each). */
const EVENT_BATCH = 4096
/** Longest synchronous stretch of `encodeAsync` before it yields to the event loop. */
const SLICE_MS = 2
/** JSON text gathered in JS before it is handed to the native buffer. */
const PUSH_BYTES = 256 * 1024
/** Bytes of the encoded text turned into a string per turn of the event loop. */
const STRING_SLICE_BYTES = 1024 * 1024
/** Containers with at most this many nodes are serialized by one JSON.stringify. */
const SMALL_NODES = 256

/**
 * A TOON document that cannot be decoded. Like the reference's error it is a
 * SyntaxError whose message starts with `Line N:` and which has `line` and `source`;
 * it also has `column` (1-based, in characters), `category` (`syntax`, `indentation`,
 * `count`, `width`, `duplicate_key`, `structure`, `limit`, `data`) and `snippet`.
 */
class ToonDecodeError extends SyntaxError {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'ToonDecodeError'
    this.line = details.line
    this.column = details.column
    this.category = details.category
    this.source = details.source
    this.snippet = details.snippet
    // Where the value being read sits (`users[2]`), and a sentence for the model that
    // wrote the text: what a retry loop sends back.
    this.path = details.path
    this.hint = details.hint
    // What the reader expected where it stopped, and what it found there.
    this.expected = details.expected
    this.found = details.found
  }
}

/**
 * Even the skeleton of a value (every array cut to no rows) does not fit the token
 * budget of `fitToBudget`: `skeletonTokens` and `maxTokens` say by how much; `code` is
 * `TOON_BUDGET_ERROR`, `category` `budget`.
 */
class ToonBudgetError extends Error {
  constructor(message, details = {}) {
    super(message)
    this.name = 'ToonBudgetError'
    this.category = 'budget'
    this.skeletonTokens = details.skeletonTokens
    this.maxTokens = details.maxTokens
  }
}

/** The 1-based line `n` of `text`, or undefined. */
function lineOf(text, n) {
  if (typeof text !== 'string' || !(n > 0)) return undefined
  let start = 0
  for (let i = 1; i < n; i++) {
    start = text.indexOf('\n', start)
    if (start < 0) return undefined
    start += 1
  }
  const end = text.indexOf('\n', start)
  const line = text.slice(start, end < 0 ? text.length : end)
  return line.endsWith('\r') ? line.slice(0, -1) : line
}

/**
 * The error to throw for a native error; `text` is the input, for the source line.
 * Native errors arrive as data (src/error.rs): `code`, `line` and `column` (0 when
 * unknown), `category`, `snippet` (the core's caret) and `converter` properties.
 */
function translate(error, text) {
  if (!(error instanceof Error)) return error
  if (error.code === 'InvalidArg') {
    const typed = new TypeError(error.message)
    typed.code = 'ERR_INVALID_ARG_VALUE'
    return typed
  }
  const { code, category, snippet, converter, message } = error
  if (typeof code !== 'string' || !code.startsWith('TOON_')) return error
  const line = error.line > 0 ? error.line : undefined
  const column = error.column > 0 ? error.column : undefined
  let translated
  if (code === 'TOON_DECODE_ERROR') {
    const prefix = line === undefined ? '' : `Line ${line}: `
    const suffix = column === undefined ? '' : ` (column ${column})`
    // JS error messages are sentences: the core's wording is the reference's, in
    // lower case, so the first letter is the only difference.
    const sentence = message.charAt(0).toUpperCase() + message.slice(1)
    translated = new ToonDecodeError(`${prefix}${sentence}${suffix}`, {
      line,
      column,
      category,
      source: lineOf(text, line),
      snippet: snippet ?? undefined,
      path: error.path ?? undefined,
      hint: error.hint ?? undefined,
      expected: error.expected ?? undefined,
      found: error.found ?? undefined,
    })
  } else if (code === 'TOON_JSON_ERROR') {
    translated = new SyntaxError(`Invalid JSON at line ${line}, column ${column}: ${message}`)
    Object.assign(translated, { line, column, snippet: snippet ?? undefined })
  } else if (code === 'TOON_BUDGET_ERROR') {
    translated = new ToonBudgetError(message, error)
  } else if (code === 'TOON_ENCODE_ERROR') {
    translated = category === 'limit' ? new RangeError(message) : new Error(message)
  } else {
    translated = new Error(message)
    if (line !== undefined) Object.assign(translated, { line, column })
    if (snippet != null) translated.snippet = snippet
    if (converter != null) translated.converter = converter
    // The TOON category when the input was bad TOON, as in the CLI and Python.
    if (category !== 'convert') translated.category = category
    if (error.path != null) translated.path = error.path
    if (error.hint != null) translated.hint = error.hint
    if (error.expected != null) translated.expected = error.expected
    if (error.found != null) translated.found = error.found
  }
  translated.code = code
  return translated
}

/** Runs a native call, translating its errors. */
function call(fn, text) {
  try {
    return fn()
  } catch (error) {
    throw translate(error, text)
  }
}

/** A native promise whose rejection is translated. */
function settle(promise, text) {
  return promise.catch((error) => {
    throw translate(error, text)
  })
}

/** A line whose first non-space character (after a leading byte-order mark) is `#`. */
const COMMENT_LINE = /(?:^\uFEFF?|\n) *#/

/** How many RawStrings exist so far: while none does, no value can hold one. */
let rawStringCount = 0

/**
 * Text the encoder emits verbatim at a primitive position (the reference's `RawString`),
 * bypassing quoting, escaping and number/keyword detection. A decoder would skip a line
 * starting with `#` as a comment, so such text is refused with a TypeError.
 */
class RawString {
  constructor(value) {
    if (COMMENT_LINE.test(value)) {
      throw new TypeError(`Raw string must not contain a line starting with "#": ${JSON.stringify(value)}`)
    }
    this.value = value
    rawStringCount += 1
  }
}

/** Wraps pre-formatted text for verbatim emission (the reference's `rawString`). */
function rawString(value) {
  return new RawString(value)
}

/**
 * Stand-ins for RawStrings during one encode. The native encoder knows no raw text, so
 * each RawString crosses as a placeholder string that is always written unquoted
 * (private-use characters around a random nonce and an index) and is swapped for its
 * text afterwards. A string of the input that held the nonce would make the count of
 * placeholders found differ from the count placed; `restore` then returns undefined and
 * the caller encodes again with a new nonce.
 */
class RawPlaceholders {
  constructor() {
    this.texts = []
    this.nonce = randomBytes(12).toString('hex')
    this.pattern = new RegExp(`\uE000${this.nonce}\uE002(\\d+)\uE001`, 'g')
  }

  /** The placeholder of `raw`. */
  placeholder(raw) {
    this.texts.push(raw.value)
    return `\uE000${this.nonce}\uE002${this.texts.length - 1}\uE001`
  }

  /** `text` with each placeholder replaced by its raw text, or undefined on a clash. */
  restore(text) {
    if (this.texts.length === 0) return text
    let found = 0
    const restored = text.replace(this.pattern, (_, index) => {
      found += 1
      return this.texts[Number(index)] ?? ''
    })
    return found === this.texts.length ? restored : undefined
  }
}

/** Only the native option fields, so a replacer or other keys never reach napi. */
function encodeOptions(options) {
  if (options == null) return undefined
  const { indentSize, indent, delimiter } = options
  return { indentSize, indent, delimiter }
}

function decodeOptions(options) {
  if (options == null) return undefined
  const { indentSize, indent, strict } = options
  return { indentSize, indent, strict }
}

/** Thrown by `jsonPieces` to leave the fast path for the exact one. */
const NOT_PLAIN = new Error('not plain JSON data')

/** Nesting the plain-data check follows; deeper values take the exact path. */
const PLAIN_DEPTH = 128

/** The `toJSON` of every Date: JSON.stringify turns a Date into its ISO string with it. */
const dateToJson = Date.prototype.toJSON

/**
 * Whether JSON.stringify writes `value` exactly as the reference normalizes it: strings,
 * finite or non-finite numbers, booleans, null, Dates (their own `toJSON`), and arrays
 * and plain objects (prototype Object.prototype or null, no `toJSON`) of such values, no
 * deeper than PLAIN_DEPTH. Getters of plain objects are read here and again by
 * JSON.stringify. Anything else (Map, Set, BigInt, undefined, a function, a
 * symbol, a class instance, a typed array, a boxed primitive, an array hole, a custom
 * `toJSON`) needs the exact path. A walk in plain JS: V8 keeps JSON.stringify on its fast
 * path only without a replacer, and a replacer costs more than this walk.
 */
function isPlain(value, depth) {
  if (typeof value !== 'object') {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  }
  if (value === null) return true
  if (depth >= PLAIN_DEPTH) return false
  // An Array subclass too: JSON.stringify and the reference both write it as an array.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!isPlain(value[i], depth + 1)) return false
    }
    return true
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype) {
    if (proto === Date.prototype) return value.toJSON === dateToJson
    if (proto !== null) return false
  }
  if ('toJSON' in value) return false
  for (const key in value) {
    if (!isPlain(value[key], depth + 1)) return false
  }
  return true
}

/** JSON text of plain data (see `isPlain`); `undefined` when only the exact path fits. */
function toJsonText(value) {
  return isPlain(value, 0) ? JSON.stringify(value) : undefined
}

/**
 * Encodes a value as TOON text (the reference's `encode`). Plain data crosses as
 * `JSON.stringify` text; anything JSON would write differently from the reference (Map,
 * Set, BigInt, class instances, undefined properties, ...) is read property by property
 * and normalized as the reference does (`encodeValue`).
 */
function encode(value, options) {
  if (options != null && options.replacer !== undefined) {
    return encodeValue(value, options)
  }
  const json = toJsonText(value)
  if (json === undefined) return encodeValue(value, options)
  try {
    return native.encodeStringified(json, encodeOptions(options))
  } catch (error) {
    const translated = translate(error)
    // JSON.stringify wrote it, so the JSON parser refused only what it cannot hold
    // (nesting beyond its 128 levels, lone surrogates): the exact path decides.
    if (translated.code === 'TOON_JSON_ERROR') return encodeValue(value, options)
    throw translated
  }
}

/**
 * Encodes a value exactly as the reference normalizes host values (`toJSON`, Date,
 * Map, Set, BigInt, `undefined` → null, class instances → null), reading it property
 * by property through napi; applies `options.replacer` like the reference does.
 */
function encodeValue(value, options) {
  const replacer = options == null ? undefined : options.replacer
  if (replacer !== undefined && typeof replacer !== 'function') {
    throw new TypeError('replacer must be a function')
  }
  const nativeOptions = encodeOptions(options)
  if (replacer === undefined && rawStringCount === 0) {
    return call(() => native.encodeValue(value, nativeOptions))
  }
  for (;;) {
    const raws = new RawPlaceholders()
    const replaced = applyReplacer(value, replacer ?? keepValue, raws)
    const text = raws.restore(call(() => native.encodeValue(replaced, nativeOptions)))
    if (text !== undefined) return text
  }
}

/** The replacer that changes nothing: normalizes the value and places RawStrings. */
function keepValue(_key, value) {
  return value
}

/** The value normalized as the reference does, before its replacer sees it. */
function normalize(value) {
  if (value === null) return null
  if (value instanceof RawString) return value // a primitive, written verbatim
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null
    case 'bigint':
      return value >= -Number.MAX_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER
        ? Number(value)
        : value.toString()
    case 'object':
      break
    default:
      return null // undefined, function, symbol
  }
  if (typeof value.toJSON === 'function') return normalize(value.toJSON())
  if (Array.isArray(value)) return value
  if (value instanceof Map) {
    const object = {}
    for (const [k, v] of value) object[String(k)] = v
    return object
  }
  if (value instanceof Set) return Array.from(value)
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null ? value : null
}

/**
 * Applies a reference-style replacer `(key, value, path)` depth-first, the root first
 * (key `""`, path `[]`); `undefined` omits a property or element (not the root). A
 * RawString becomes a placeholder of `raws`; one returned for an object or array is
 * ignored and the container kept, as in the reference.
 */
function applyReplacer(root, replacer, raws) {
  const visit = (value, path) => {
    if (value instanceof RawString) return raws.placeholder(value)
    if (Array.isArray(value)) {
      const out = []
      value.forEach((element, i) => {
        const child = replaced(String(i), normalize(element), [...path, i])
        if (child !== undefined) out.push(visit(child, [...path, i]))
      })
      return out
    }
    if (value !== null && typeof value === 'object') {
      const out = Object.create(null)
      for (const key of Object.keys(value)) {
        const child = replaced(key, normalize(value[key]), [...path, key])
        if (child !== undefined) {
          Object.defineProperty(out, key, {
            value: visit(child, [...path, key]),
            enumerable: true,
            writable: true,
            configurable: true,
          })
        }
      }
      return out
    }
    return value
  }
  const resolve = (value, result) =>
    result instanceof RawString && value !== null && typeof value === 'object' && !(value instanceof RawString)
      ? value
      : normalize(result)
  const replaced = (key, value, path) => {
    const result = replacer(key, value, path)
    return result === undefined ? undefined : resolve(value, result)
  }
  const start = normalize(root)
  const rootResult = replacer('', start, [])
  return visit(rootResult === undefined ? start : resolve(start, rootResult), [])
}

/**
 * The body of a quoted TOON string for `value` (the reference's `escapeString`):
 * backslash, quote, LF, CR and TAB as `\\ \" \n \r \t`, other C0 controls as `\u00xx`.
 */
function escapeString(value) {
  return String(value).replace(/[\\"\u0000-\u001f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\'
      case '"':
        return '\\"'
      case '\n':
        return '\\n'
      case '\r':
        return '\\r'
      case '\t':
        return '\\t'
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
    }
  })
}

/** The lines of `encode(value, options)`, without newline characters. */
function encodeLines(value, options) {
  const text = encode(value, options)
  return text === '' ? [] : text.split('\n')
}

/** Encodes JSON text as TOON without building a JS value (SyntaxError if invalid). */
function encodeJson(json, options) {
  return call(() => native.encodeJson(json, encodeOptions(options)))
}

/** Decodes TOON text into a JS value (the reference's `decode`). */
function decode(text, options) {
  return JSON.parse(decodeToJson(text, options))
}

/** Decodes TOON text into JSON text, without building a JS value. */
function decodeToJson(text, options) {
  return call(() => native.decodeToJson(text, decodeOptions(options)), text)
}

/**
 * Reads the TOON of a model's reply (see docs/llm.md): from a ```toon fence, an
 * unlabeled fence that decodes, or the reply without its prose; fixes what needs no
 * guess and reports each fix. Returns `{ value, repairs, truncated, foundIn }`: each
 * repair `{ line, column, found, done }` (positions in the reply), `truncated` null or
 * `{ line, column, missing }` when the reply was cut off (`value` is then the part that
 * arrived). Throws `ToonDecodeError` for what cannot be read without a guess.
 */
function repair(reply, options) {
  const nativeOptions =
    options == null ? undefined : { indentSize: options.indentSize, indent: options.indent, fence: options.fence }
  const outcome = call(() => native.repair(reply, nativeOptions), reply)
  return {
    value: JSON.parse(outcome.json),
    repairs: outcome.repairs,
    truncated: outcome.truncated ?? null,
    foundIn: outcome.foundIn,
  }
}

/**
 * The parts of a TOON text that arrives in chunks (see docs/llm.md), as each is
 * finished: `for await (const part of streamRows(source))` over an async or sync
 * iterable of strings or bytes (a `ReadableStream` too). Each part is `{ path, parent,
 * index, key, value }`: a table row, list item or primitive field reached through
 * objects. After the last part, `value`, `repairs` and `truncated` hold the end; text
 * that ended early throws `ToonDecodeError` (category `truncated`) whose `partial` is
 * the value that arrived and `truncated` what is missing.
 */
class RowStream {
  constructor(source, options) {
    this.source = source
    this.decoder = call(() => new native.ChunkDecoder(chunkOptions(options)))
    /** The first half of a surrogate pair split between string chunks. */
    this.carry = ''
    this.value = undefined
    this.repairs = []
    this.truncated = null
  }

  async *[Symbol.asyncIterator]() {
    for await (const chunk of this.source) yield* this.feed(chunk)
    yield* this.end()
  }

  *[Symbol.iterator]() {
    if (typeof this.source[Symbol.iterator] !== 'function') {
      throw new TypeError('an async source of chunks needs `for await`')
    }
    for (const chunk of this.source) yield* this.feed(chunk)
    yield* this.end()
  }

  /** The parts a chunk finishes. */
  feed(chunk) {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new TypeError(`A chunk must be a string or a Uint8Array, not ${describe(chunk)}`)
    }
    if (typeof chunk === 'string') {
      // A string chunk may end between the two halves of a surrogate pair: the first
      // half waits for the next chunk rather than cross as a lone surrogate.
      chunk = this.carry + chunk
      this.carry = ''
      const last = chunk.charCodeAt(chunk.length - 1)
      if (last >= 0xd800 && last <= 0xdbff) {
        this.carry = chunk.slice(-1)
        chunk = chunk.slice(0, -1)
      }
    }
    return JSON.parse(call(() => this.decoder.feed(chunk)))
  }

  /** The parts the end finishes; then the cut, if any, is thrown. */
  *end() {
    if (this.carry !== '') {
      const carry = this.carry
      this.carry = ''
      yield* JSON.parse(call(() => this.decoder.feed(carry)))
    }
    const { parts, outcome } = call(() => this.decoder.finish())
    this.value = JSON.parse(outcome.json)
    this.repairs = outcome.repairs
    this.truncated = outcome.truncated ?? null
    yield* JSON.parse(parts)
    try {
      this.decoder.throwIfCut()
    } catch (error) {
      const cut = translate(error)
      cut.partial = this.value
      cut.truncated = this.truncated
      throw cut
    }
  }
}

/** The name of a value's type, for an error message. */
function describe(value) {
  if (value === null) return 'null'
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value
}

/** The native form of `streamRows` / `rowStream` options. */
function chunkOptions(options) {
  if (options == null) return undefined
  const { indentSize, indent, strict, repair: repairing, keepRows } = options
  return { indentSize, indent, strict, repair: repairing, keepRows }
}

/** Reads TOON as it arrives from `source`, yielding each finished part (see RowStream). */
function streamRows(source, options) {
  return new RowStream(source, options)
}

/**
 * A Web `TransformStream` from chunks (strings or bytes) of TOON to its parts, each
 * enqueued as soon as its line ends; a cut-off text errors the stream with the
 * `truncated` `ToonDecodeError` once the parts that arrived were enqueued.
 */
function rowStream(options) {
  const rows = new RowStream([], options)
  return new TransformStream({
    transform(chunk, controller) {
      for (const part of rows.feed(chunk)) controller.enqueue(part)
    },
    flush(controller) {
      for (const part of rows.end()) controller.enqueue(part)
    },
  })
}

/** Decodes pre-split lines (the reference's `decodeFromLines`). */
function decodeFromLines(lines, options) {
  return decode(Array.from(lines).join('\n'), options)
}

/** The text of a line source: a string as it is, lines joined with LF. */
function joinLines(lines) {
  return typeof lines === 'string' ? lines : Array.from(lines).join('\n')
}

/**
 * Lazily yields `JsonStreamEvent`s (`startObject`, `endObject`, `startArray` with the
 * declared `length`, `endArray`, `key`, `primitive`) of a document given as lines (or
 * as one string), like the reference's `decodeStreamSync`.
 */
function* decodeStreamSync(lines, options) {
  const text = joinLines(lines)
  const stream = call(() => new native.EventStream(text, decodeOptions(options)), text)
  for (;;) {
    const batch = call(() => stream.next(EVENT_BATCH), text)
    if (batch === null) return
    yield* JSON.parse(batch)
  }
}

/** `decodeStreamSync` for a sync or async source of lines (the reference's `decodeStream`). */
async function* decodeStream(source, options) {
  const lines = []
  if (typeof source === 'string') {
    lines.push(source)
  } else {
    for await (const line of source) lines.push(line)
  }
  yield* decodeStreamSync(lines.join('\n'), options)
}

/** Resolves after pending I/O and timers had their turn. */
function yieldToLoop() {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Whether `value` holds at most `budget` nodes (false as soon as it holds more). */
function isSmall(value, budget) {
  let left = budget
  const stack = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (--left < 0) return false
    if (v === null || typeof v !== 'object') continue
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i])
    } else {
      for (const k in v) if (Object.hasOwn(v, k)) stack.push(v[k])
    }
  }
  return true
}

/** What JSON.stringify serializes in place of `value` under `key` (its `toJSON()`). */
function toJsonValue(value, key) {
  return value !== null && typeof value === 'object' && typeof value.toJSON === 'function'
    ? value.toJSON(key)
    : value
}

/**
 * JSON text of `value` (already passed through `toJsonValue`) in pieces, each a
 * JSON.stringify of a small subtree or a bit of punctuation, together the same text as
 * one JSON.stringify; throws NOT_PLAIN where a value is not plain data (see `isPlain`;
 * the caller then takes the exact path).
 */
function* jsonPieces(value) {
  if (value === null || typeof value !== 'object' || isSmall(value, SMALL_NODES)) {
    if (!isPlain(value, 0)) throw NOT_PLAIN
    yield JSON.stringify(value)
    return
  }
  if (!Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value)
    if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) {
      throw NOT_PLAIN // this level: the pieces below check their own
    }
  }
  if (Array.isArray(value)) {
    yield '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ','
      yield* jsonPieces(toJsonValue(value[i], String(i)))
    }
    yield ']'
    return
  }
  yield '{'
  let first = true
  for (const k of Object.keys(value)) {
    const v = toJsonValue(value[k], k)
    yield `${first ? '' : ','}${JSON.stringify(k)}:`
    first = false
    yield* jsonPieces(v)
  }
  yield '}'
}

/**
 * `encode` that never blocks the event loop for long: the value is serialized in
 * slices of about 2 ms between which timers and I/O run, then encoded on the libuv
 * thread pool. Do not mutate the value until the promise settles.
 */
async function encodeAsync(value, options) {
  if (options != null && options.replacer !== undefined) return encodeValue(value, options)
  const nativeOptions = encodeOptions(options)
  const buffer = new native.JsonBuffer()
  const pieces = jsonPieces(toJsonValue(value, ''))
  let pending = []
  let pendingBytes = 0
  let sliceStart = performance.now()
  let count = 0
  try {
    for (const piece of pieces) {
      pending.push(piece)
      pendingBytes += piece.length
      if (pendingBytes >= PUSH_BYTES) {
        buffer.push(pending.join(''))
        pending = []
        pendingBytes = 0
      }
      // Reading the clock costs more than a small piece: look every 32 pieces.
      if ((++count & 31) === 0 && performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop()
        sliceStart = performance.now()
      }
    }
  } catch (error) {
    // Not plain data (see isPlain), or a cycle: the exact path.
    if (error === NOT_PLAIN || error instanceof TypeError) return encodeValue(value, options)
    throw error
  }
  buffer.push(pending.join(''))
  let bytes
  try {
    bytes = await settle(buffer.encodeAsync(nativeOptions))
  } catch (error) {
    if (error.code === 'TOON_JSON_ERROR') return encodeValue(value, options) // as in encode
    throw error
  }
  return textOf(bytes)
}

/**
 * The string of UTF-8 `bytes`, made a slice of about STRING_SLICE_BYTES at a time
 * between turns of the event loop; slices end after a LF, which never splits a
 * character. The slices are concatenated, which V8 does without copying.
 */
async function textOf(bytes) {
  let text = ''
  let start = 0
  while (start < bytes.length) {
    let end = start + STRING_SLICE_BYTES
    if (end < bytes.length) {
      const newline = bytes.indexOf(10, end)
      end = newline < 0 ? bytes.length : newline + 1
    } else {
      end = bytes.length
    }
    text += bytes.toString('utf8', start, end)
    start = end
    if (start < bytes.length) await yieldToLoop()
  }
  return text
}

/** `decode` with the parsing on the libuv thread pool (the JS objects are built on return). */
async function decodeAsync(text, options) {
  const json = await settle(native.decodeToJsonAsync(text, decodeOptions(options)), text)
  return JSON.parse(json)
}

/** `encodeJson` on the libuv thread pool. */
function encodeJsonAsync(json, options) {
  return settle(native.encodeJsonAsync(json, encodeOptions(options)))
}

/** `decodeToJson` on the libuv thread pool. */
function decodeToJsonAsync(text, options) {
  return settle(native.decodeToJsonAsync(text, decodeOptions(options)), text)
}

/** Exact token count of `text` (tiktoken's), encoding `o200k_base` unless named. */
function countTokens(text, encoding) {
  return call(() => native.countTokens(text, encoding))
}

/** `countTokens` on the libuv thread pool. */
function countTokensAsync(text, encoding) {
  return settle(native.countTokensAsync(text, encoding))
}

/** The native form of `encodeAuto` / `encodeSections` options. */
function autoOptions(options) {
  if (options == null) return undefined
  const { encoding, indent, indentSize, formats, exact } = options
  return { encoding, indent, indentSize, formats, exact }
}

/**
 * The cheapest of TOON (comma, tab, pipe delimiters) and compact JSON for `value`, by
 * exact token count in `options.encoding` (an encoding or a model name; default
 * `o200k_base`). Returns `{ format, text, tokens, candidates, line }`; ties go to the
 * format listed first in `options.formats`.
 */
function encodeAuto(value, options) {
  return call(() => native.encodeAuto(value, toJsonText(value), autoOptions(options)))
}

/** `encodeAuto` for each field of `sections`, chosen on its own: name → choice, in order. */
function encodeSections(sections, options) {
  if (sections === null || typeof sections !== 'object' || Array.isArray(sections)) {
    throw new TypeError(`sections must be an object of name → value, not ${describe(sections)}`)
  }
  const chosen = call(() => native.encodeSections(sections, toJsonText(sections), autoOptions(options)))
  const out = {}
  for (const { name, choice } of chosen) out[name] = choice
  return out
}

/**
 * The TOON of `value` in at most `maxTokens` tokens: the longest arrays keep their
 * first rows, fairly, each cut one saying so in a comment line. Returns `{ text, tokens,
 * cuts }`, each cut `{ path, rows, kept, line }`; throws `ToonBudgetError` when even the
 * skeleton does not fit.
 */
function fitToBudget(value, maxTokens, options) {
  const nativeOptions =
    options == null
      ? undefined
      : {
          encoding: options.encoding,
          delimiter: options.delimiter,
          indent: options.indent,
          indentSize: options.indentSize,
        }
  return call(() => native.fitToBudget(value, toJsonText(value), maxTokens, nativeOptions))
}

/**
 * An output template from a JSON Schema (an object or a boolean): `skeleton` (the TOON a
 * model should fill), `instructions`, `prompt` (both, the skeleton fenced), and
 * `check(value)`, the violations `{ path, message, line }` of a decoded reply.
 */
class Template {
  /** The native template (src/prompt.rs). */
  #native

  constructor(schema, options) {
    const nativeOptions =
      options == null
        ? undefined
        : { delimiter: options.delimiter, indent: options.indent, indentSize: options.indentSize }
    this.#native = call(() => new native.Template(schema, toJsonText(schema), nativeOptions))
  }

  get skeleton() {
    return this.#native.skeleton
  }

  get instructions() {
    return this.#native.instructions
  }

  get prompt() {
    return this.#native.prompt
  }

  check(value) {
    return call(() => this.#native.check(value, toJsonText(value)))
  }
}

/** Converts text or bytes between formats (`toon`, `json`, `md`, `pdf`); see `converters()`. */
function convert(input, from, to) {
  return call(() => native.convert(input, from, to))
}

/** `convert` on the libuv thread pool. */
function convertAsync(input, from, to) {
  return settle(native.convertAsync(input, from, to))
}

/** Converts a file, or a git work tree with `from = 'checkpoint'`, to format `to`. */
function convertFile(path, to, from) {
  return call(() => native.convertFile(path, to, from))
}

/** `convertFile` on the libuv thread pool. */
function convertFileAsync(path, to, from) {
  return settle(native.convertFileAsync(path, to, from))
}

/** Every available converter: `{ name, from, to }`. */
function converters() {
  return native.converters()
}

exports.DELIMITERS = DELIMITERS
exports.DEFAULT_DELIMITER = DEFAULT_DELIMITER
exports.ToonDecodeError = ToonDecodeError
exports.ToonBudgetError = ToonBudgetError
exports.encode = encode
exports.encodeValue = encodeValue
exports.encodeLines = encodeLines
exports.escapeString = escapeString
exports.rawString = rawString
exports.RawString = RawString
exports.encodeJson = encodeJson
exports.decode = decode
exports.decodeToJson = decodeToJson
exports.repair = repair
exports.streamRows = streamRows
exports.rowStream = rowStream
exports.RowStream = RowStream
exports.decodeFromLines = decodeFromLines
exports.decodeStreamSync = decodeStreamSync
exports.decodeStream = decodeStream
exports.encodeAsync = encodeAsync
exports.decodeAsync = decodeAsync
exports.encodeJsonAsync = encodeJsonAsync
exports.decodeToJsonAsync = decodeToJsonAsync
exports.countTokens = countTokens
exports.countTokensAsync = countTokensAsync
exports.TokenCounter = native.TokenCounter
exports.encodeAuto = encodeAuto
exports.encodeSections = encodeSections
exports.fitToBudget = fitToBudget
exports.Template = Template
exports.convert = convert
exports.convertAsync = convertAsync
exports.convertFile = convertFile
exports.convertFileAsync = convertFileAsync
exports.converters = converters
exports.installMetrics = native.installMetrics
exports.metricsText = native.metricsText
exports.VERSION = native.VERSION
