/**
 * The live tail engine: one async iterable of TailItem that never silently loses an event. It
 * runs connections one after another; what their bytes mean is the frame decoder's
 * (src/tail/frame-decoder.ts), where the tail stands in the log is the position's
 * (src/tail/position.ts), how long to wait between connections the backoff's (src/tail/backoff.ts).
 *
 * - Resume: every reconnect sends `Last-Event-ID` = the cursor of the last event the consumer
 *   took. Taking the next item confirms the previous batch was written out, so a batch the
 *   consumer never finished is never skipped.
 * - Watchdog: no byte for `heartbeatTimeoutMs` aborts the connection with StaleConnectionError,
 *   then the tail resumes. It is paused while the consumer writes, so a slow pipe is not a dead
 *   server.
 * - Gapless: holes (`event: gap`, `event: reset`, a reconnect that had no cursor yet) are filled
 *   from the source's history, and events seen twice are dropped by `event_id`; a hole that cannot
 *   be filled is reported as a `missing` item naming the range.
 * docs/tail.md describes the behaviour for users.
 */
import { abortableSleep } from '../api/retry.js';
import { ApiError, SotailError } from '../errors.js';
import type { EventRecord } from '../model/event-record.js';
import { formatByteSize } from '../util/bytes.js';
import { ReconnectBackoff } from './backoff.js';
import { ConnectionScope } from './connection-scope.js';
import { classifyFailure, DONE, isTransient, type Outcome } from './failures.js';
import {
  type ControlMeaning,
  type DecodedPiece,
  type FrameDecoderFactory,
  sseFrameDecoder,
} from './frame-decoder.js';
import type { TailCounters, TailEvent, TailItem, TailLink } from './items.js';
import { TailPosition } from './position.js';
import { RecentIds } from './recent-ids.js';
import type { HistoryRange, OpenedStream, TailSource } from './source.js';
import { DEFAULT_MAX_FRAME_BYTES } from './sse-parser.js';

/** Twice the server's 15 s heartbeat plus margin. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 35_000;
/** A connection that stayed up this long was healthy, even if its filter matched nothing. */
const HEALTHY_CONNECTION_MS = 10_000;

export interface TailOptions {
  source: TailSource;
  /** Ends the tail (Ctrl-C, `--timeout`, stdout closed): the last item is `ended: aborted`. */
  signal: AbortSignal;
  /** Resume after this cursor on the first connection (a session's `lastCursor`). */
  resumeFrom?: string | undefined;
  /** Deliver matching history from this time (RFC 3339) first, then live, without gap or overlap. */
  since?: string | undefined;
  /**
   * `--tail N`: the newest N matching events first (with `since`, of those from then on), in the
   * log's order, then live from exactly after them, without gap or overlap. Needs a history.
   */
  last?: number | undefined;
  /** Stop after this many events (`--count`). */
  maxEvents?: number | undefined;
  /**
   * Only events that pass are delivered (a SOQL filter applied locally, for streams that cannot
   * filter themselves: `tail QUERY --url`). The others are dropped as if delivered: their cursors
   * still move the resume point, and they are not counted.
   */
  filter?: ((event: EventRecord) => boolean) | undefined;
  heartbeatTimeoutMs?: number | undefined;
  /** Consecutive failed attempts before giving up; undefined retries forever. */
  maxRetries?: number | undefined;
  maxBackoffMs?: number | undefined;
  /** Randomness for the jitter, and the clocks (tests pass their own; timers are the global ones). */
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  maxFrameBytes?: number | undefined;
  recentIds?: number | undefined;
  /** The byte path of each connection (default: the JavaScript SSE decoder). */
  decoder?: FrameDecoderFactory | undefined;
}

/** The engine's output: the items, running totals for a summary line or a status bar, and the link. */
export interface TailStream extends AsyncIterable<TailItem> {
  readonly counters: Readonly<TailCounters>;
  /** Whether the service is there: what a summary at `--timeout` must say. */
  readonly link: Readonly<TailLink>;
}

export function openTail(options: TailOptions): TailStream {
  const run = new TailRun(options);
  return {
    counters: run.counters,
    get link() {
      return run.link;
    },
    [Symbol.asyncIterator]: () => run.items(),
  };
}

/** `--count` was reached: the tail is over. */
type Delivery = 'count' | undefined;

class TailRun {
  readonly counters: TailCounters;
  readonly #options: TailOptions;
  readonly #source: TailSource;
  readonly #signal: AbortSignal;
  /** Ids delivered lately, to drop what a backfill and the live stream both bring; none without history. */
  readonly #recent: RecentIds | undefined;
  readonly #now: () => number;
  readonly #position: TailPosition;
  readonly #backoff: ReconnectBackoff;
  readonly #decoder: FrameDecoderFactory;
  #everLive = false;
  #warnedNoIds = false;
  link: TailLink = { state: 'never-connected' };

  constructor(options: TailOptions) {
    this.#options = options;
    this.#source = options.source;
    this.#signal = options.signal;
    this.#now = options.now ?? Date.now;
    this.#decoder = options.decoder ?? sseFrameDecoder;
    const hasHistory = options.source.history !== undefined;
    this.#recent = hasHistory ? new RecentIds(options.recentIds) : undefined;
    this.#position = new TailPosition({
      resumeFrom: options.resumeFrom,
      since: options.since,
      last: options.last,
      hasHistory,
    });
    this.#backoff = new ReconnectBackoff({
      maxRetries: options.maxRetries,
      maxBackoffMs: options.maxBackoffMs,
      random: options.random,
      url: options.source.url,
    });
    this.counters = {
      events: 0,
      reconnects: 0,
      gapsBackfilled: 0,
      skipped: 0,
      tooLarge: 0,
      filteredOut: 0,
      duplicates: 0,
      startedAt: this.#now(),
    };
  }

  async *items(): AsyncGenerator<TailItem, void, undefined> {
    const sleep = this.#options.sleep ?? abortableSleep;
    for (;;) {
      if (this.#signal.aborted) {
        yield { kind: 'ended', reason: 'aborted' };
        return;
      }
      yield {
        kind: 'connecting',
        url: this.#source.url,
        attempt: this.#backoff.attempt,
        resumeFrom: this.#position.cursor,
      };
      const outcome = yield* this.#connection();
      if (outcome.kind === 'done') return;
      if (!outcome.immediate) this.#lost(outcome.reason, hintOf(outcome.error));
      const { delayMs, serverAsked } = this.#backoff.next(outcome, this.#now());
      this.counters.reconnects += 1;
      const limits = [outcome.limit, serverAsked].filter((text) => text !== undefined);
      yield {
        kind: 'reconnecting',
        attempt: this.#backoff.attempt,
        delayMs,
        reason: outcome.reason,
        limit: limits.length > 0 ? limits.join('; ') : undefined,
        silent: outcome.silent,
      };
      if (delayMs > 0) {
        try {
          await sleep(delayMs, this.#signal);
        } catch {
          yield { kind: 'ended', reason: 'aborted' };
          return;
        }
      }
    }
  }

  /** One connection, from opening it to its end; the outcome says whether and how to go on. */
  async *#connection(): AsyncGenerator<TailItem, Outcome, undefined> {
    const timeoutMs = this.#options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    const scope = new ConnectionScope(this.#signal, timeoutMs);
    const position = this.#position;
    const openedAt = this.#now();
    this.#backoff.attempting(openedAt);
    const eventsBefore = this.#eventsRead();
    /** Events read, or a connection up long enough to count as healthy: the backoff starts over. */
    const progressed = (): boolean =>
      this.#eventsRead() > eventsBefore || this.#now() - openedAt >= HEALTHY_CONNECTION_MS;
    let response: OpenedStream | undefined;
    try {
      const history = this.#source.history;
      if (position.needsAnchor && history)
        position.anchored(await history.newestEventId(scope.signal, position.anchor));
      position.opening();
      response = await this.#source.open(position.cursor, scope.signal);
      if (response.status === 204) {
        yield { kind: 'ended', reason: 'server-stop', detail: 'the server asked not to reconnect (204)' };
        return DONE;
      }
      const blind = position.opened();
      this.#everLive = true;
      this.link = { state: 'live', since: this.#now() };
      yield { kind: 'live', url: this.#source.url };
      if (blind) {
        yield {
          kind: 'missing',
          detail:
            'the connection ended before the first event id, and this stream has no history API to fetch what came meanwhile: going on from now',
        };
      }
      const pending = position.pending;
      if (pending) {
        if ((yield* this.#backfill(pending, scope.signal)) === 'count') return DONE;
        position.caughtUp();
      }
      const decoder = this.#decoder({
        source: this.#source,
        recent: this.#recent,
        initialId: position.cursor ?? '',
        maxFrameBytes: this.#options.maxFrameBytes,
      });
      scope.arm();
      for await (const chunk of response.body) {
        scope.arm();
        const pieces = decoder.decode(chunk);
        if (decoder.retryMs !== undefined) this.#backoff.serverRetry(decoder.retryMs);
        let reading = true;
        for (const piece of pieces) {
          if (reading) {
            // The consumer is writing, not the server silent: the watchdog waits.
            scope.pause();
            reading = false;
          }
          const outcome = yield* this.#piece(piece, scope.signal, progressed);
          if (outcome) return outcome;
        }
        if (!reading) scope.arm();
      }
      const healthy = progressed();
      return {
        kind: 'retry',
        reason: 'the server ended the stream',
        progress: healthy,
        immediate: healthy,
        silent: healthy,
      };
    } catch (error) {
      if (this.#signal.aborted) {
        yield { kind: 'ended', reason: 'aborted' };
        return DONE;
      }
      const progress = this.#eventsRead() > eventsBefore;
      const stale = scope.stale;
      if (stale) {
        yield { kind: 'stale', silentMs: stale.silentMs };
        return { kind: 'retry', reason: stale.message, error: stale, progress };
      }
      return classifyFailure(error, progress, this.#everLive);
    } finally {
      scope.dispose();
      response?.body.destroy?.();
    }
  }

  /** A connection failed: a live link is lost from now; a link never made stays so, with the reason. */
  #lost(reason: string, hint: string | undefined): void {
    const state = this.link.state === 'never-connected' ? 'never-connected' : 'lost';
    const since = state === 'lost' && this.link.state === 'live' ? this.#now() : this.link.since;
    this.link = { state, since, lastFailure: reason, lastHint: hint };
  }

  /**
   * Acts on one decoded piece of the stream. Returns an outcome when the connection must end
   * (reset, scope destroyed, `--count` reached).
   */
  async *#piece(
    piece: DecodedPiece,
    signal: AbortSignal,
    progressed: () => boolean,
  ): AsyncGenerator<TailItem, Outcome | undefined> {
    switch (piece.kind) {
      case 'events':
        this.counters.duplicates += piece.duplicates;
        if (piece.events.length > 0) {
          if ((yield* this.#deliver(piece.events, piece.cursor)) === 'count') return DONE;
        } else if (piece.cursor !== undefined) {
          this.#position.passed(piece.cursor);
        }
        return undefined;
      case 'skipped':
        yield* this.#skip(piece.frames, piece.why);
        return undefined;
      case 'no-ids':
        yield* this.#warnNoIds();
        return undefined;
      case 'control':
        return yield* this.#control(piece.meaning, signal, progressed);
    }
  }

  async *#control(
    meaning: ControlMeaning,
    signal: AbortSignal,
    progressed: () => boolean,
  ): AsyncGenerator<TailItem, Outcome | undefined> {
    switch (meaning.kind) {
      case 'gap': {
        yield { kind: 'gap', after: meaning.after, resumedFrom: meaning.resumedFrom, reason: 'gap' };
        const filled = yield* this.#fillGap(meaning.after, meaning.resumedFrom, signal);
        return filled === 'count' ? DONE : undefined;
      }
      case 'reset': {
        // One line says it: the backfill to come, or what may be missing.
        const cursor = this.#position.cursor;
        if (this.#position.reset()) {
          this.counters.gapsBackfilled += 1;
          yield { kind: 'gap', reason: 'reset' };
        } else {
          yield this.#missingAfterReset(cursor);
        }
        return this.#afterReset(progressed());
      }
      case 'scope-destroyed':
        yield { kind: 'ended', reason: 'scope-destroyed', detail: meaning.detail };
        return DONE;
    }
  }

  /** Events delivered or left out by the filter: a stream that sends only the latter is alive. */
  #eventsRead(): number {
    return this.counters.events + this.counters.filteredOut;
  }

  /**
   * The events that pass the filter, read only as far as `--count` still needs: those left out
   * are counted, and what lies beyond the count is never read (nor counted as left out).
   */
  #filtered(events: TailEvent[], filter: (event: EventRecord) => boolean): TailEvent[] {
    const max = this.#options.maxEvents;
    const room = max === undefined ? events.length : max - this.counters.events;
    const passing: TailEvent[] = [];
    let read = 0;
    for (const item of events) {
      if (passing.length >= room) break;
      read += 1;
      if (passes(filter, item.event)) passing.push(item);
    }
    this.counters.filteredOut += read - passing.length;
    return passing;
  }

  /** Yields one batch; once the consumer comes back for more, it has been written out. */
  async *#deliver(events: TailEvent[], cursorAfter: string | undefined): AsyncGenerator<TailItem, Delivery> {
    const filter = this.#options.filter;
    if (filter !== undefined) {
      events = this.#filtered(events, filter);
      if (events.length === 0) {
        if (cursorAfter !== undefined) this.#position.passed(cursorAfter);
        return undefined;
      }
    }
    const max = this.#options.maxEvents;
    let reached = false;
    if (max !== undefined && this.counters.events + events.length >= max) {
      events = events.slice(0, max - this.counters.events);
      reached = true;
      cursorAfter = events.at(-1)?.cursor ?? cursorAfter;
    }
    const last = events.at(-1)?.event;
    yield { kind: 'batch', events, cursor: cursorAfter };
    this.counters.events += events.length;
    this.#position.delivered(last, cursorAfter);
    if (!reached) return undefined;
    yield { kind: 'ended', reason: 'count' };
    return 'count';
  }

  async *#fillGap(
    after: string | undefined,
    resumedFrom: string | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<TailItem, Delivery> {
    const hole = this.#position.gap();
    if (hole) {
      if ((yield* this.#backfill(hole, signal)) === 'count') return 'count';
      this.#position.caughtUp();
      this.counters.gapsBackfilled += 1;
      return undefined;
    }
    const why = this.#source.history
      ? 'no event had been delivered yet to resume the history from'
      : 'this stream has no history API to fetch them from';
    yield {
      kind: 'missing',
      from: this.#position.lastTs,
      detail: `events after cursor ${after ?? '?'} and before cursor ${resumedFrom ?? '?'} were not replayed by the server, and ${why}`,
    };
    return undefined;
  }

  /**
   * A reset after progress is news: start afresh at once. One on a connection that got nowhere (a
   * server that resets every connection) is a failure, and backs off.
   */
  #afterReset(progress: boolean): Outcome {
    return { kind: 'retry', reason: 'the server was reset', progress, immediate: progress, silent: true };
  }

  /** What a reset that cannot be backfilled may have cost, said once. */
  #missingAfterReset(cursor: string | undefined): TailItem {
    const lastTs = this.#position.lastTs;
    let detail: string;
    if (lastTs)
      detail = `the server was reset; events since ${lastTs} may be missing (this stream has no history API)`;
    else if (cursor)
      detail = `the server was reset and does not know cursor ${cursor} (from before a restart, or not its own); going on from now`;
    else detail = 'the server was reset: going on from now';
    return { kind: 'missing', from: lastTs, detail };
  }

  /** Delivers history for `range`, oldest first, dropping what was already delivered. */
  async *#backfill(range: HistoryRange, signal: AbortSignal): AsyncGenerator<TailItem, Delivery> {
    const history = this.#source.history;
    if (!history) return undefined;
    const lastTs = this.#position.lastTs;
    yield { kind: 'backfilling', from: range.kind === 'from' ? range.ts : (range.orFromTs ?? lastTs) };
    let delivered = 0;
    try {
      for await (const page of history.pages(range, signal)) {
        const events: TailEvent[] = [];
        for (const record of page) {
          if (typeof record.event_id === 'string' && this.#recent?.add(record.event_id) === false) {
            this.counters.duplicates += 1;
            continue;
          }
          events.push({ event: record, backfilled: true });
        }
        if (events.length === 0) continue;
        delivered += events.length;
        if ((yield* this.#deliver(events, undefined)) === 'count') return 'count';
      }
    } catch (error) {
      // A history that refuses the request (not a passing failure) will refuse it again: say what
      // may be missing and go on live rather than loop.
      if (signal.aborted || !(error instanceof ApiError) || isTransient(error)) throw error;
      yield {
        kind: 'missing',
        from: range.kind === 'from' ? range.ts : this.#position.lastTs,
        detail: `events from here to the live stream could not be fetched: ${error.message}`,
      };
    }
    yield { kind: 'backfilled', events: delivered };
    return undefined;
  }

  /** Counts frames that carried no event; the first of each kind is worth a warning. */
  async *#skip(frames: number, why: 'not-json' | 'too-large'): AsyncGenerator<TailItem, void> {
    const counter = why === 'not-json' ? 'skipped' : 'tooLarge';
    const before = this.counters[counter];
    this.counters[counter] += frames;
    if (before > 0) return;
    const limit = formatByteSize(this.#options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    yield {
      kind: 'notice',
      level: 'warn',
      message:
        why === 'not-json'
          ? 'skipped a frame whose data is not a JSON event (the summary counts them)'
          : `skipped a frame larger than ${limit}, without reading it into memory (the summary counts them)`,
    };
  }

  async *#warnNoIds(): AsyncGenerator<TailItem, void> {
    if (this.#warnedNoIds) return;
    this.#warnedNoIds = true;
    yield {
      kind: 'notice',
      level: 'warn',
      message: 'this stream sends events without ids: after a reconnect it cannot resume where it stopped',
    };
  }
}

/** A filter's verdict; one that throws on a hostile event drops that event instead of the tail. */
function passes(filter: (event: EventRecord) => boolean, event: EventRecord): boolean {
  try {
    return filter(event);
  } catch {
    return false;
  }
}

/** The failure's own advice, when it has some, for the summary of a tail that timed out. */
function hintOf(error: unknown): string | undefined {
  return error instanceof SotailError ? error.hint : undefined;
}
