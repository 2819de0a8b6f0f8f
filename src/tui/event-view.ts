/**
 * The events the TUI holds and which of them are shown: a bounded buffer of everything received
 * (oldest evicted first), and the subsequence that passes the minimum severity and the refine
 * filter. Filters apply to the buffer when they change and to each event as it arrives, so a
 * refine never needs a reconnect.
 */

import { severityRank } from '../model/event.js';
import { type EventRecord, eventSeverity } from '../model/event-record.js';
import type { EventPredicate } from '../soql/index.js';
import { jsonText, type TailEvent } from '../tail/items.js';
import { RingBuffer } from './ring-buffer.js';

/**
 * One received event, numbered in arrival order. It keeps the event as the tail delivered it
 * (for a streamed event, the bytes of its JSON) and parses it again when it is read: the view
 * reads only the rows it draws, and holding ten thousand parsed events made the garbage collector
 * half of the view's CPU at 20,000 events/s (docs/performance.md, B3). Its display line is made
 * on first use and kept.
 */
export class BufferedEvent {
  /** The coloured display line, cached once formatted (the buffer bounds how many exist). */
  line?: string;
  /** The same line without colour, lower-cased, for search. */
  searchText?: string;
  /** The event's `event_id`: where it sits among events loaded from history. */
  id?: string;

  constructor(
    readonly seq: number,
    private readonly source: TailEvent,
    /** Severity rank 0‥5 (debug‥critical), -1 when the event has none the scale knows. */
    readonly rank: number,
    readonly receivedAtMs: number,
  ) {}

  /** The event as an object (parsed anew for a streamed event). */
  get event(): EventRecord {
    return this.source.event;
  }

  /** The event's JSON as the stream sent it; undefined for an event that came as an object. */
  get raw(): string | undefined {
    return this.source.raw === undefined ? undefined : jsonText(this.source.raw);
  }
}

/** Slots of a per-rank tally: unknown severity, then debug‥critical. */
export const RANK_SLOTS = 7;

export interface ViewFilter {
  /** Events below this severity rank are hidden; 0 shows everything, unknown severities too. */
  minRank: number;
  refine?: EventPredicate | undefined;
}

export class EventView {
  private readonly buffer: RingBuffer<BufferedEvent>;
  private readonly shown: RingBuffer<BufferedEvent>;
  private nextSeq = 0;
  private filter: ViewFilter = { minRank: 0 };
  /**
   * Events that left the buffer since the start: evicted to make room for newer ones, or cleared
   * (`c`). Not lost: the service's history has them, where there is one to load.
   */
  leftBuffer = 0;

  constructor(capacity: number) {
    this.buffer = new RingBuffer(capacity);
    this.shown = new RingBuffer(capacity);
  }

  get bufferedCount(): number {
    return this.buffer.size;
  }

  get shownCount(): number {
    return this.shown.size;
  }

  /**
   * Adds events in arrival order; returns how many of them pass the filter. `byRank[rank + 1]`
   * counts the events of each severity rank (slot 0: unknown severity); `evicted` receives the
   * shown events that left the buffer to make room.
   */
  append(events: readonly TailEvent[], nowMs: number, byRank?: number[], evicted?: BufferedEvent[]): number {
    let accepted = 0;
    for (const source of events) {
      // One parse for the severity, the id and the filters, let go at once.
      const event = source.event;
      const entry = new BufferedEvent(this.nextSeq++, source, rankOf(event), nowMs);
      if (typeof event.event_id === 'string') entry.id = event.event_id;
      if (byRank) byRank[entry.rank + 1]! += 1;
      const left = this.buffer.push(entry);
      if (left) {
        this.leftBuffer += 1;
        // `shown` is a subsequence of `buffer` in the same order: the oldest buffered event, if
        // shown, is the oldest shown one.
        if (this.shown.first() === left) {
          this.shown.shift();
          evicted?.push(left);
        }
      }
      if (this.passes(entry, event)) {
        this.shown.push(entry);
        accepted += 1;
      }
    }
    return accepted;
  }

  setFilter(filter: ViewFilter): void {
    this.filter = filter;
    this.shown.clear();
    for (const entry of this.buffer) if (this.passes(entry)) this.shown.push(entry);
  }

  getFilter(): ViewFilter {
    return this.filter;
  }

  /** Most events held (`--buffer`). */
  get capacity(): number {
    return this.buffer.capacity;
  }

  clear(): void {
    this.leftBuffer += this.buffer.size;
    this.buffer.clear();
    this.shown.clear();
  }

  /** The `event_id` of the oldest buffered event, shown or not: where history ends. */
  oldestId(): string | undefined {
    return this.buffer.first()?.id;
  }

  /** Every buffered event, shown or not, oldest first. */
  buffered(): IterableIterator<BufferedEvent> {
    return this.buffer[Symbol.iterator]();
  }

  /** The shown event at `index` (0 = oldest shown). */
  at(index: number): BufferedEvent | undefined {
    return this.shown.at(index);
  }

  /** Index of the first shown event whose seq is ≥ `seq` (shownCount when there is none). */
  indexAtOrAfter(seq: number): number {
    let low = 0;
    let high = this.shown.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.shown.at(middle)!.seq < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Shown events oldest first. */
  [Symbol.iterator](): IterableIterator<BufferedEvent> {
    return this.shown[Symbol.iterator]();
  }

  private passes(entry: BufferedEvent, event?: EventRecord): boolean {
    const { minRank, refine } = this.filter;
    if (minRank > 0 && entry.rank < minRank) return false;
    if (!refine) return true;
    try {
      return refine(event ?? entry.event);
    } catch {
      // A compiled filter never throws by contract; a hostile event must still not end the view.
      return false;
    }
  }
}

/** Severity rank 0‥5 of an event, -1 when it has none the scale knows. */
export function rankOf(event: EventRecord): number {
  const severity = eventSeverity(event);
  return severity === undefined ? -1 : severityRank(severity);
}
