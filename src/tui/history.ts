/**
 * The view's past beyond its buffer: matching events loaded from the service's history a page at
 * a time, as the user scrolls to them, and let go again when they are far out of sight.
 *
 * The loaded history is one run of events without a hole, oldest first, above the live buffer
 * (or, in the query view, the whole list). Above it, older events may still be loaded; below it,
 * the run either joins the live buffer (or the end of the result), or a stretch in between was
 * let go and is loaded again when scrolled to. Events are placed by `event_id`, which the service
 * mints in the order it stores events (docs/api.md), so a page asked for as "older than X" or
 * "newer than Y" fits exactly, and anything out of place is dropped rather than shown twice.
 */
import type { EventRecord } from '../model/event-record.js';
import { BufferedEvent } from './event-view.js';

/** A page of history asked for: events strictly older or newer than a known event. */
export interface HistoryPageRequest {
  direction: 'older' | 'newer';
  /**
   * Older: events with an id below this one (at or below, with `inclusive`), newest first.
   * Newer: events with an id above this one, oldest first. Undefined: from the newest (older) or
   * from the start of the result (newer).
   */
  from?: string | undefined;
  inclusive?: boolean | undefined;
  /** Newer: events with an id below this one only (the live buffer's oldest event). */
  until?: string | undefined;
  /** The view's own filter on top of the tail's (refine, minimum severity), as SOQL; '' for none. */
  filter: string;
  limit: number;
}

/** One page of history: the events in the order asked for (newest first for `older`). */
export interface HistoryPage {
  events: EventRecord[];
  /** The service has more beyond this page (its `next_cursor`). */
  more: boolean;
}

/** Fetches one page of history. */
export type FetchHistory = (request: HistoryPageRequest, signal: AbortSignal) => Promise<HistoryPage>;

/** What lies beyond one end of the loaded history. */
export type HistoryEdge =
  | { kind: 'more' }
  | { kind: 'loading' }
  /** Nothing: the start of the history (older), or the live buffer or the result's end (newer). */
  | { kind: 'none' }
  | { kind: 'failed'; message: string };

/** Events asked for in one page: a few screens, quick to answer. */
export const HISTORY_PAGE_SIZE = 200;

/**
 * Where a page request came from, so that its answer can place the cursor: a step onto the
 * placeholder (the cursor goes to the event next to it), `g` (the oldest loaded), a jump to the
 * newest (the newest, at the bottom), or a new filter (the cursor stays where it was).
 */
export type LoadIntent = 'step' | 'top' | 'end' | 'around';

export interface PendingLoad {
  request: HistoryPageRequest;
  generation: number;
  intent: LoadIntent;
}

const MORE: HistoryEdge = { kind: 'more' };
const NONE: HistoryEdge = { kind: 'none' };

export class HistoryWindow {
  /** Loaded events, oldest first, without a hole between them. */
  events: BufferedEvent[] = [];
  older: HistoryEdge = MORE;
  newer: HistoryEdge = NONE;
  /** Bumped whenever the window starts over: answers to older requests are then ignored. */
  generation = 0;
  #nextSeq = -1;

  constructor(
    /** Most events held; beyond it the end farther from the cursor is let go. */
    readonly capacity: number,
    readonly pageSize = HISTORY_PAGE_SIZE,
  ) {}

  /** Lets everything go: history is loaded again from the live buffer's edge when scrolled to. */
  reset(older: HistoryEdge = MORE, newer: HistoryEdge = NONE): void {
    this.events = [];
    this.older = older;
    this.newer = newer;
    this.generation += 1;
  }

  /** The request that loads the next older page, or undefined when none is due. */
  olderRequest(
    filter: string,
    liveOldestId: string | undefined,
    around?: string,
  ): HistoryPageRequest | undefined {
    if (this.older.kind !== 'more' && this.older.kind !== 'failed') return undefined;
    const first = this.events[0];
    if (first) return { direction: 'older', from: first.id, filter, limit: this.pageSize };
    if (around !== undefined)
      return { direction: 'older', from: around, inclusive: true, filter, limit: this.pageSize };
    return { direction: 'older', from: liveOldestId, filter, limit: this.pageSize };
  }

  /** The request that loads the next newer page into the stretch below, or undefined. */
  newerRequest(filter: string, liveOldestId: string | undefined): HistoryPageRequest | undefined {
    if (this.newer.kind !== 'more' && this.newer.kind !== 'failed') return undefined;
    return {
      direction: 'newer',
      from: this.events.at(-1)?.id,
      until: liveOldestId,
      filter,
      limit: this.pageSize,
    };
  }

  /** Marks a direction as loading (its placeholder row says so). */
  loading(direction: HistoryPageRequest['direction']): void {
    if (direction === 'older') this.older = { kind: 'loading' };
    else this.newer = { kind: 'loading' };
  }

  failed(direction: HistoryPageRequest['direction'], message: string): void {
    const edge: HistoryEdge = { kind: 'failed', message };
    if (direction === 'older') this.older = edge;
    else this.newer = edge;
  }

  /**
   * Places a page: events not strictly beyond the loaded ones (or beyond the bounds asked for),
   * without an `event_id`, or already held (`held`: ids in the live buffer) are dropped. Returns
   * the events placed, oldest first.
   */
  place(
    request: HistoryPageRequest,
    answer: HistoryPage,
    nowMs: number,
    held: ReadonlySet<string>,
    rankOf: (event: EventRecord) => number,
  ): BufferedEvent[] {
    // An empty page ends the way whatever it says: there is nothing to load again from.
    const more = answer.more && answer.events.length > 0;
    const page: Array<{ id: string; event: EventRecord }> = [];
    for (const event of answer.events.slice(0, request.limit)) {
      const id = event.event_id;
      if (typeof id !== 'string' || held.has(id)) continue;
      if (!this.#fits(request, id)) continue;
      page.push({ id, event });
    }
    page.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const unique = page.filter((item, index) => index === 0 || item.id !== page[index - 1]!.id);
    const placed = unique.map(({ id, event }) => {
      const entry = new BufferedEvent(this.#nextSeq--, { event }, rankOf(event), nowMs);
      entry.id = id;
      return entry;
    });
    if (request.direction === 'older') {
      this.events = [...placed, ...this.events];
      this.older = more ? MORE : NONE;
      // A reload around an event leaves the stretch up to the live buffer to be loaded again.
      if (request.inclusive) this.newer = MORE;
    } else {
      this.events = [...this.events, ...placed];
      this.newer = more ? MORE : NONE;
    }
    return placed;
  }

  /**
   * Lets go of events beyond the capacity at the end farther from `cursor` (an index into
   * `events`, or -1 when the cursor is below them, in the live buffer), a page at a time.
   */
  trim(cursor: number): void {
    const excess = this.events.length - this.capacity;
    if (excess <= 0) return;
    // A page or more at once, so that a steady stream of evictions does not trim every time.
    const cut = Math.min(this.events.length, Math.max(excess, this.pageSize));
    if (cursor >= 0 && cursor < this.events.length / 2) {
      this.events = this.events.slice(0, this.events.length - cut);
      this.newer = MORE;
    } else {
      this.events = this.events.slice(cut);
      this.older = MORE;
    }
  }

  /**
   * Events that left the live buffer, joined below the loaded history when nothing lies between.
   * One that would not sort after the history (no id, or an id not above it: the live stream is
   * in the log's order, a backfill may not be) is left out rather than out of place; it can be
   * loaded again from the service.
   */
  joinEvicted(entries: readonly BufferedEvent[]): void {
    if (this.newer.kind !== 'none' || entries.length === 0) return;
    if (this.events.length === 0 && this.older.kind === 'more') return;
    let last = this.events.at(-1)?.id;
    for (const entry of entries) {
      if (entry.id === undefined || (last !== undefined && entry.id <= last)) continue;
      this.events.push(entry);
      last = entry.id;
    }
  }

  /** Index of the last event with an id at or below `id`; -1 when there is none. */
  indexAtOrBefore(id: string): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.events[middle]!.id! <= id) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  #fits(request: HistoryPageRequest, id: string): boolean {
    if (request.direction === 'older') {
      const first = this.events[0]?.id;
      if (first !== undefined && id >= first) return false;
      if (request.from !== undefined && (request.inclusive ? id > request.from : id >= request.from))
        return false;
      return true;
    }
    const last = this.events.at(-1)?.id;
    if (last !== undefined && id <= last) return false;
    if (request.from !== undefined && id <= request.from) return false;
    if (request.until !== undefined && id >= request.until) return false;
    return true;
  }
}
