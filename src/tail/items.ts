/**
 * What the tail engine yields: one async iterable of items that every renderer (NDJSON, pretty
 * lines, the TUI) consumes. Events carry their cursor; everything else is the state of the
 * connection, reported as data so that the command decides where it is shown (dim stderr lines,
 * or the TUI's status bar). The engine itself never prints.
 */
import type { EventRecord } from '../model/event-record.js';
import { utf8Text } from '../util/bytes.js';

/** Why a tail ended on its own (not by an error, which is thrown instead). */
export type TailEndReason =
  /** `--count N` events were delivered. */
  | 'count'
  /** The server closed the scope (`event: scope-destroyed`): token revoked, session closed. */
  | 'scope-destroyed'
  /** The server answered 204: stop reconnecting. */
  | 'server-stop'
  /** The caller's signal was aborted (Ctrl-C, `--timeout`, stdout closed). */
  | 'aborted'
  /** One stream of a merged tail failed for good (`detail` says why); the others go on. */
  | 'failed';

/** A JSON text as bytes: `bytes[start, end)`, valid JSON and valid UTF-8. */
export interface JsonBytes {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/** The text of a JsonBytes. */
export function jsonText(json: JsonBytes): string {
  return utf8Text(json.bytes, json.start, json.end);
}

/** One log event as the stream delivered it. */
export interface TailEvent {
  /** The event as an object: a streamed event is parsed when read, so output that never reads it never pays. */
  readonly event: EventRecord;
  /**
   * The JSON of `data:` as the stream delivered it, when it can be passed through as it is (the
   * NDJSON output writes these bytes without parsing or re-serialising); undefined for
   * backfilled events.
   */
  readonly raw?: JsonBytes | undefined;
  /** The SSE id (cursor) of this event, when the stream sent one. */
  readonly cursor?: string | undefined;
  /** True for events fetched with `/query` to fill a gap or for `--since` history. */
  backfilled?: boolean;
  /**
   * In a merged tail (src/tail/merge.ts), the name of the stream it came from; the record and
   * the JSON carry it too, as `STREAM_FIELD`.
   */
  readonly stream?: string | undefined;
}

/**
 * The field a merged tail's event carries its stream's name in (NDJSON, JSON, `--fields`):
 * underscored, as metadata is in other log tools, so that it does not meet the `stream`
 * (`stdout`/`stderr`) of container logs.
 */
export const STREAM_FIELD = '_stream';

/**
 * Events delivered together (one read of the stream, one backfill page): renderers write a batch
 * at once, never event by event. Never empty.
 */
export interface TailBatchItem {
  kind: 'batch';
  events: TailEvent[];
  /**
   * The resume cursor once this batch is written out (the last event's id, or a later one when
   * duplicates after it were dropped); undefined for history batches. A consumer that keeps a
   * checkpoint (a session's `lastCursor`) stores this after writing the batch.
   */
  cursor?: string | undefined;
}

export type TailStateItem =
  | { kind: 'connecting'; url: string; attempt: number; resumeFrom?: string | undefined }
  /** The stream is open (200 text/event-stream). */
  | { kind: 'live'; url: string }
  /** No byte (not even a heartbeat) for `silentMs`: the watchdog dropped the connection. */
  | { kind: 'stale'; silentMs: number }
  /** Waiting before the next attempt; `reason` is a one-line cause ("connection reset", "503 unavailable"). */
  | {
      kind: 'reconnecting';
      attempt: number;
      delayMs: number;
      reason: string;
      /** When the server limited us (429/503 with Retry-After, tail session limit). */
      limit?: string | undefined;
      /**
       * A normal end (idle close, the 30-minute cap) resumed at once: worth a line only with
       * --verbose, never a warning.
       */
      silent?: boolean | undefined;
    }
  /** The server could not replay from our cursor (`event: gap`), or reset it (`event: reset`). */
  | { kind: 'gap'; after?: string | undefined; resumedFrom?: string | undefined; reason: 'gap' | 'reset' }
  | { kind: 'backfilling'; from?: string | undefined; to?: string | undefined }
  | { kind: 'backfilled'; events: number }
  /** A hole that could not be filled: the user is told exactly what may be missing. */
  | { kind: 'missing'; from?: string | undefined; to?: string | undefined; detail: string }
  /** A warning worth a line (bad JSON frame skipped, a stream that sends no ids, …). */
  | { kind: 'notice'; level: 'info' | 'warn'; message: string }
  | { kind: 'ended'; reason: TailEndReason; detail?: string | undefined };

export type TailItem = TailBatchItem | TailStateItem;

/**
 * An item of a merged tail: one stream's item, `stream` naming it, or (without) the merge's own
 * (its end: `--count` reached, aborted, every stream ended).
 */
export type LabelledTailItem = TailItem & { readonly stream?: string | undefined };

/**
 * How the tail's connection stands, for a summary that must say whether the service was there:
 * never connected yet, live (a stream open, or reopening at once after a normal end), or lost (a
 * failure since it was last live).
 */
export interface TailLink {
  state: 'never-connected' | 'live' | 'lost';
  /** When it went live, or was lost (ms since the epoch). */
  since?: number | undefined;
  /** The last failure, in one line ("connection refused", "503 unavailable"). */
  lastFailure?: string | undefined;
  /** What to try about it, when the failure said (a proxy's headers, a host name to check). */
  lastHint?: string | undefined;
}

/** Running totals a renderer shows in its summary line or status bar. */
export interface TailCounters {
  events: number;
  reconnects: number;
  gapsBackfilled: number;
  /** Frames skipped because their data was not JSON. */
  skipped: number;
  /** Frames skipped because they were over the size limit (never held in memory). */
  tooLarge: number;
  /** Events dropped because they had already been delivered (backfill and replay overlap). */
  duplicates: number;
  /** Events the local filter left out (`tail QUERY --url`): read and passed, never shown. */
  filteredOut: number;
  startedAt: number;
}
