/**
 * The service's append-only event log. Sequence numbers are the tail cursors (api.md "Live tail").
 *
 * Events live in fixed-size chunks so that millions of them cost one array slot each, a used-up
 * chunk is dropped whole, and a query with `from`/`to` skips whole chunks by their min/max `ts`
 * instead of looking at every event (B6 pages through 1M events). `--retain N` keeps exactly N
 * events: the oldest are emptied one by one.
 */
import type { LogEvent } from '../model/event.js';
import { orgOf } from './event-org.js';

const CHUNK_SIZE = 16_384;

interface Chunk {
  startSeq: number;
  /**
   * One slot per sequence number from `startSeq`. An empty slot is a number that names no event:
   * a line that could not be read at load, a write that failed, or an event already trimmed.
   */
  events: (LogEvent | undefined)[];
  tsMs: Float64Array;
  minTs: number;
  maxTs: number;
}

export interface ScanRange {
  /** First sequence number to look at (inclusive). */
  startSeq: number;
  /** Last sequence number to look at (inclusive). */
  endSeq: number;
  descending?: boolean;
  /** Only events with `fromMs <= ts < toMs` are visited (api.md: from inclusive, to exclusive). */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  /**
   * Only this org's events are visited and counted; the others are stepped over as if absent
   * (docs/api.md: every read is scoped to the token's org). `null` visits every org's events:
   * only the mock's own operator (the admin routes) reads across orgs.
   */
  org: string | null;
}

/** Called for each event in range; returning false stops the scan. */
export type ScanVisitor = (event: LogEvent, seq: number) => boolean;

export class EventLog {
  /** The first sequence number this log ever issued: its identity across persisted restarts. */
  readonly originSeq: number;
  readonly #retain: number;
  readonly #chunks: Chunk[] = [];
  /** Slots of the oldest chunk already trimmed (or empty): the log starts after them. */
  #trimmed = 0;
  #head: number;
  /** The newest sequence number handed out by `reserve()`, written or not. */
  #reserved: number;
  #size = 0;
  readonly #appendListeners: ((event: LogEvent, seq: number) => void)[] = [];
  readonly #trimListeners: ((events: readonly LogEvent[]) => void)[] = [];

  constructor(originSeq: number, retainEvents: number) {
    if (!Number.isSafeInteger(originSeq) || originSeq < 1)
      throw new RangeError(`bad origin seq ${originSeq}`);
    this.originSeq = originSeq;
    this.#head = originSeq - 1;
    this.#reserved = this.#head;
    this.#retain = Math.max(1, retainEvents);
  }

  /** The newest sequence number; `originSeq - 1` while the log is empty. */
  get headSeq(): number {
    return this.#head;
  }

  /** The oldest sequence number still held (it may name no event: a hole). */
  get firstSeq(): number {
    const oldest = this.#chunks[0];
    return oldest ? oldest.startSeq + this.#trimmed : this.#head + 1;
  }

  get size(): number {
    return this.#size;
  }

  /** True when this log could have issued `seq` as a cursor (the empty position included). */
  issued(seq: number): boolean {
    return Number.isSafeInteger(seq) && seq >= this.originSeq - 1 && seq <= this.#head;
  }

  onAppend(listener: (event: LogEvent, seq: number) => void): void {
    this.#appendListeners.push(listener);
  }

  onTrim(listener: (events: readonly LogEvent[]) => void): void {
    this.#trimListeners.push(listener);
  }

  /** Appends an event whose `ts` is `tsMs`; returns its sequence number. */
  append(event: LogEvent, tsMs: number): number {
    return this.appendAt(this.reserve(), event, tsMs);
  }

  /**
   * Hands out the next sequence number without storing anything yet: with --data an event gets its
   * number when it is accepted and joins the log (`appendAt`) only once its line is written. A
   * number whose write failed is never used: a hole, as for a lost line at load.
   */
  reserve(): number {
    this.#reserved = Math.max(this.#reserved, this.#head) + 1;
    return this.#reserved;
  }

  /**
   * Appends an event under `seq`, which may be beyond the next number: a reloaded data file can
   * lack lines (one torn or unreadable), a write can fail, and the events after the hole keep
   * their cursors. The numbers in the hole name no event; scans step over them.
   */
  appendAt(seq: number, event: LogEvent, tsMs: number): number {
    if (!Number.isSafeInteger(seq) || seq <= this.#head)
      throw new RangeError(`seq ${seq} is not after the head`);
    let chunk = this.#chunks.at(-1);
    if (chunk && seq - chunk.startSeq >= CHUNK_SIZE) {
      // A hole too wide for this chunk: it ends here, keeping only the timestamps it holds.
      if (chunk.events.length < CHUNK_SIZE) chunk.tsMs = chunk.tsMs.slice(0, chunk.events.length);
      chunk = undefined;
    }
    if (!chunk) {
      chunk = { startSeq: seq, events: [], tsMs: new Float64Array(CHUNK_SIZE), minTs: tsMs, maxTs: tsMs };
      this.#chunks.push(chunk);
    }
    const slot = seq - chunk.startSeq;
    while (chunk.events.length < slot) chunk.events.push(undefined);
    chunk.tsMs[slot] = tsMs;
    chunk.events.push(event);
    if (tsMs < chunk.minTs) chunk.minTs = tsMs;
    if (tsMs > chunk.maxTs) chunk.maxTs = tsMs;
    this.#head = seq;
    if (seq > this.#reserved) this.#reserved = seq;
    this.#size += 1;
    for (const listener of this.#appendListeners) listener(event, seq);
    if (this.#size > this.#retain) this.#trim();
    return seq;
  }

  get(seq: number): LogEvent | undefined {
    if (seq < this.firstSeq || seq > this.#head) return undefined;
    const chunk = this.#chunks[this.#chunkIndex(seq)];
    return chunk?.events[seq - chunk.startSeq];
  }

  /** Visits events in a sequence range, oldest or newest first; returns how many it looked at. */
  scan(range: ScanRange, visit: ScanVisitor): number {
    const start = Math.max(range.startSeq, this.firstSeq);
    const end = Math.min(range.endSeq, this.#head);
    if (!(start <= end)) return 0;
    return range.descending
      ? this.#scanDown(start, end, range, visit)
      : this.#scanUp(start, end, range, visit);
  }

  #scanUp(start: number, end: number, range: ScanRange, visit: ScanVisitor): number {
    const fromMs = range.fromMs ?? Number.NEGATIVE_INFINITY;
    const toMs = range.toMs ?? Number.POSITIVE_INFINITY;
    const { org } = range;
    let scanned = 0;
    for (let c = this.#chunkIndex(start); c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c]!;
      if (chunk.startSeq > end) break;
      if (chunk.maxTs < fromMs || chunk.minTs >= toMs) continue;
      const last = Math.min(chunk.events.length - 1, end - chunk.startSeq);
      for (let i = Math.max(0, start - chunk.startSeq); i <= last; i++) {
        const event = chunk.events[i];
        if (event === undefined || (org !== null && orgOf(event) !== org)) continue;
        scanned += 1;
        const ts = chunk.tsMs[i]!;
        if (ts < fromMs || ts >= toMs) continue;
        if (!visit(event, chunk.startSeq + i)) return scanned;
      }
    }
    return scanned;
  }

  #scanDown(start: number, end: number, range: ScanRange, visit: ScanVisitor): number {
    const fromMs = range.fromMs ?? Number.NEGATIVE_INFINITY;
    const toMs = range.toMs ?? Number.POSITIVE_INFINITY;
    const { org } = range;
    let scanned = 0;
    for (let c = this.#chunkIndex(end); c >= 0; c--) {
      const chunk = this.#chunks[c]!;
      if (chunk.startSeq + chunk.events.length - 1 < start) break;
      if (chunk.maxTs < fromMs || chunk.minTs >= toMs) continue;
      const first = Math.max(0, start - chunk.startSeq);
      for (let i = Math.min(chunk.events.length - 1, end - chunk.startSeq); i >= first; i--) {
        const event = chunk.events[i];
        if (event === undefined || (org !== null && orgOf(event) !== org)) continue;
        scanned += 1;
        const ts = chunk.tsMs[i]!;
        if (ts < fromMs || ts >= toMs) continue;
        if (!visit(event, chunk.startSeq + i)) return scanned;
      }
    }
    return scanned;
  }

  /** The index of the chunk holding `seq`, or of the last chunk before it (`seq` in a hole). */
  #chunkIndex(seq: number): number {
    const chunks = this.#chunks;
    const first = chunks[0];
    if (!first) return 0;
    // Without wide holes every chunk but the newest is full and the index is arithmetic; check that guess.
    const guess = Math.max(0, Math.min(chunks.length - 1, Math.floor((seq - first.startSeq) / CHUNK_SIZE)));
    const next = chunks[guess + 1];
    if (chunks[guess]!.startSeq <= seq && (next === undefined || next.startSeq > seq)) return guess;
    let low = 0;
    let high = chunks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (chunks[mid]!.startSeq <= seq) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /**
   * Drops the oldest events until `retain` are left: exactly that many, not a chunk at a time.
   * A dropped slot is emptied at once, so its event is freed; a chunk goes when it is used up.
   */
  #trim(): void {
    const dropped: LogEvent[] = [];
    while (this.#size > this.#retain) {
      const oldest = this.#chunks[0]!;
      const event = oldest.events[this.#trimmed];
      if (event !== undefined) {
        oldest.events[this.#trimmed] = undefined;
        dropped.push(event);
        this.#size -= 1;
      }
      this.#trimmed += 1;
      if (this.#trimmed >= oldest.events.length && this.#chunks.length > 1) {
        this.#chunks.shift();
        this.#trimmed = 0;
      }
    }
    for (const listener of this.#trimListeners) listener(dropped);
  }
}
