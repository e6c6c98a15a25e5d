// Types of the public API (toon.js). The native layer's types are generated into
// index.d.ts by `napi build`; the option, counter and converter types come from there.
import type {
  ConverterInfo,
  DecodeOptions as NativeDecodeOptions,
  EncodeOptions as NativeEncodeOptions,
  RedisStats,
  Savings,
  TokenCacheStats,
  TokenCounterOptions,
} from './index'
import { TokenCounter } from './index'

export type { ConverterInfo, RedisStats, Savings, TokenCacheStats, TokenCounterOptions }
export { TokenCounter }

export type JsonPrimitive = string | number | boolean | null
export type JsonObject = { [key: string]: JsonValue }
export type JsonArray = JsonValue[] | readonly JsonValue[]
export type JsonValue = JsonPrimitive | JsonObject | JsonArray

export type Delimiter = ',' | '\t' | '|'
export type DelimiterKey = 'comma' | 'tab' | 'pipe'

/** Called for the root (key `""`, path `[]`) and then every property and element. */
export type EncodeReplacer = (key: string, value: JsonValue, path: readonly (string | number)[]) => unknown

export interface EncodeOptions extends NativeEncodeOptions {
  /** Spaces per indentation level (default 2). */
  indentSize?: number
  /** @deprecated use `indentSize`. */
  indent?: number
  /** Array delimiter (default `,`). */
  delimiter?: Delimiter
  /** Filters or transforms values before encoding, as in the reference. */
  replacer?: EncodeReplacer
}

export interface DecodeOptions extends NativeDecodeOptions {
  /** Spaces per indentation level (default 2). */
  indentSize?: number
  /** @deprecated use `indentSize`. */
  indent?: number
  /** Enforce counts, widths and indentation (default true). */
  strict?: boolean
}

export type DecodeStreamOptions = DecodeOptions

export type JsonStreamEvent =
  | { type: 'startObject' }
  | { type: 'endObject' }
  | { type: 'startArray'; length: number }
  | { type: 'endArray' }
  | { type: 'key'; key: string }
  | { type: 'primitive'; value: JsonPrimitive }

export declare const DELIMITERS: { readonly comma: ','; readonly tab: '\t'; readonly pipe: '|' }
export declare const DEFAULT_DELIMITER: ','
export declare const VERSION: string

/** A TOON document that cannot be decoded (a SyntaxError, like the reference's). */
export declare class ToonDecodeError extends SyntaxError {
  /** 1-based line of the problem. */
  readonly line?: number
  /** 1-based column (in characters) of the problem. */
  readonly column?: number
  /** `syntax`, `indentation`, `count`, `width`, `duplicate_key`, `structure`, `limit`, `data`, `truncated`. */
  readonly category?: string
  /** The offending line as written. */
  readonly source?: string
  /** The offending line and a caret under the column. */
  readonly snippet?: string
  /** Where the value being read sits (`users[2]`, `config.server`); absent at the top level. */
  readonly path?: string
  /** One sentence for whoever wrote the text (a model asked to retry) on how to fix it. */
  readonly hint?: string
  /** What the reader expected where it stopped (`2 tabular row values`). */
  readonly expected?: string
  /** What it found there (`3`, `the end of the line`). */
  readonly found?: string
  /** On the `truncated` error of a cut-off `streamRows`: the value that arrived. */
  partial?: JsonValue
  /** On that error: where the text stops and what is missing. */
  truncated?: { line: number; column: number; missing: string[] } | null
}

export declare function encode(input: unknown, options?: EncodeOptions): string
export declare function encodeValue(input: unknown, options?: EncodeOptions): string
export declare function encodeLines(input: unknown, options?: EncodeOptions): string[]
export declare function encodeJson(json: string, options?: EncodeOptions): string
export declare function decode(input: string, options?: DecodeOptions): JsonValue
export declare function decodeToJson(input: string, options?: DecodeOptions): string

/** Options of `repair`. */
export interface RepairOptions {
  /** Spaces per indentation level the TOON was asked for (default 2). */
  indentSize?: number
  /** Deprecated alias of `indentSize`. */
  indent?: number
  /** Read the n-th code fence of the reply (0-based), whatever its label. */
  fence?: number
}

/** One fix `repair` made, at its 1-based line and column in the reply. */
export interface RepairFix {
  line: number
  column: number
  /** What was found. */
  found: string
  /** What was done about it. */
  done: string
}

/** What `repair` recovered. */
export interface Repaired {
  /** The value; the part that arrived when `truncated` is set. */
  value: JsonValue
  repairs: RepairFix[]
  /** Where a cut-off reply stops and what is missing; null for a whole reply. */
  truncated: { line: number; column: number; missing: string[] } | null
  foundIn: 'fence' | 'unlabeled_fence' | 'reply'
}

/** Reads the TOON of a model's reply, fixing what needs no guess (docs/llm.md). */
export declare function repair(reply: string, options?: RepairOptions): Repaired
/** Options of `streamRows` and `rowStream`. */
export interface StreamRowsOptions {
  /** Spaces per indentation level (default 2). */
  indentSize?: number
  /** Deprecated alias of `indentSize`. */
  indent?: number
  /** As in `decode` (default true); ignored with `repair`. */
  strict?: boolean
  /** Read a model's reply as `repair` does, reporting each fix (default false). */
  repair?: boolean
  /** Keep rows in the final value once handed out (default true). */
  keepRows?: boolean
}

/** A finished part: a table row, list item or primitive field reached through objects. */
export interface Part {
  /** The whole path (`users[3]`, `meta.count`). */
  path: string
  /** The path of its array or object (`users`; empty for the root). */
  parent: string
  /** Its index in an array, else null. */
  index: number | null
  /** Its key in an object, else null. */
  key: string | null
  value: JsonValue
}

/** The parts of a TOON text arriving in chunks; `value`, `repairs`, `truncated` at the end. */
export declare class RowStream implements AsyncIterable<Part>, Iterable<Part> {
  value: JsonValue | undefined
  repairs: RepairFix[]
  truncated: { line: number; column: number; missing: string[] } | null
  [Symbol.asyncIterator](): AsyncGenerator<Part, void, undefined>
  [Symbol.iterator](): Generator<Part, void, undefined>
}

/** Reads TOON as it arrives, yielding each finished part (docs/llm.md). */
export declare function streamRows(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options?: StreamRowsOptions,
): RowStream
/** A Web TransformStream from chunks of TOON to its finished parts. */
export declare function rowStream(options?: StreamRowsOptions): TransformStream<string | Uint8Array, Part>

export declare function decodeFromLines(lines: Iterable<string>, options?: DecodeOptions): JsonValue
export declare function decodeStreamSync(
  lines: Iterable<string> | string,
  options?: DecodeStreamOptions,
): Generator<JsonStreamEvent, void, undefined>
export declare function decodeStream(
  source: AsyncIterable<string> | Iterable<string> | string,
  options?: DecodeStreamOptions,
): AsyncGenerator<JsonStreamEvent, void, undefined>

export declare function encodeAsync(input: unknown, options?: EncodeOptions): Promise<string>
export declare function decodeAsync(input: string, options?: DecodeOptions): Promise<JsonValue>
export declare function encodeJsonAsync(json: string, options?: EncodeOptions): Promise<string>
export declare function decodeToJsonAsync(input: string, options?: DecodeOptions): Promise<string>

/** Encoding: `o200k_base` (default), `cl100k_base`, or a model name such as `gpt-4o`. */
export declare function countTokens(text: string, encoding?: string): number
export declare function countTokensAsync(text: string, encoding?: string): Promise<number>

/** A format `encodeAuto` compares. */
export type PromptFormat = 'toon-comma' | 'toon-tab' | 'toon-pipe' | 'json'

/** Options of `encodeAuto` and `encodeSections`. */
export interface EncodeAutoOptions {
  /** `o200k_base` (default), another encoding, or a model name (`gpt-4o`, `llama-3.1-70b`). */
  encoding?: string
  /** Spaces per TOON indentation level (default 2). */
  indent?: number
  /** Alias of `indent`, as in `encode`; wins when both are given. */
  indentSize?: number
  /** The formats compared, in tie-break order (default all four; `toon` = `toon-comma`). */
  formats?: (PromptFormat | 'toon')[]
  /** Count every candidate to the end (default false: a dearer one stops early, a lower bound). */
  exact?: boolean
}

/** One format `encodeAuto` compared. */
export interface Candidate {
  format: PromptFormat
  /** Its tokens; a lower bound when `exact` is false. */
  tokens: number
  /** Whether `tokens` is exact (false: counting stopped once it passed the best). */
  exact: boolean
}

/** The cheapest format of a value. */
export interface Choice {
  format: PromptFormat
  /** The value in that format (no final newline). */
  text: string
  /** Its exact tokens. */
  tokens: number
  /** Every format compared, in the order of `formats`. */
  candidates: Candidate[]
  /** `chosen: toon-tab, 812 tokens (toon-comma 830, toon-tab 812, ...)`. */
  line: string
}

/** The cheapest of TOON (comma, tab, pipe) and compact JSON for a value, by exact token count. */
export declare function encodeAuto(value: unknown, options?: EncodeAutoOptions): Choice
/** `encodeAuto` for each field of `sections`, chosen on its own, in the object's order. */
export declare function encodeSections<K extends string>(
  sections: Record<K, unknown>,
  options?: EncodeAutoOptions,
): Record<K, Choice>

/** Options of `fitToBudget`. */
export interface FitOptions {
  /** `o200k_base` (default), another encoding, or a model name. */
  encoding?: string
  /** Array delimiter (default `,`). */
  delimiter?: Delimiter
  /** Spaces per indentation level (default 2). */
  indent?: number
  /** Alias of `indent`, as in `encode`; wins when both are given. */
  indentSize?: number
}

/** An array `fitToBudget` cut. */
export interface Cut {
  /** Its path (`users`, `data.items`; empty for the root array). */
  path: string
  /** How many rows it has. */
  rows: number
  /** How many of its first rows were kept. */
  kept: number
  /** `users: 1000 rows, 120 kept`. */
  line: string
}

/** TOON within a token budget. */
export interface Fitted {
  /** The TOON text (no final newline); cut arrays say so in a `#` comment line. */
  text: string
  /** Its exact tokens, at most the budget. */
  tokens: number
  /** The arrays that lost rows, in document order. */
  cuts: Cut[]
}

/** The TOON of a value in at most `maxTokens` tokens; the longest arrays keep their first rows. */
export declare function fitToBudget(value: unknown, maxTokens: number, options?: FitOptions): Fitted

/** Thrown by `fitToBudget` when even the skeleton (every array cut to no rows) is over the budget. */
export declare class ToonBudgetError extends Error {
  readonly code: 'TOON_BUDGET_ERROR'
  readonly category: 'budget'
  /** Tokens of the skeleton. */
  readonly skeletonTokens: number
  /** The budget. */
  readonly maxTokens: number
}

/** Options of a `Template`. */
export interface TemplateOptions {
  /** Delimiter of the skeleton's rows (default `,`). */
  delimiter?: Delimiter
  /** Spaces per indentation level (default 2). */
  indent?: number
  /** Alias of `indent`, as in `encode`; wins when both are given. */
  indentSize?: number
}

/** A reply value that does not match the schema. */
export interface Violation {
  /** The value's path (`orders[0].id`; empty for the root). */
  path: string
  /** `expected integer, found "x"`. */
  message: string
  /** `orders[0].id: expected integer, found "x"` (the root is `root`). */
  line: string
}

/** An output template from a JSON Schema: the TOON skeleton, instructions, and a check of replies. */
export declare class Template {
  /** Throws a TypeError for a schema that is not an object or a boolean, or an unresolved `$ref`. */
  constructor(schema: object | boolean, options?: TemplateOptions)
  /** The TOON skeleton a model should fill (`orders[N]{id,total}:` and a row of `<type>`s). */
  readonly skeleton: string
  /** The instruction text that goes with the skeleton. */
  readonly instructions: string
  /** The instructions and the skeleton in a toon code fence. */
  readonly prompt: string
  /** What the decoded reply gets wrong against the schema (empty when nothing). */
  check(value: unknown): Violation[]
}

/** Formats: `toon`, `json`, `md` (or `markdown`), `pdf`, `checkpoint`, `csv`, `tsv`, `parquet`, `arrow`. */
export declare function convert(input: string | Buffer, from: string, to: string): string
export declare function convertAsync(input: string | Buffer, from: string, to: string): Promise<string>
export declare function convertFile(path: string, to: string, from?: string): string
export declare function convertFileAsync(path: string, to: string, from?: string): Promise<string>
export declare function converters(): ConverterInfo[]
/** Installs the Prometheus recorder of the Rust metrics (once per process). */
export declare function installMetrics(): void
/** The Prometheus text of the Rust metrics: token counts, cache hits and misses, tokens saved, conversions. */
export declare function metricsText(): string
export declare function escapeString(value: string): string
/** Text written verbatim at a primitive position (quoting, escaping and type detection bypassed). */
export declare class RawString {
  /** The text, exactly as it will be written. */
  readonly value: string
  /** Throws a TypeError when a line of `value` starts with `#` (a decoder would skip it as a comment). */
  constructor(value: string)
}
/** Wraps pre-formatted text for verbatim emission, typically returned from a replacer. */
export declare function rawString(value: string): RawString
