/**
 * An event as a stream delivered it: the bytes of its JSON, already checked, parsed only when
 * something reads it. NDJSON output writes the bytes and never parses. The parse is not kept:
 * a line output reads each event once and lets it go at once, so a busy tail's garbage dies
 * young instead of being copied by every scavenge while its batch is written (B2 spent a
 * quarter of its time in GC); a consumer that holds events (the TUI) keeps what it read.
 */
import type { EventRecord } from '../model/event-record.js';
import type { JsonBytes, TailEvent } from './items.js';
import type { SseFrame } from './sse-parser.js';

export class StreamedEvent implements TailEvent {
  readonly #frame: SseFrame;
  readonly #display: ((record: EventRecord) => EventRecord) | undefined;

  constructor(
    /** A frame whose data is a JSON object, checked. */
    frame: SseFrame,
    /** For another stream's shape: the record as renderers show it (common field names). */
    display?: ((record: EventRecord) => EventRecord) | undefined,
  ) {
    this.#frame = frame;
    this.#display = display;
  }

  /** The JSON as it arrived. */
  get raw(): JsonBytes {
    return this.#frame;
  }

  /** The SSE id of this event, when the stream sent one. */
  get cursor(): string | undefined {
    return this.#frame.hasId ? this.#frame.id : undefined;
  }

  /** The record as the stream sent it, parsed anew on each read. */
  get record(): EventRecord {
    return JSON.parse(this.#frame.data) as EventRecord;
  }

  /** The record as renderers show it, made anew on each read. */
  get event(): EventRecord {
    return this.#display === undefined ? this.record : this.#display(this.record);
  }
}
