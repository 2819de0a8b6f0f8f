/**
 * Where a tail stands in the log, and the named steps that move it: the resume rules of
 * docs/tail.md ("Resume" and "Holes: gap, reset, history") in one place. The engine calls a step
 * when something happens (a batch was written out, the server said `gap` or `reset`, a connection
 * opened) and asks the position what the next connection sends and which history it fetches first.
 */
import type { EventRecord } from '../model/event-record.js';
import type { AnchorQuery, HistoryRange } from './source.js';

export interface PositionStart {
  /** Resume after this cursor on the first connection (a session's `lastCursor`). */
  resumeFrom?: string | undefined;
  /** Deliver matching history from this time (RFC 3339) first (`--since`). */
  since?: string | undefined;
  /**
   * Deliver the newest this many matching events first (`--tail N`), in the log's order; with
   * `since`, the newest this many of those from then on.
   */
  last?: number | undefined;
  /** Whether the source can fetch history (a `--url` stream cannot: its holes are reported). */
  hasHistory: boolean;
}

export class TailPosition {
  /** `Last-Event-ID` for the next connection: the cursor of the last event written out. */
  #cursor: string | undefined;
  /** `event_id` and `ts` of the last event written out: where a history walk resumes. */
  #lastEventId: string | undefined;
  #lastTs: string | undefined;
  /** History still to deliver before live events (`--since`, the anchor walk, a hole). */
  #pending: HistoryRange | undefined;
  /**
   * Where history would resume if a connection had to start without a cursor: after the last
   * event written out, or (before any) after the newest event at start, or from `--since`.
   */
  #catchUp: HistoryRange | undefined;
  /**
   * Before the first connection: find where "now" is (or the event before the newest `--tail N`),
   * so that a failure before any cursor loses nothing.
   */
  #needsAnchor: boolean;
  readonly #anchor: AnchorQuery;
  #connectedBefore = false;
  /** Whether any batch was written out. */
  #delivered = false;
  /** The hole since the last connection was already told (a reset with nothing to fill it). */
  #holeSaid = false;
  readonly #hasHistory: boolean;

  constructor(start: PositionStart) {
    this.#hasHistory = start.hasHistory;
    this.#cursor = start.resumeFrom || undefined;
    const last = start.last ?? 0;
    this.#anchor = { skip: last, from: start.since || undefined };
    this.#pending = start.since ? { kind: 'from', ts: start.since } : undefined;
    this.#catchUp = this.#pending;
    // `--since` alone starts from its time; `--tail N` (with or without it) from an event.
    this.#needsAnchor = !this.#cursor && start.hasHistory && (!start.since || last > 0);
  }

  get cursor(): string | undefined {
    return this.#cursor;
  }

  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  get lastTs(): string | undefined {
    return this.#lastTs;
  }

  /** History to deliver, oldest first, before the live events of the connection now opening. */
  get pending(): HistoryRange | undefined {
    return this.#pending;
  }

  /** Whether "now" must be found (the newest matching event) before the first connection. */
  get needsAnchor(): boolean {
    return this.#needsAnchor;
  }

  /** Which event to ask history for before the first connection: the newest, or the one before the last N. */
  get anchor(): AnchorQuery {
    return this.#anchor;
  }

  /**
   * "Now" (or the event before the newest N) was found: everything after that event is
   * delivered, even if the first connection fails. Undefined: no such event, so every matching
   * event (from `--since` on) is.
   */
  anchored(eventId: string | undefined): void {
    this.#pending = { kind: 'after', eventId, from: this.#anchor.from };
    this.#catchUp = this.#pending;
    this.#needsAnchor = false;
  }

  /**
   * A connection is about to open. Without a cursor the server starts at "now": what came since
   * the last event written out (or since the start) is fetched from history first.
   */
  opening(): void {
    if (!this.#cursor && this.#connectedBefore && !this.#pending && this.#hasHistory) {
      this.#pending = this.#catchUp;
    }
  }

  /**
   * The server accepted a connection (200 text/event-stream). True when it starts at "now" with
   * nothing to fill the time since the connection before it, not yet told: no event id to resume
   * from and no history (a `--url` stream whose connection ended before its first event id).
   */
  opened(): boolean {
    const blind =
      this.#connectedBefore && !this.#cursor && !this.#hasHistory && !this.#delivered && !this.#holeSaid;
    this.#connectedBefore = true;
    this.#holeSaid = false;
    return blind;
  }

  /**
   * A batch was written out: its cursor (when it has one) is where the next connection resumes,
   * and its last event is where a history walk would resume.
   */
  delivered(last: EventRecord | undefined, cursorAfter: string | undefined): void {
    this.#delivered = true;
    if (cursorAfter !== undefined) this.#cursor = cursorAfter;
    if (last === undefined) return;
    if (typeof last.event_id === 'string') {
      this.#lastEventId = last.event_id;
      this.#catchUp = { kind: 'after', eventId: last.event_id };
    }
    if (typeof last.ts === 'string') this.#lastTs = last.ts;
  }

  /** Frames that were dropped as already delivered moved the stream on: resume after them. */
  passed(cursor: string): void {
    this.#cursor = cursor;
  }

  /** The pending history has been delivered in full. */
  caughtUp(): void {
    this.#pending = undefined;
  }

  /**
   * `event: gap`: the server could not replay from our cursor. Returns the hole to fetch (after the
   * last event written out), or undefined when no event was written yet to resume the history from.
   */
  gap(): HistoryRange | undefined {
    if (!this.#hasHistory || !this.#lastEventId) return undefined;
    this.#pending = { kind: 'after', eventId: this.#lastEventId };
    return this.#pending;
  }

  /**
   * `event: reset`: the server does not know our cursor. It is dropped (the next connection
   * starts without one), and everything the new log received since our last event, and whatever
   * it holds from that event's time on, is fetched first. False when that cannot be done: no
   * history API, or no event written out yet.
   */
  reset(): boolean {
    this.#cursor = undefined;
    if (!this.#hasHistory || !this.#lastTs || !this.#lastEventId) {
      this.#holeSaid = true;
      return false;
    }
    // Event ids are minted in ingestion order, even by a new incarnation of the log.
    this.#pending = { kind: 'after', eventId: this.#lastEventId, orFromTs: this.#lastTs };
    this.#catchUp = this.#pending;
    return true;
  }
}
