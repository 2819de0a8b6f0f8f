/**
 * The JavaScript side of the WebAssembly SSE framer (src/wasm/assembly/sse-ndjson.ts): one
 * instance per connection, one call per chunk. Each call copies the chunk into the module's memory
 * once, lets it split, dispatch and check every frame, then copies out what it produced: the
 * frames' data (each followed by LF, so valid events in a row are NDJSON lines in a row), their
 * ids and event names, and one record per frame.
 */
import { utf8Text } from '../util/bytes.js';

// The header and record layouts of the module (src/wasm/assembly/sse-ndjson.ts).
const H_OUT = 1;
const H_OUT_LEN = 2;
const H_TXT = 3;
const H_TXT_LEN = 4;
const H_META = 5;
const H_RETRY_START = 8;
const H_RETRY_END = 9;
const H_TOO_LARGE = 10;
const HEADER_INTS = 16;
/** Ints per frame record. */
export const META_INTS = 10;
export const M_FLAGS = 0;
export const M_DATA_START = 1;
export const M_DATA_END = 2;
export const M_EVENT_ID_START = 3;
export const M_EVENT_ID_END = 4;
export const M_ID_START = 5;
export const M_ID_END = 6;
export const M_NAME_START = 7;
export const M_NAME_END = 8;

/** The verdict on a frame's data, in the low bits of its flags. */
export const VERDICT_MASK = 7;
/** One JSON object, one line of valid UTF-8 in the output: written as it is. */
export const V_OBJECT = 1;
/** Not JSON (when the data is valid UTF-8: `JSON.parse` would throw). */
export const V_NOT_JSON = 2;
/** Does not start with `{`: not checked further. */
export const V_NOT_OBJECT = 3;
/** Nested deeper than the module's stack: not checked. */
export const V_TOO_DEEP = 4;
/** The data came in several `data:` lines (joined by LF; by spaces for an object). */
export const F_MULTI_LINE = 8;
/** The data is not valid UTF-8 (the verdict then says nothing). */
export const F_NOT_UTF8 = 16;
/** The top-level `event_id` (or a key) used escapes: parse to know the id. */
export const F_EVENT_ID_NEEDS_PARSE = 32;
/** This frame's event name differs from the previous frame's. */
export const F_NAME_CHANGED = 64;

interface Exports {
  memory: WebAssembly.Memory;
  init(frameLimit: number, initialIdLength: number): number;
  headerAddress(): number;
  prepare(chunkLength: number): number;
  feed(chunkLength: number): number;
}

/** The module's limit is a 32-bit count: a larger limit means "as large as memory allows". */
const LARGEST_FRAME_LIMIT = 2 ** 31 - 1;

/** What one chunk completed. Valid until the next `feed`, whose results are new objects. */
export interface FramedChunk {
  /** Number of frames dispatched. */
  readonly frames: number;
  /** Frames skipped for being over the limit (discarded as they arrived). */
  readonly tooLarge: number;
  /** Per frame, META_INTS ints (see M_*). */
  readonly records: Int32Array;
  /** The frames' data, each followed by LF. */
  readonly out: Buffer;
  /** Ids and event names (see M_ID_*, M_NAME_*). */
  readonly text: Buffer;
}

const NO_FRAMES: FramedChunk = {
  frames: 0,
  tooLarge: 0,
  records: new Int32Array(0),
  out: Buffer.alloc(0),
  text: Buffer.alloc(0),
};

export class WasmSseFramer {
  readonly #exports: Exports;
  readonly #header: number;
  /** The latest valid `retry:` value, in ms. */
  retryMs: number | undefined;

  constructor(module: WebAssembly.Module, options: { maxFrameBytes: number; initialId: string }) {
    const instance = new WebAssembly.Instance(module, {});
    this.#exports = instance.exports as unknown as Exports;
    const id = Buffer.from(options.initialId);
    const limit = Math.min(options.maxFrameBytes, LARGEST_FRAME_LIMIT);
    const idAt = this.#exports.init(limit, id.length);
    new Uint8Array(this.#exports.memory.buffer, idAt, id.length).set(id);
    this.#header = this.#exports.headerAddress();
  }

  /** Frames the next bytes of the stream; frames over the limit are skipped and counted. */
  feed(chunk: Uint8Array): FramedChunk {
    const wasm = this.#exports;
    const at = wasm.prepare(chunk.length);
    // Views are made after each call that may grow the memory (growing replaces its buffer).
    new Uint8Array(wasm.memory.buffer, at, chunk.length).set(chunk);
    const count = wasm.feed(chunk.length);
    const memory = wasm.memory.buffer;
    const header = new Int32Array(memory, this.#header, HEADER_INTS);
    const retryStart = header[H_RETRY_START]!;
    if (retryStart >= 0) {
      const txt = header[H_TXT]!;
      this.retryMs = Number(utf8Text(new Uint8Array(memory), txt + retryStart, txt + header[H_RETRY_END]!));
    }
    const tooLarge = header[H_TOO_LARGE]!;
    if (count === 0 && tooLarge === 0) return NO_FRAMES;
    const meta = header[H_META]!;
    return {
      frames: count,
      tooLarge,
      records: new Int32Array(memory.slice(meta, meta + count * META_INTS * 4)),
      out: copy(memory, header[H_OUT]!, header[H_OUT_LEN]!),
      text: copy(memory, header[H_TXT]!, header[H_TXT_LEN]!),
    };
  }
}

function copy(memory: ArrayBuffer, at: number, length: number): Buffer {
  return Buffer.from(memory.slice(at, at + length));
}
