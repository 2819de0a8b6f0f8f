/**
 * What the service adds to an event when it receives it: an id and the times. Formatting a date is
 * the dearest part of making a synthetic event, and thousands share one millisecond, so the last
 * rendering is reused.
 */
import type { LogEvent } from '../model/event.js';
import { buildEvent, type EventInput } from './event-input.js';
import { UuidV7Factory } from './uuid-v7.js';

export class EventStamper {
  readonly #ids = new UuidV7Factory();
  #cachedMs = Number.NaN;
  #cachedIso = '';

  /** RFC 3339 with milliseconds, UTC (api.md "The event"). */
  iso(ms: number): string {
    if (ms !== this.#cachedMs) {
      this.#cachedMs = ms;
      this.#cachedIso = new Date(ms).toISOString();
    }
    return this.#cachedIso;
  }

  id(ms: number): string {
    return this.#ids.next(ms);
  }

  /** A stored event for an ingested input received at `nowMs`. */
  stamp(input: EventInput, nowMs: number, bytesRaw: number): { event: LogEvent; tsMs: number } {
    const tsMs = input.tsMs ?? nowMs;
    const event = buildEvent({
      event_id: this.id(nowMs),
      ts: input.tsMs === undefined ? this.iso(nowMs) : new Date(tsMs).toISOString(),
      ingested_at: this.iso(nowMs),
      dataset: input.dataset,
      severity: input.severity,
      event: input.event,
      actor: input.actor,
      source: input.source,
      message: input.message,
      payload: input.payload,
      bytes_raw: bytesRaw,
    });
    return { event, tsMs };
  }
}
