/**
 * The tail's frame decoder in WebAssembly: the same contract as the JavaScript one
 * (src/tail/frame-decoder.ts), with the framing and the JSON check of every frame done by the
 * WebAssembly framer in one call per chunk. An event frame whose data is a JSON object costs one
 * small object here and no string: its bytes sit in the chunk's output copy, NDJSON lines in a
 * row, and are parsed only if a renderer reads them. Everything the framer leaves open (data
 * that is not valid UTF-8, values nested deeper than its stack, frames that are not events) is
 * decided as the JavaScript decoder decides it, by the same code.
 */
import type { EventRecord } from '../model/event-record.js';
import {
  type DecodedPiece,
  type FrameDecoder,
  type FrameDecoderFactory,
  type FrameDecoderOptions,
  PieceAssembler,
  sseFrameDecoder,
  type TextFrame,
  tooLargePiece,
} from '../tail/frame-decoder.js';
import type { JsonBytes, TailEvent } from '../tail/items.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../tail/sse-parser.js';
import { utf8Text } from '../util/bytes.js';
import { JSON_OBJECT, JsonByteScanner, NOT_JSON } from '../util/json-bytes.js';
import { sseWasmModule } from './module.js';
import {
  F_EVENT_ID_NEEDS_PARSE,
  F_MULTI_LINE,
  F_NAME_CHANGED,
  F_NOT_UTF8,
  type FramedChunk,
  M_DATA_END,
  M_DATA_START,
  M_EVENT_ID_END,
  M_EVENT_ID_START,
  M_FLAGS,
  M_ID_END,
  M_ID_START,
  M_NAME_END,
  M_NAME_START,
  META_INTS,
  V_NOT_JSON,
  V_OBJECT,
  V_TOO_DEEP,
  VERDICT_MASK,
  WasmSseFramer,
} from './sse-framer.js';

/**
 * The tail's frame decoder: WebAssembly when the build's module is there and compiles, else the
 * JavaScript one, which does the same more slowly. `js` (the `SOTAIL_DECODER` variable) picks the
 * JavaScript decoder: for comparing the two, in tests and benchmarks.
 */
export function tailFrameDecoder(choice: string | undefined): FrameDecoderFactory {
  if (choice === 'js') return sseFrameDecoder;
  const module = sseWasmModule();
  return module === undefined ? sseFrameDecoder : wasmFrameDecoder(module, sseFrameDecoder);
}

/**
 * The decoder factory for a compiled framer module. Should an instance fail to start (no memory
 * for it), that connection falls back to `fallback`.
 */
export function wasmFrameDecoder(
  module: WebAssembly.Module,
  fallback: FrameDecoderFactory,
): FrameDecoderFactory {
  return (options) => {
    let framer: WasmSseFramer;
    try {
      framer = new WasmSseFramer(module, {
        maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        initialId: options.initialId,
      });
    } catch {
      return fallback(options);
    }
    return new WasmFrameDecoder(framer, options);
  };
}

const NOTHING: readonly DecodedPiece[] = [];

class WasmFrameDecoder implements FrameDecoder {
  readonly #framer: WasmSseFramer;
  readonly #pieces: PieceAssembler;
  readonly #eventNames: ReadonlySet<string> | undefined;
  readonly #display: ((record: EventRecord) => EventRecord) | undefined;
  /** For what the framer leaves to the JavaScript scanner (nesting deeper than its stack). */
  readonly #scanner = new JsonByteScanner();
  /** The event name of the last frame, and whether the source reads such frames as events. */
  #name = 'message';
  #nameIsEvent: boolean;

  constructor(framer: WasmSseFramer, options: FrameDecoderOptions) {
    this.#framer = framer;
    this.#pieces = new PieceAssembler(options.source, options.recent);
    this.#eventNames = options.source.eventFrames?.names;
    this.#display = options.source.eventFrames?.display;
    this.#nameIsEvent = this.#eventNames?.has(this.#name) === true;
  }

  get retryMs(): number | undefined {
    return this.#framer.retryMs;
  }

  decode(chunk: Uint8Array): Iterable<DecodedPiece> {
    const framed = this.#framer.feed(chunk);
    return framed.frames === 0 && framed.tooLarge === 0 ? NOTHING : this.#decoded(framed);
  }

  *#decoded(framed: FramedChunk): Generator<DecodedPiece, void, undefined> {
    if (framed.tooLarge > 0) yield tooLargePiece(framed.tooLarge);
    const { records, out, text } = framed;
    const pieces = this.#pieces;
    for (let at = 0; at < framed.frames * META_INTS; at += META_INTS) {
      const flags = records[at + M_FLAGS]!;
      if (flags & F_NAME_CHANGED) {
        const start = records[at + M_NAME_START]!;
        const end = records[at + M_NAME_END]!;
        this.#name = start === end ? 'message' : utf8Text(text, start, end);
        this.#nameIsEvent = this.#eventNames?.has(this.#name) === true;
      }
      const start = records[at + M_DATA_START]!;
      const end = records[at + M_DATA_END]!;
      const idStart = records[at + M_ID_START]!;
      const idEnd = records[at + M_ID_END]!;
      let verdict = flags & VERDICT_MASK;
      // One line of valid UTF-8: the bytes are the line NDJSON writes (an object's joins are spaces).
      const plain = verdict === V_OBJECT || (flags & (F_NOT_UTF8 | F_MULTI_LINE)) === 0;
      if (this.#nameIsEvent && (flags & F_NOT_UTF8) === 0) {
        let eventIdStart = records[at + M_EVENT_ID_START]!;
        let eventIdEnd = records[at + M_EVENT_ID_END]!;
        let eventIdNeedsParse = (flags & F_EVENT_ID_NEEDS_PARSE) !== 0;
        if (verdict === V_TOO_DEEP && plain) {
          // What the JavaScript decoder does with such a line: the byte scanner, which has no depth limit.
          const kind = this.#scanner.scan(out, start, end);
          verdict = kind === JSON_OBJECT ? V_OBJECT : kind === NOT_JSON ? V_NOT_JSON : verdict;
          eventIdStart = this.#scanner.idStart;
          eventIdEnd = this.#scanner.idEnd;
          eventIdNeedsParse = this.#scanner.idNeedsParse;
        }
        if (verdict === V_OBJECT) {
          const event = new WasmEvent(out, start, end, text, idStart, idEnd, this.#display);
          let eventId: unknown;
          if (pieces.dedupes) {
            if (eventIdNeedsParse) eventId = event.record.event_id;
            else if (eventIdStart !== -1) eventId = utf8Text(out, eventIdStart, eventIdEnd);
          }
          pieces.event(event, event, eventId);
          continue;
        }
        if (verdict === V_NOT_JSON) {
          pieces.skip();
          continue;
        }
      }
      const control = pieces.other(
        new WasmTextFrame(this.#name, out, start, end, plain, text, idStart, idEnd),
      );
      if (control !== undefined) {
        yield* pieces.end();
        yield { kind: 'control', meaning: control };
      }
    }
    yield* pieces.end();
  }
}

/** The id in force at a frame: `text[idStart, idEnd)`, decoded when asked for. */
class FrameId {
  readonly #text: Buffer;
  readonly #idStart: number;
  readonly #idEnd: number;

  constructor(text: Buffer, idStart: number, idEnd: number) {
    this.#text = text;
    this.#idStart = idStart;
    this.#idEnd = idEnd;
  }

  get hasId(): boolean {
    return this.#idEnd > this.#idStart;
  }

  get id(): string {
    return utf8Text(this.#text, this.#idStart, this.#idEnd);
  }
}

/**
 * A streamed event: the bytes of its JSON object (checked, one line, valid UTF-8) in the chunk's
 * output copy, parsed anew on each read, as src/tail/streamed-event.ts does.
 */
class WasmEvent extends FrameId implements TailEvent, JsonBytes {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  readonly #display: ((record: EventRecord) => EventRecord) | undefined;

  constructor(
    bytes: Buffer,
    start: number,
    end: number,
    text: Buffer,
    idStart: number,
    idEnd: number,
    display: ((record: EventRecord) => EventRecord) | undefined,
  ) {
    super(text, idStart, idEnd);
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.#display = display;
  }

  get raw(): JsonBytes {
    return this;
  }

  get cursor(): string | undefined {
    return this.hasId ? this.id : undefined;
  }

  get record(): EventRecord {
    return JSON.parse(utf8Text(this.bytes, this.start, this.end)) as EventRecord;
  }

  get event(): EventRecord {
    return this.#display === undefined ? this.record : this.#display(this.record);
  }
}

/** A frame the framer did not settle, as the JavaScript decoder reads it: by its text. */
class WasmTextFrame extends FrameId implements TextFrame {
  constructor(
    readonly event: string,
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
    readonly plain: boolean,
    text: Buffer,
    idStart: number,
    idEnd: number,
  ) {
    super(text, idStart, idEnd);
  }

  get data(): string {
    return utf8Text(this.bytes, this.start, this.end);
  }
}
