/**
 * An incremental parser for `text/event-stream`, following the WHATWG "parse an event stream"
 * rules: lines end in CRLF, LF or CR (a CR at the end of one chunk waits for the next to know
 * whether an LF follows); one leading BOM is dropped; `field:value` loses one space after the
 * colon, `data` lines join with LF; `id` persists across frames that have none and an empty `id:`
 * clears it (an `id` containing NUL is ignored); `retry` takes ASCII digits only; a frame is
 * dispatched on an empty line and only if it had data; comments (`:heartbeat`) are ignored; a
 * frame left unterminated when the connection ends is never dispatched (the caller simply drops
 * the parser). One parser per connection: a reconnect starts a fresh one, so half a frame from a
 * dead connection is never spliced onto the next.
 *
 * Written here rather than taken from eventsource-parser 3: that version drops the id of a frame
 * without data and does not carry ids forward, and per-field callbacks cost a third of the tail's
 * throughput on a firehose (docs/tail.md, "How the tail reads the stream").
 */

/** One dispatched frame. */
export interface SseFrame {
  /** The `event:` name, `message` when the frame had none. */
  event: string;
  data: string;
  /** The last event id in force at dispatch (persisting from earlier frames); `''` when none. */
  id: string;
}

/** A frame (or a partial line) grew past the buffer limit: treat the connection as broken. */
export class SseFrameTooLargeError extends Error {
  constructor(limit: number) {
    super(`an event-stream frame exceeded ${limit} characters`);
    this.name = 'SseFrameTooLargeError';
  }
}

export interface SseParserOptions {
  /** Largest frame (data plus the pending line) held in memory, in UTF-16 code units. */
  maxFrameChars?: number;
  /** The id in force before the first frame (a resumed connection knows its cursor). */
  initialId?: string;
}

/** 8 Mi characters: far above any sane event, small enough that a torn stream cannot eat the heap. */
export const DEFAULT_MAX_FRAME_CHARS = 8 * 1024 * 1024;

const LF = 10;
const CR = 13;

export class SseParser {
  readonly #maxFrameChars: number;
  /** Text of an unfinished line carried from the previous chunk. */
  #partial = '';
  #data: string[] = [];
  #dataChars = 0;
  #event = '';
  #id: string;
  /** The previous chunk ended in CR: an LF at the start of the next one belongs to it. */
  #skipLeadingLf = false;
  #sawFirstChunk = false;
  /** The latest valid `retry:` value, in ms. */
  retryMs: number | undefined;

  constructor(options: SseParserOptions = {}) {
    this.#maxFrameChars = options.maxFrameChars ?? DEFAULT_MAX_FRAME_CHARS;
    this.#id = options.initialId ?? '';
  }

  /** The last event id buffer (what a browser would send as `Last-Event-ID`). */
  get lastEventId(): string {
    return this.#id;
  }

  /**
   * Feeds decoded text (decode with one streaming TextDecoder per connection so that a character
   * split across chunks survives) and returns the frames it completed, in order.
   * Throws SseFrameTooLargeError when a frame outgrows the limit.
   */
  feed(text: string): SseFrame[] {
    const frames: SseFrame[] = [];
    let start = 0;
    if (!this.#sawFirstChunk && text.length > 0) {
      this.#sawFirstChunk = true;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.#skipLeadingLf && start < text.length) {
      this.#skipLeadingLf = false;
      if (text.charCodeAt(start) === LF) start += 1;
    }
    const length = text.length;
    let nextLf = text.indexOf('\n', start);
    let nextCr = text.indexOf('\r', start);
    while (start < length) {
      if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf('\n', start);
      if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
      let end: number;
      if (nextCr === -1) end = nextLf;
      else if (nextLf === -1) end = nextCr;
      else end = nextLf < nextCr ? nextLf : nextCr;
      if (end === -1) {
        this.#partial += text.slice(start);
        this.#checkSize();
        return frames;
      }
      let line = text.slice(start, end);
      if (this.#partial !== '') {
        line = this.#partial + line;
        this.#partial = '';
      }
      start = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (start < length) {
          if (text.charCodeAt(start) === LF) start += 1;
        } else {
          this.#skipLeadingLf = true;
        }
      }
      this.#line(line, frames);
    }
    return frames;
  }

  #line(line: string, frames: SseFrame[]): void {
    if (line === '') {
      this.#dispatch(frames);
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return; // a comment, e.g. the heartbeat
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.#data.push(value);
        this.#dataChars += value.length + 1;
        this.#checkSize();
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the standard says.
    }
  }

  #dispatch(frames: SseFrame[]): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#dataChars = 0;
    this.#event = '';
    if (data.length === 0) return;
    frames.push({
      event: event === '' ? 'message' : event,
      data: data.length === 1 ? (data[0] as string) : data.join('\n'),
      id: this.#id,
    });
  }

  #checkSize(): void {
    if (this.#partial.length + this.#dataChars > this.#maxFrameChars) {
      throw new SseFrameTooLargeError(this.#maxFrameChars);
    }
  }
}
