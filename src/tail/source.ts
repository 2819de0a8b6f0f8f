/**
 * What the tail engine reads from, kept apart from the engine so that the engine can be driven by
 * scripted streams in tests and by the three real sources: `POST /query/tail` (a filter or a
 * session) and any SSE URL (`--url`). A source opens one connection at a time and, when the
 * service has a query API, pages through history to fill holes.
 */
import type { EventRecord } from '../model/event-record.js';

/** One open connection (or a 204, which means "stop reconnecting"). */
export interface OpenedStream {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw bytes of `text/event-stream`; the engine consumes or destroys it. */
  body: AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => unknown };
}

/**
 * Which history to fetch, oldest first:
 * - `after`: matching events the log stored after the event with this `event_id` (ids are UUIDv7
 *   minted at ingestion, so their order is the log's order), or every matching event when the id
 *   is undefined. This cannot miss an event that was ingested with an old `ts`.
 * - `from`: matching events whose `ts` is at or after this time (`--since`).
 */
export type HistoryRange =
  | {
      kind: 'after';
      eventId: string | undefined;
      /** Also every event from this `ts` on (after a reset, the new log's own history since then). */
      orFromTs?: string | undefined;
      /** Only events whose `ts` is at or after this time (`--tail N` with `--since`). */
      from?: string | undefined;
    }
  | { kind: 'from'; ts: string };

/** How a frame is read: a log event, a control frame, or nothing of interest. */
export type FrameMeaning =
  | {
      kind: 'event';
      /** The record as the stream sent it: what NDJSON writes. */
      record: EventRecord;
      /**
       * For another stream's shape: the record as renderers show it (common field names). Called
       * only when something reads the event, so NDJSON never pays for the mapping.
       */
      display?: ((record: EventRecord) => EventRecord) | undefined;
    }
  /** Events after `after` and before `resumedFrom` were not replayed. */
  | { kind: 'gap'; after?: string | undefined; resumedFrom?: string | undefined }
  /** The server does not know our cursor (restarted without its data): drop it, start afresh. */
  | { kind: 'reset'; detail?: string | undefined }
  /** The server ended this scope for good (token revoked, session closed). */
  | { kind: 'scope-destroyed'; detail?: string | undefined }
  /** An event frame whose data is JSON but not an event (counted as skipped). */
  | { kind: 'invalid' }
  | { kind: 'ignore' };

export interface EventFrames {
  /** The `event:` names of such frames (`message` for a frame without one). */
  readonly names: ReadonlySet<string>;
  /** For another stream's shape: the record as renderers show it, as FrameMeaning's `display`. */
  readonly display?: ((record: EventRecord) => EventRecord) | undefined;
}

/** The frames of `POST /query/tail` that are events: unnamed ones. */
export const QUERY_TAIL_EVENT_FRAMES: EventFrames = { names: new Set(['message']) };

/** Which event the tail starts after: the newest matching one now, or an older one (`--tail N`). */
export interface AnchorQuery {
  /** Leave out this many of the newest matching events (they are the ones `--tail N` shows first). */
  skip: number;
  /** Only events whose `ts` is at or after this time (`--since`). */
  from?: string | undefined;
}

export interface TailHistory {
  /**
   * The `event_id` of the newest matching event now, once `anchor.skip` newer ones are left out
   * (none: the newest); undefined when no event is left.
   */
  newestEventId(signal: AbortSignal, anchor?: AnchorQuery): Promise<string | undefined>;
  /** Pages of matching events, oldest first, ending at the newest event when the walk began. */
  pages(range: HistoryRange, signal: AbortSignal): AsyncIterable<EventRecord[]>;
}

export interface TailSource {
  /** Where the stream comes from, for state lines ("connecting to …"). */
  readonly url: string;
  /** Opens one connection, resuming after `lastEventId` when given. Throws typed API errors. */
  open(lastEventId: string | undefined, signal: AbortSignal): Promise<OpenedStream>;
  /** What a frame means, given its `event:` name and its data parsed as JSON. */
  interpret(event: string, parsed: unknown): FrameMeaning;
  /**
   * Frames that are log events as they stand whenever their data is a JSON object (interpret
   * says the same of them): the engine checks those as bytes and parses them only when a
   * renderer reads them, which is what keeps a firehose cheap.
   */
  readonly eventFrames?: EventFrames | undefined;
  /** Absent when the service has no query API (`--url`): holes are then reported, not filled. */
  readonly history?: TailHistory | undefined;
}

/** The control frames of `POST /query/tail` (docs/api.md "Live tail"). */
export function interpretQueryTailFrame(event: string, parsed: unknown): FrameMeaning {
  const data = (parsed !== null && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  switch (event) {
    case 'message':
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? { kind: 'event', record: parsed as EventRecord }
        : { kind: 'invalid' };
    case 'gap':
      return {
        kind: 'gap',
        after: stringOrUndefined(data.after),
        resumedFrom: stringOrUndefined(data.resumed_from),
      };
    case 'reset':
      return { kind: 'reset', detail: stringOrUndefined(data.reason) };
    case 'scope-destroyed':
      return { kind: 'scope-destroyed', detail: stringOrUndefined(data.reason) };
    default:
      return { kind: 'ignore' };
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
