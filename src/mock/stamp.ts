/**
 * What the service adds to an event when it receives it: an id and the times. Formatting a date
 * with `toISOString` was the dearest part of making a synthetic event; events come in order, so
 * the formatter keeps the text of the current second and only writes the milliseconds.
 */
import type { LogEvent } from '../model/event.js';
import { buildEvent, type EventInput } from './event-input.js';
import { UuidV7Factory } from './uuid-v7.js';

export class EventStamper {
  readonly #ids = new UuidV7Factory();
  readonly #iso = new IsoFormatter();

  /** RFC 3339 with milliseconds, UTC (api.md "The event"). */
  iso(ms: number): string {
    return this.#iso.format(ms);
  }

  id(ms: number): string {
    return this.#ids.next(ms);
  }

  /** A stored event of `org` for an ingested input received at `nowMs`. */
  stamp(input: EventInput, nowMs: number, bytesRaw: number, org: string): { event: LogEvent; tsMs: number } {
    const tsMs = input.tsMs ?? nowMs;
    const event = buildEvent({
      event_id: this.id(nowMs),
      ts: this.iso(tsMs),
      ingested_at: this.iso(nowMs),
      dataset: input.dataset,
      severity: input.severity,
      event: input.event,
      actor: input.actor,
      source: input.source,
      message: input.message,
      payload: input.payload,
      bytes_raw: bytesRaw,
      org,
    });
    return { event, tsMs };
  }
}

const ZERO = 0x30;

/** `Date#toISOString` for times in order: the `YYYY-MM-DDTHH:MM:SS.` of the last second is reused. */
class IsoFormatter {
  readonly #out = Buffer.alloc(24);
  #second = Number.NaN;
  #lastMs = Number.NaN;
  #last = '';

  format(ms: number): string {
    if (ms === this.#lastMs) return this.#last;
    const second = Math.floor(ms / 1000);
    if (second !== this.#second) {
      const text = new Date(ms).toISOString();
      // Years outside 0000–9999 have a longer form; leave those to Date.
      if (text.length !== 24) return text;
      this.#out.write(text, 0, 'latin1');
      this.#second = second;
    }
    const millis = ms - second * 1000;
    this.#out[20] = ZERO + Math.floor(millis / 100);
    this.#out[21] = ZERO + (Math.floor(millis / 10) % 10);
    this.#out[22] = ZERO + (millis % 10);
    this.#lastMs = ms;
    // One flat string: concatenating the parts would store a tree of string nodes per event.
    this.#last = this.#out.toString('latin1');
    return this.#last;
  }
}
