/**
 * An event as a stream delivered it: the bytes of its JSON, already checked, parsed only when
 * something reads it. NDJSON output writes the bytes and never parses; pretty lines and the TUI
 * parse once, on first read.
 */
import type { EventRecord } from '../output/fields.js';
import type { JsonBytes, TailEvent } from './items.js';
import type { SseFrame } from './sse-parser.js';

export class StreamedEvent implements TailEvent, JsonBytes {
  readonly #frame: SseFrame;
  readonly #display: ((record: EventRecord) => EventRecord) | undefined;
  #record: EventRecord | undefined;
  #shown: EventRecord | undefined;

  constructor(
    /** A frame whose data is a JSON object, checked. */
    frame: SseFrame,
    /** For another stream's shape: the record as renderers show it (common field names). */
    display?: ((record: EventRecord) => EventRecord) | undefined,
  ) {
    this.#frame = frame;
    this.#display = display;
  }

  get bytes(): Uint8Array {
    return this.#frame.bytes;
  }

  get start(): number {
    return this.#frame.start;
  }

  get end(): number {
    return this.#frame.end;
  }

  /** The JSON as it arrived. */
  get raw(): JsonBytes {
    return this.#frame;
  }

  /** The SSE id of this event, when the stream sent one. */
  get cursor(): string | undefined {
    return this.#frame.hasId ? this.#frame.id : undefined;
  }

  /** The record as the stream sent it. */
  get record(): EventRecord {
    this.#record ??= JSON.parse(this.#frame.data) as EventRecord;
    return this.#record;
  }

  /** The record as renderers show it. */
  get event(): EventRecord {
    if (this.#display === undefined) return this.record;
    this.#shown ??= this.#display(this.record);
    return this.#shown;
  }
}
