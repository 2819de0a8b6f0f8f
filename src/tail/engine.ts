/**
 * The live tail engine: one async iterable of TailItem that never silently loses an event.
 *
 * - Resume: every reconnect sends `Last-Event-ID` = the cursor of the last event the consumer
 *   took. Taking the next item confirms the previous batch was written out, so a batch the
 *   consumer never finished is never skipped.
 * - Watchdog: no byte for `heartbeatTimeoutMs` aborts the connection with StaleConnectionError,
 *   then the tail resumes. It is paused while the consumer writes, so a slow pipe is not a dead
 *   server.
 * - Backoff: full jitter, capped, forever unless `maxRetries`; `Retry-After` honoured; reset
 *   only by progress (an event delivered, or a connection that stayed up), so a server that
 *   accepts and hangs up at once is not hammered.
 * - Gapless: holes (`event: gap`, `event: reset`, a reconnect that had no cursor yet) are filled
 *   from the source's history, and events seen twice are dropped by `event_id`; a hole that cannot
 *   be filled is reported as a `missing` item naming the range.
 * docs/tail.md describes the behaviour for users.
 */
import { abortableSleep, backoffDelayMs, isRetryable } from '../api/retry.js';
import { ApiError, NetworkError } from '../errors.js';
import type { EventRecord } from '../output/fields.js';
import { utf8Text } from '../util/bytes.js';
import { JSON_OBJECT, JsonByteScanner, NOT_JSON } from '../util/json-bytes.js';
import { ConnectionScope } from './connection-scope.js';
import type { JsonBytes, TailCounters, TailEvent, TailItem } from './items.js';
import { RecentIds } from './recent-ids.js';
import type { HistoryRange, OpenedStream, TailSource } from './source.js';
import { type SseFrame, SseFrameTooLargeError, SseParser } from './sse-parser.js';
import { StreamedEvent } from './streamed-event.js';

/** Twice the server's 15 s heartbeat plus margin. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 35_000;
export const DEFAULT_MAX_BACKOFF_MS = 30_000;
/** The first backoff ceiling until the server sends its own `retry:`. */
const DEFAULT_RETRY_MS = 1_000;
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
  /** Stop after this many events (`--count`). */
  maxEvents?: number | undefined;
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
}

/** The engine's output: the items, and running totals for a summary line or a status bar. */
export interface TailStream extends AsyncIterable<TailItem> {
  readonly counters: Readonly<TailCounters>;
}

export function openTail(options: TailOptions): TailStream {
  const run = new TailRun(options);
  return { counters: run.counters, [Symbol.asyncIterator]: () => run.items() };
}

type Outcome =
  | { kind: 'done' }
  | {
      kind: 'retry';
      reason: string;
      error?: unknown;
      retryAfterMs?: number | undefined;
      limit?: string | undefined;
      /** The connection made progress: the backoff starts over. */
      progress: boolean;
      /** A normal end or a reset: reconnect now, and say so only with --verbose (silent). */
      immediate?: boolean;
      silent?: boolean;
    };

const DONE: Outcome = { kind: 'done' };

class TailRun {
  readonly counters: TailCounters;
  readonly #options: TailOptions;
  readonly #source: TailSource;
  readonly #signal: AbortSignal;
  /** Ids delivered lately, to drop what a backfill and the live stream both bring; none without history. */
  readonly #recent: RecentIds | undefined;
  readonly #now: () => number;
  /** `Last-Event-ID` for the next connection: the last event written out. */
  #cursor: string | undefined;
  /** `event_id` and `ts` of the last event delivered, where a history walk resumes. */
  #lastEventId: string | undefined;
  #lastTs: string | undefined;
  /** History still to deliver before live events (`--since`, a hole). */
  #pending: HistoryRange | undefined;
  /**
   * Where history would resume if a connection had to start without a cursor: after the last
   * delivered event, or (before any) after the newest event at start, or from `--since`.
   */
  #catchUp: HistoryRange | undefined;
  /** Before the first connection: find where "now" is, so a failure before any cursor loses nothing. */
  #needAnchor: boolean;
  #connectedBefore = false;
  #everLive = false;
  #failures = 0;
  #retryMs: number | undefined;
  #warnedNoIds = false;
  readonly #scanner = new JsonByteScanner();

  constructor(options: TailOptions) {
    this.#options = options;
    this.#source = options.source;
    this.#signal = options.signal;
    this.#now = options.now ?? Date.now;
    this.#recent = options.source.history ? new RecentIds(options.recentIds) : undefined;
    this.#cursor = options.resumeFrom || undefined;
    this.#pending = options.since ? { kind: 'from', ts: options.since } : undefined;
    this.#catchUp = this.#pending;
    this.#needAnchor = !this.#cursor && !options.since && options.source.history !== undefined;
    this.counters = {
      events: 0,
      reconnects: 0,
      gapsBackfilled: 0,
      skipped: 0,
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
        attempt: this.#failures + 1,
        resumeFrom: this.#cursor,
      };
      const outcome = yield* this.#connection();
      if (outcome.kind === 'done') return;
      if (outcome.progress) this.#failures = 0;
      let delayMs = 0;
      if (!outcome.immediate) {
        this.#failures += 1;
        const max = this.#options.maxRetries;
        if (max !== undefined && this.#failures > max)
          throw giveUp(outcome, this.#failures, this.#source.url);
        const policy = {
          baseDelayMs: this.#retryMs ?? DEFAULT_RETRY_MS,
          maxDelayMs: this.#options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
          random: this.#options.random ?? Math.random,
        };
        delayMs = backoffDelayMs(this.#failures, policy, outcome.retryAfterMs);
      }
      this.counters.reconnects += 1;
      yield {
        kind: 'reconnecting',
        attempt: this.#failures + 1,
        delayMs,
        reason: outcome.reason,
        limit: outcome.limit,
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
    const openedAt = this.#now();
    const eventsBefore = this.counters.events;
    let response: OpenedStream | undefined;
    try {
      const history = this.#source.history;
      if (this.#needAnchor && history) {
        this.#pending = { kind: 'after', eventId: await history.newestEventId(scope.signal) };
        this.#catchUp = this.#pending;
        this.#needAnchor = false;
      }
      // Without a cursor the server starts at "now": what came since the last delivered event
      // (or since the start) would be skipped, so it is fetched from history first.
      if (!this.#cursor && this.#connectedBefore && !this.#pending && history) this.#pending = this.#catchUp;
      response = await this.#source.open(this.#cursor, scope.signal);
      if (response.status === 204) {
        yield { kind: 'ended', reason: 'server-stop', detail: 'the server asked not to reconnect (204)' };
        return DONE;
      }
      this.#connectedBefore = true;
      this.#everLive = true;
      yield { kind: 'live', url: this.#source.url };
      if (this.#pending) {
        if ((yield* this.#backfill(this.#pending, scope.signal)) === 'count') return DONE;
        this.#pending = undefined;
      }
      const parser = new SseParser({
        maxFrameBytes: this.#options.maxFrameBytes,
        initialId: this.#cursor ?? '',
      });
      scope.arm();
      for await (const chunk of response.body) {
        scope.arm();
        const frames = parser.feed(chunk);
        if (parser.retryMs !== undefined) this.#retryMs = parser.retryMs;
        if (frames.length === 0) continue;
        scope.pause();
        const outcome = yield* this.#frames(frames, scope.signal);
        if (outcome) return outcome;
        scope.arm();
      }
      const healthy = this.counters.events > eventsBefore || this.#now() - openedAt >= HEALTHY_CONNECTION_MS;
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
      const progress = this.counters.events > eventsBefore;
      const stale = scope.stale;
      if (stale) {
        yield { kind: 'stale', silentMs: stale.silentMs };
        return { kind: 'retry', reason: stale.message, error: stale, progress };
      }
      return this.#classify(error, progress);
    } finally {
      scope.dispose();
      response?.body.destroy?.();
    }
  }

  /**
   * Delivers what one read of the stream completed; control frames split it. Returns an outcome
   * when the connection must end (reset, scope destroyed, `--count` reached).
   */
  async *#frames(
    frames: SseFrame[],
    signal: AbortSignal,
  ): AsyncGenerator<TailItem, Outcome | undefined, undefined> {
    let batch: TailEvent[] = [];
    /** The last frame that carried an id: the batch's cursor, decoded only when it is delivered. */
    let cursorFrame: SseFrame | undefined;
    const eventFrames = this.#source.eventFrames;
    for (const frame of frames) {
      // The firehose path: an event frame is checked as bytes and parsed only if a renderer reads it.
      if (frame.plain && eventFrames?.names.has(frame.event)) {
        const kind = this.#scanner.scan(frame.bytes, frame.start, frame.end);
        if (kind === NOT_JSON) {
          yield* this.#skip();
          continue;
        }
        if (kind === JSON_OBJECT) {
          if (!frame.hasId) yield* this.#warnNoIds();
          const event = new StreamedEvent(frame, eventFrames.display);
          const firstSeen = this.#recent === undefined || this.#firstSeen(event);
          cursorFrame = this.#add(batch, frame, cursorFrame, firstSeen ? event : undefined);
          continue;
        }
        // Not an object: what it means is the source's to say, below.
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(frame.data);
      } catch {
        parsed = undefined;
        if (frame.event === 'message') {
          yield* this.#skip();
          continue;
        }
      }
      const meaning = this.#source.interpret(frame.event, parsed);
      if (meaning.kind === 'event') {
        const id = frame.hasId ? frame.id : undefined;
        if (id === undefined) yield* this.#warnNoIds();
        const eventId = meaning.record.event_id;
        if (this.#recent && typeof eventId === 'string' && !this.#recent.add(eventId)) {
          cursorFrame = this.#add(batch, frame, cursorFrame, undefined);
          continue;
        }
        // The JSON as it arrived, when it is the record: as bytes when it fits on one line as it
        // is, else as its text on one line (never serialised again, which a value nested deep
        // enough could not survive).
        const raw = meaning.record !== parsed ? undefined : frame.plain ? frame : oneLineJson(frame.data);
        const event = meaning.display
          ? lazyEvent(meaning.record, meaning.display, raw, id)
          : { event: meaning.record, raw, cursor: id };
        cursorFrame = this.#add(batch, frame, cursorFrame, event);
        continue;
      }
      if (meaning.kind === 'invalid') yield* this.#skip();
      if (meaning.kind === 'ignore' || meaning.kind === 'invalid') continue;
      if (batch.length > 0 && (yield* this.#deliver(batch, cursorFrame?.id)) === 'count') return DONE;
      batch = [];
      cursorFrame = undefined;
      switch (meaning.kind) {
        case 'gap': {
          yield { kind: 'gap', after: meaning.after, resumedFrom: meaning.resumedFrom, reason: 'gap' };
          const filled = yield* this.#fillGap(meaning.after, meaning.resumedFrom, signal);
          if (filled === 'count') return DONE;
          break;
        }
        case 'reset':
          yield { kind: 'gap', reason: 'reset' };
          this.#cursor = undefined;
          yield* this.#afterReset();
          return { kind: 'retry', reason: 'the server was reset', progress: true, immediate: true };
        case 'scope-destroyed':
          yield { kind: 'ended', reason: 'scope-destroyed', detail: meaning.detail };
          return DONE;
      }
    }
    if (batch.length > 0) {
      if ((yield* this.#deliver(batch, cursorFrame?.id)) === 'count') return DONE;
    } else if (cursorFrame !== undefined) {
      this.#cursor = cursorFrame.id;
    }
    return undefined;
  }

  /** Yields one batch; once the consumer comes back for more, it has been written out. */
  async *#deliver(
    events: TailEvent[],
    cursorAfter: string | undefined,
  ): AsyncGenerator<TailItem, 'count' | undefined> {
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
    if (cursorAfter !== undefined) this.#cursor = cursorAfter;
    if (last) {
      if (typeof last.event_id === 'string') {
        this.#lastEventId = last.event_id;
        this.#catchUp = { kind: 'after', eventId: last.event_id };
      }
      if (typeof last.ts === 'string') this.#lastTs = last.ts;
    }
    if (!reached) return undefined;
    yield { kind: 'ended', reason: 'count' };
    return 'count';
  }

  async *#fillGap(
    after: string | undefined,
    resumedFrom: string | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<TailItem, 'count' | undefined> {
    if (this.#source.history && this.#lastEventId) {
      this.#pending = { kind: 'after', eventId: this.#lastEventId };
      const result = yield* this.#backfill(this.#pending, signal);
      if (result === 'count') return result;
      this.#pending = undefined;
      this.counters.gapsBackfilled += 1;
      return undefined;
    }
    const why = this.#source.history
      ? 'no event had been delivered yet to resume the history from'
      : 'this stream has no history API to fetch them from';
    yield {
      kind: 'missing',
      from: this.#lastTs,
      detail: `events after cursor ${after ?? '?'} and before cursor ${resumedFrom ?? '?'} were not replayed by the server, and ${why}`,
    };
    return undefined;
  }

  async *#afterReset(): AsyncGenerator<TailItem, void> {
    if (this.#source.history && this.#lastTs && this.#lastEventId) {
      // Everything ingested after our last event (ids are minted in ingestion order, even by a
      // new incarnation), and whatever the new log holds from our last event's time on.
      this.#pending = { kind: 'after', eventId: this.#lastEventId, orFromTs: this.#lastTs };
      this.#catchUp = this.#pending;
      this.counters.gapsBackfilled += 1;
      return;
    }
    yield {
      kind: 'missing',
      from: this.#lastTs,
      detail: this.#lastTs
        ? `the server was reset; events since ${this.#lastTs} may be missing (this stream has no history API)`
        : 'the server was reset and does not know the cursor we resumed from; events since that cursor may be missing',
    };
  }

  /** Delivers history for `range`, oldest first, dropping what was already delivered. */
  async *#backfill(range: HistoryRange, signal: AbortSignal): AsyncGenerator<TailItem, 'count' | undefined> {
    const history = this.#source.history;
    if (!history) return undefined;
    yield { kind: 'backfilling', from: range.kind === 'from' ? range.ts : (range.orFromTs ?? this.#lastTs) };
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
        from: range.kind === 'from' ? range.ts : this.#lastTs,
        detail: `events from here to the live stream could not be fetched: ${error.message}`,
      };
    }
    yield { kind: 'backfilled', events: delivered };
    return undefined;
  }

  /**
   * Adds an event to the batch, or counts a duplicate (undefined) and drops it; returns the frame
   * whose id is now the batch's cursor. A duplicate's id still moves the cursor on: at once when
   * the batch is empty, else once the batch is delivered.
   */
  #add(
    batch: TailEvent[],
    frame: SseFrame,
    cursorFrame: SseFrame | undefined,
    event: TailEvent | undefined,
  ): SseFrame | undefined {
    if (event === undefined) {
      this.counters.duplicates += 1;
      if (frame.hasId && batch.length === 0) {
        this.#cursor = frame.id;
        return cursorFrame;
      }
    } else {
      batch.push(event);
    }
    return frame.hasId ? frame : cursorFrame;
  }

  /**
   * Remembers a streamed event's `event_id`; false when it was delivered already. The id is read
   * from the bytes where the scan found it, parsed only when escapes hide it.
   */
  #firstSeen(event: StreamedEvent): boolean {
    const scan = this.#scanner;
    let eventId: unknown;
    if (scan.idNeedsParse) eventId = event.record.event_id;
    else if (scan.idStart !== -1) eventId = utf8Text(event.raw.bytes, scan.idStart, scan.idEnd);
    return typeof eventId !== 'string' || this.#recent?.add(eventId) !== false;
  }

  /** Counts a frame whose data is not an event; the first one is worth a warning. */
  async *#skip(): AsyncGenerator<TailItem, void> {
    this.counters.skipped += 1;
    if (this.counters.skipped > 1) return;
    yield {
      kind: 'notice',
      level: 'warn',
      message: 'skipped a frame whose data is not a JSON event (the summary counts them)',
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

  #classify(error: unknown, progress: boolean): Outcome {
    if (error instanceof ApiError) {
      if (error.code === 'tail_session_limit_exceeded') {
        // On the first connection the limit is someone else's tails: say so and stop. On a
        // reconnect our own dead connection may still hold the slot until the server notices.
        if (!this.#everLive) throw error;
        const limit = typeof error.extra.limit === 'number' ? error.extra.limit : undefined;
        return {
          kind: 'retry',
          reason: `429 ${error.code}`,
          error,
          retryAfterMs: error.retryAfterMs,
          limit: `at most ${limit ?? 'a few'} tails at once per token: waiting for a slot`,
          progress,
        };
      }
      if (isTransient(error)) {
        const limited = error.status === 429 || error.status === 503;
        return {
          kind: 'retry',
          reason: `${error.status} ${error.code}`,
          error,
          retryAfterMs: error.retryAfterMs,
          limit:
            limited && error.retryAfterMs !== undefined
              ? `the server asked to wait ${error.retryAfterMs} ms`
              : undefined,
          progress,
        };
      }
      throw error;
    }
    if (error instanceof NetworkError) {
      if (!isRetryable(error)) throw error;
      return { kind: 'retry', reason: error.message, error, progress };
    }
    if (error instanceof SseFrameTooLargeError || isConnectionError(error)) {
      return { kind: 'retry', reason: describeConnectionError(error), error, progress };
    }
    throw error;
  }
}

/** An event whose display form is computed on first read (and kept). */
function lazyEvent(
  record: EventRecord,
  display: (record: EventRecord) => EventRecord,
  raw: JsonBytes | undefined,
  cursor: string | undefined,
): TailEvent {
  let shown: EventRecord | undefined;
  return {
    get event() {
      shown ??= display(record);
      return shown;
    },
    raw,
    cursor,
  };
}

/**
 * JSON text on one line, as bytes. A line break in valid JSON text can only be whitespace between
 * tokens (never inside a string), so a space does as well.
 */
function oneLineJson(text: string): JsonBytes {
  const bytes = Buffer.from(text.replace(/[\r\n]/g, ' '));
  return { bytes, start: 0, end: bytes.length };
}

/** 429 (but not the two limits waiting does not lift) and every 5xx: the tail waits and retries. */
function isTransient(error: ApiError): boolean {
  return error.status >= 500 || isRetryable(error);
}

/** Failures while reading an open body: undici's own errors and socket errno codes. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('UND_ERR') || /^E[A-Z]+$/.test(code));
}

function describeConnectionError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message === 'other side closed' ? 'the connection was cut' : message;
}

function giveUp(outcome: Extract<Outcome, { kind: 'retry' }>, attempts: number, url: string): unknown {
  if (outcome.error instanceof ApiError || outcome.error instanceof NetworkError) return outcome.error;
  return new NetworkError(`the stream failed ${attempts} times in a row (last: ${outcome.reason})`, url, {
    hint: 'raise --max-retries, or leave it out to retry forever',
  });
}

export type { EventRecord };
