/**
 * An incremental parser for `text/event-stream` that works on the bytes as they arrive, following
 * the WHATWG "parse an event stream" rules: lines end in CRLF, LF or CR (a CR at the end of one
 * chunk waits for the next to know whether an LF follows); one leading BOM is dropped; `field:value`
 * loses one space after the colon, `data` lines join with LF; `id` persists across frames that have
 * none and an empty `id:` clears it (an `id` containing NUL is ignored); `retry` takes ASCII digits
 * only; a frame is dispatched on an empty line and only if it had data; comments (`:heartbeat`)
 * are ignored; a frame left unterminated when the connection ends is never dispatched (the caller
 * simply drops the parser). One parser per connection: a reconnect starts a fresh one, so half a
 * frame from a dead connection is never spliced onto the next.
 *
 * Memory is bounded by `maxFrameBytes`: a frame whose data adds up to more, or that has a `data:`,
 * `event:` or `id:` line longer than that, is skipped (counted in `tooLarge`, and an over-size `id:`
 * clears the id in force, as no id that size can be sent back); its bytes are discarded as they
 * arrive, never held, until the frame ends, and the stream goes on. Other lines that long
 * (comments, unknown fields, `retry:`) are discarded too, as the rules ignore them at any size.
 *
 * Every delimiter is ASCII, so splitting bytes gives the frames that splitting decoded text would;
 * a frame's data stays a range of the bytes that arrived, decoded (with U+FFFD for invalid
 * UTF-8, as a decoder would) only when something asks for it. That is what lets the tail write a
 * firehose out without turning it into strings (docs/tail.md, "How the tail reads the stream").
 *
 * Written here rather than taken from eventsource-parser 3: that version drops the id of a frame
 * without data, does not carry ids forward, and works on decoded text only.
 */
import { isUtf8 } from 'node:buffer';
import { asBuffer, utf8Text } from '../util/bytes.js';

/** One dispatched frame; its data is `bytes[start, end)`. */
export class SseFrame {
  #id: string | undefined;
  readonly #idBytes: Buffer;
  readonly #idStart: number;
  readonly #idEnd: number;

  constructor(
    /** The `event:` name, `message` when the frame had none. */
    readonly event: string,
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
    /**
     * The data is one line (no line break in it) of valid UTF-8: its bytes can be written out
     * as one line as they are.
     */
    readonly plain: boolean,
    /** Where the id in force is, `idBytes[idStart, idEnd)`: a firehose rarely needs it as text. */
    idBytes: Buffer,
    idStart: number,
    idEnd: number,
  ) {
    this.#idBytes = idBytes;
    this.#idStart = idStart;
    this.#idEnd = idEnd;
  }

  /** The last event id in force at dispatch (persisting from earlier frames); `''` when none. */
  get id(): string {
    this.#id ??= utf8Text(this.#idBytes, this.#idStart, this.#idEnd);
    return this.#id;
  }

  /** Whether an id is in force (not none, not cleared by an empty `id:`). */
  get hasId(): boolean {
    return this.#idEnd > this.#idStart;
  }

  /** The data as text. */
  get data(): string {
    return utf8Text(this.bytes, this.start, this.end);
  }
}

export interface SseParserOptions {
  /** Largest frame (data plus the pending line) held in memory, in bytes. */
  maxFrameBytes?: number | undefined;
  /** The id in force before the first frame (a resumed connection knows its cursor). */
  initialId?: string;
}

/** 8 MiB: far above any sane event, small enough that a torn stream cannot eat the heap. */
export const DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;

const LF = 10;
const CR = 13;
const COLON = 0x3a;
const SPACE = 0x20;
const BOM = [0xef, 0xbb, 0xbf];
const DATA = [0x64, 0x61, 0x74, 0x61];
const EVENT = [0x65, 0x76, 0x65, 0x6e, 0x74];
const ID = [0x69, 0x64];
const RETRY = [0x72, 0x65, 0x74, 0x72, 0x79];
const EMPTY = Buffer.alloc(0);

export class SseParser {
  readonly #maxFrameBytes: number;
  /** Bytes of an unfinished line carried from earlier chunks (copies: chunks are not kept). */
  readonly #partial = new ByteBuilder();
  /** The first data line of the frame being read: most frames have one, and it is kept as a range. */
  #data: Buffer | undefined;
  #dataStart = 0;
  #dataEnd = 0;
  #dataUtf8 = false;
  /** The data so far, joined by LF, once a second data line came (copies, like #partial). */
  #moreData: ByteBuilder | undefined;
  #dataBytes = 0;
  #event = '';
  /** The id in force: `#idBytes[#idStart, #idEnd)`, copied out of a chunk before it is let go. */
  #idBytes: Buffer;
  #idStart = 0;
  #idEnd: number;
  /** The previous chunk ended in CR: an LF at the start of the next one belongs to it. */
  #skipLeadingLf = false;
  /** Until the first three bytes are known, a BOM may still be arriving. */
  #bomChecked = false;
  /** A line over the limit is being discarded up to its end. */
  #discardingLine = false;
  /** The frame being read is over the limit: its data is not kept, and its end counts it. */
  #frameTooLarge = false;
  /** The frame being read had a `data:` line (kept or not): only such a frame is ever dispatched. */
  #frameHasData = false;
  /** The chunk being fed, and how far into it the bytes are known to be valid UTF-8 (lazily). */
  #chunk: Buffer = EMPTY;
  #utf8Through = -1;
  /** The latest valid `retry:` value, in ms. */
  retryMs: number | undefined;
  /** Frames skipped because they were over the limit, since this parser started. */
  tooLarge = 0;

  constructor(options: SseParserOptions = {}) {
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#idBytes = Buffer.from(options.initialId ?? '');
    this.#idEnd = this.#idBytes.length;
  }

  /**
   * Bytes held for a line and a frame not yet complete: each at most the limit (a line longer
   * than it, or a frame whose data adds up to more, is discarded as it arrives).
   */
  get heldBytes(): number {
    return this.#partial.length + this.#dataBytes;
  }

  /** The last event id buffer (what a browser would send as `Last-Event-ID`). */
  get lastEventId(): string {
    return utf8Text(this.#idBytes, this.#idStart, this.#idEnd);
  }

  /**
   * Feeds the next bytes of the stream and returns the frames they completed, in order. The
   * frames may refer to `chunk`, which must not be changed afterwards.
   */
  feed(chunk: Uint8Array): SseFrame[] {
    const frames: SseFrame[] = [];
    let bytes = asBuffer(chunk);
    let start = 0;
    if (!this.#bomChecked) {
      if (this.#partial.length > 0) {
        this.#partial.append(bytes, 0, bytes.length);
        bytes = this.#partial.take();
      }
      const known = Math.min(bytes.length, BOM.length);
      if (!startsWith(bytes, 0, bytes.length, BOM.slice(0, known))) {
        this.#bomChecked = true;
      } else if (known < BOM.length) {
        // Too few bytes to tell a BOM from a line starting with its first bytes: wait for more
        // (two bytes at most, held whatever the limit, so that every chunking reads alike).
        this.#partial.append(bytes, 0, bytes.length);
        return frames;
      } else {
        this.#bomChecked = true;
        start = BOM.length;
      }
    }
    const length = bytes.length;
    this.#chunk = bytes;
    this.#utf8Through = -1;
    if (this.#skipLeadingLf && start < length) {
      this.#skipLeadingLf = false;
      if (bytes[start] === LF) start += 1;
    }
    let nextLf = bytes.indexOf(LF, start);
    let nextCr = bytes.indexOf(CR, start);
    if (this.#discardingLine && start < length) {
      const end = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr;
      if (end === -1) {
        this.#chunk = EMPTY;
        return frames;
      }
      this.#discardingLine = false;
      start = this.#afterLineEnd(bytes, end);
    }
    while (start < length) {
      if (nextLf !== -1 && nextLf < start) nextLf = bytes.indexOf(LF, start);
      if (nextCr !== -1 && nextCr < start) nextCr = bytes.indexOf(CR, start);
      let end: number;
      if (nextCr === -1) end = nextLf;
      else if (nextLf === -1) end = nextCr;
      else end = nextLf < nextCr ? nextLf : nextCr;
      if (end === -1) {
        this.#keepPartial(bytes, start);
        break;
      }
      if (this.#partial.length > 0) {
        // The line began in an earlier chunk: join it into bytes of its own.
        if (this.#partial.length + end - start > this.#maxFrameBytes) {
          this.#lineTooLarge(bytes, start, end);
        } else {
          this.#partial.append(bytes, start, end);
          const line = this.#partial.take();
          this.#line(line, 0, line.length, isUtf8(line), frames);
        }
      } else {
        this.#line(bytes, start, end, this.#isUtf8Line(start, end), frames);
      }
      start = this.#afterLineEnd(bytes, end);
    }
    // A frame still open keeps its first data line, and the id stays in force: copy them out.
    if (this.#data === bytes) {
      this.#data = copyOf(bytes, this.#dataStart, this.#dataEnd);
      this.#dataEnd -= this.#dataStart;
      this.#dataStart = 0;
    }
    if (this.#idBytes === bytes) {
      this.#idBytes = copyOf(bytes, this.#idStart, this.#idEnd);
      this.#idEnd -= this.#idStart;
      this.#idStart = 0;
    }
    this.#chunk = EMPTY;
    return frames;
  }

  /**
   * Whether the line `[start, end)` of the current chunk is valid UTF-8. Checked once per chunk,
   * from the first line that starts in it (the first call) through its last line end: a character
   * split across chunks belongs to a partial line, which is checked on its own.
   */
  #isUtf8Line(start: number, end: number): boolean {
    if (this.#utf8Through === -1) {
      const bytes = this.#chunk;
      const last = Math.max(bytes.lastIndexOf(LF), bytes.lastIndexOf(CR));
      this.#utf8Through = isUtf8(bytes.subarray(start, last + 1)) ? last + 1 : 0;
    }
    return end < this.#utf8Through;
  }

  /** Where the next line starts after the line end at `end` (CR, LF, or CR LF across chunks). */
  #afterLineEnd(bytes: Buffer, end: number): number {
    const next = end + 1;
    if (bytes[end] !== CR) return next;
    if (next >= bytes.length) {
      this.#skipLeadingLf = true;
      return next;
    }
    return bytes[next] === LF ? next + 1 : next;
  }

  #keepPartial(bytes: Buffer, start: number): void {
    if (start >= bytes.length) return;
    if (this.#partial.length + bytes.length - start > this.#maxFrameBytes) {
      this.#lineTooLarge(bytes, start, bytes.length);
      this.#discardingLine = true;
      return;
    }
    this.#partial.append(bytes, start, bytes.length);
  }

  /**
   * A line (its start held in #partial, its rest at `bytes[start, end)`) is over the limit: it is
   * dropped, and what it was decides what else goes (the frame, for `data:`, `event:` or `id:`).
   */
  #lineTooLarge(bytes: Buffer, start: number, end: number): void {
    const head = this.#partial.head(FIELD_NAME_BYTES);
    const name = Buffer.concat([head, bytes.subarray(start, Math.min(end, start + FIELD_NAME_BYTES))]);
    this.#partial.discard();
    if (startsWith(name, 0, name.length, DATA_FIELD)) {
      this.#frameHasData = true;
      this.#skipFrame();
    } else if (startsWith(name, 0, name.length, EVENT_FIELD)) {
      this.#skipFrame();
    } else if (startsWith(name, 0, name.length, ID_FIELD)) {
      this.#clearId();
      this.#skipFrame();
    }
    // Comments, unknown fields and `retry:` are ignored at any size.
  }

  /** The frame being read is over the limit: let go of its data, and count it at its end. */
  #skipFrame(): void {
    this.#frameTooLarge = true;
    this.#data = undefined;
    this.#moreData = undefined;
    this.#dataBytes = 0;
  }

  #clearId(): void {
    this.#idBytes = EMPTY;
    this.#idStart = 0;
    this.#idEnd = 0;
  }

  #line(bytes: Buffer, start: number, end: number, utf8: boolean, frames: SseFrame[]): void {
    if (start === end) {
      this.#dispatch(frames);
      return;
    }
    if (end - start > this.#maxFrameBytes) {
      // One read held a whole line over the limit: it goes as if it had arrived in pieces.
      this.#lineTooLarge(bytes, start, end);
      return;
    }
    if (bytes[start] === COLON) return; // a comment, e.g. the heartbeat
    let colon = start;
    while (colon < end && bytes[colon] !== COLON) colon += 1;
    let value = colon + 1;
    if (value < end && bytes[value] === SPACE) value += 1;
    if (value > end) value = end;
    const nameLength = colon - start;
    if (nameLength === 4 && startsWith(bytes, start, colon, DATA)) {
      this.#addData(bytes, value, end, utf8);
    } else if (nameLength === 5 && startsWith(bytes, start, colon, EVENT)) {
      this.#event = utf8Text(bytes, value, end);
    } else if (nameLength === 2 && startsWith(bytes, start, colon, ID)) {
      if (!hasNul(bytes, value, end)) {
        this.#idBytes = bytes;
        this.#idStart = value;
        this.#idEnd = end;
      }
    } else if (nameLength === 5 && startsWith(bytes, start, colon, RETRY)) {
      if (value < end && allDigits(bytes, value, end)) this.retryMs = Number(utf8Text(bytes, value, end));
    }
    // Unknown fields are ignored, as the standard says.
  }

  #addData(bytes: Buffer, start: number, end: number, utf8: boolean): void {
    this.#frameHasData = true;
    if (this.#frameTooLarge) return;
    this.#dataBytes += end - start + 1;
    if (this.#dataBytes > this.#maxFrameBytes) {
      this.#skipFrame();
      return;
    }
    if (this.#data === undefined) {
      this.#data = bytes;
      this.#dataStart = start;
      this.#dataEnd = end;
      this.#dataUtf8 = utf8;
      return;
    }
    if (this.#moreData === undefined) {
      this.#moreData = new ByteBuilder();
      this.#moreData.append(this.#data, this.#dataStart, this.#dataEnd);
    }
    this.#moreData.append(LF_BYTES, 0, 1);
    this.#moreData.append(bytes, start, end);
  }

  #dispatch(frames: SseFrame[]): void {
    const event = this.#event === '' ? 'message' : this.#event;
    this.#event = '';
    if (this.#frameTooLarge) {
      if (this.#frameHasData) this.tooLarge += 1;
      this.#frameTooLarge = false;
      this.#frameHasData = false;
      return;
    }
    this.#frameHasData = false;
    const first = this.#data;
    if (first === undefined) return;
    const more = this.#moreData;
    this.#data = undefined;
    this.#moreData = undefined;
    this.#dataBytes = 0;
    const idBytes = this.#idBytes;
    if (more === undefined) {
      frames.push(
        new SseFrame(
          event,
          first,
          this.#dataStart,
          this.#dataEnd,
          this.#dataUtf8,
          idBytes,
          this.#idStart,
          this.#idEnd,
        ),
      );
      return;
    }
    const data = more.take();
    // Lines joined by LF: never written out as they are.
    frames.push(new SseFrame(event, data, 0, data.length, false, idBytes, this.#idStart, this.#idEnd));
  }
}

const LF_BYTES = Buffer.from([LF]);
/** Enough of a line's start to tell its field: `event:` is the longest name that matters. */
const FIELD_NAME_BYTES = 6;
const DATA_FIELD = [...DATA, COLON];
const EVENT_FIELD = [...EVENT, COLON];
const ID_FIELD = [...ID, COLON];

/**
 * Bytes gathered from many pieces into one buffer that grows by doubling: a line or a frame that
 * arrives a byte at a time costs its size (twice at most), not an object per piece.
 */
class ByteBuilder {
  #buffer: Buffer = Buffer.alloc(0);
  length = 0;

  append(bytes: Buffer, start: number, end: number): void {
    const need = this.length + (end - start);
    if (need > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.#buffer.length * 2, 256));
      this.#buffer.copy(grown, 0, 0, this.length);
      this.#buffer = grown;
    }
    bytes.copy(this.#buffer, this.length, start, end);
    this.length = need;
  }

  /** Up to the first `n` bytes gathered (a view: read it before appending again). */
  head(n: number): Buffer {
    return this.#buffer.subarray(0, Math.min(n, this.length));
  }

  /** Forgets what was gathered, and lets go of a large buffer. */
  discard(): void {
    this.length = 0;
    if (this.#buffer.length > 64 * 1024) this.#buffer = Buffer.alloc(0);
  }

  /** The bytes gathered, as a buffer of their own; the builder starts empty again. */
  take(): Buffer {
    const taken = copyOf(this.#buffer, 0, this.length);
    this.length = 0;
    // A builder that grew for one huge line does not keep its memory for the rest of the stream.
    if (this.#buffer.length > 64 * 1024) this.#buffer = Buffer.alloc(0);
    return taken;
  }
}

/** A copy of `bytes[start, end)` (Buffer#slice would share the memory). */
function copyOf(bytes: Buffer, start: number, end: number): Buffer {
  const copy = Buffer.allocUnsafe(end - start);
  bytes.copy(copy, 0, start, end);
  return copy;
}

function startsWith(bytes: Uint8Array, start: number, end: number, prefix: readonly number[]): boolean {
  if (end - start < prefix.length) return false;
  for (let k = 0; k < prefix.length; k += 1) if (bytes[start + k] !== prefix[k]) return false;
  return true;
}

function hasNul(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (bytes[i] === 0) return true;
  return false;
}

function allDigits(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const c = bytes[i] as number;
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
