/**
 * What a running mock offers its owner: tests and the `demo` command drive it in process, and the
 * admin routes (`/_mock/*`) expose the same operations over HTTP.
 */
import type { LogEvent } from '../model/event.js';
import type { FaultSpec } from './faults.js';
import type { WriteOutcome } from './journal.js';
import type { MockToken } from './options.js';
import type { TailMetrics } from './tail-stream.js';

export interface AppendedEvent {
  /** The event's tail cursor (decimal sequence number). */
  cursor: string;
  event: LogEvent;
  /**
   * Resolves once the event is in the log (with --data: once its line is in the file), with
   * nothing; or with the error that kept it out (then it is never shown).
   */
  written: Promise<WriteOutcome>;
}

export interface MockSnapshot {
  /** The log's first-ever sequence number: it changes when a restart starts a new incarnation. */
  incarnation: string;
  /** Cursor of the newest event (one below `incarnation` while the log is empty). */
  head: string;
  /** Cursor of the oldest event held. */
  oldest: string;
  events: number;
  rate_per_s: number;
  tails: { active: number; by_token: Record<string, number>; metrics: TailMetrics };
  sessions: number;
  faults: unknown[];
  quota: { limit: number | null; used: number };
  /** Idempotency keys remembered, and the bytes of the answers kept for them. */
  idempotency: { keys: number; bytes: number; limit_bytes: number };
  /** Bytes of request bodies being received now, and the most they may hold together. */
  bodies: { in_flight_bytes: number; limit_bytes: number };
}

export interface MockServer {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The cursor of the newest event. */
  head(): string;
  /**
   * Appends events given as ingest bodies (`{"level":"error","message":"…","source":"api"}`, with
   * an optional `ts`), bypassing auth, quota and faults. Throws on an invalid body.
   */
  append(...inputs: Record<string, unknown>[]): AppendedEvent[];
  /** Resolves once every event appended so far is in the data file (at once without --data). */
  flush(): Promise<void>;
  /** Appends `count` synthetic events stamped now; returns the first and last cursors. */
  generate(count: number): { first: string; last: string; written: Promise<WriteOutcome> } | undefined;
  /** Arms faults (objects or the `--fault` syntax); see faults.ts. */
  injectFault(...faults: FaultSpec[]): void;
  clearFaults(): void;
  /** Revokes a token: it gets 401 from now on and its open tails get `event: scope-destroyed`. */
  revokeToken(token: string): boolean;
  addToken(token: MockToken): void;
  /**
   * Simulates a restart: every stream is cut and sessions are forgotten; without --data the log
   * starts again as a new incarnation (old cursors then get `event: reset`), with it the log stays.
   */
  restart(): Promise<void>;
  /** Changes the synthetic traffic rate (events/s; 0 stops it). */
  setRate(perSec: number): void;
  /** Sets the cumulative ingest quota (undefined: none) and starts counting again. */
  setQuota(limit: number | undefined): void;
  /** How many events in the cursor range (after, through] match a SOQL filter. */
  count(q: string, range?: { after?: string; through?: string }): Promise<number>;
  snapshot(): MockSnapshot;
  /** Ends streams cleanly, stops traffic, flushes the data file, closes the port. */
  close(): Promise<void>;
}
